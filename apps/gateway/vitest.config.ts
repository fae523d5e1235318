import { mergeConfig } from 'vitest/config';
import { defineProjectConfig } from '../../vitest.shared.js';

/**
 * graphql ships CommonJS (`main`) and ESM (`module`) builds. Node loads the CommonJS one for
 * @nestjs/graphql and Mercurius, while Vite would resolve our own `import 'graphql'` to the ESM
 * one: two copies, and our scalars would fail Nest's `instanceof GraphQLScalarType`. Pin ours
 * to the build Node uses, as at run time.
 */
export default mergeConfig(
  defineProjectConfig(import.meta.dirname, {
    // The end-to-end files mostly wait (on child processes, simulated traffic, analysis intervals):
    // two at a time halves the suite's wall time for little extra CPU.
    maxWorkers: 2,
  }),
  { resolve: { alias: [{ find: /^graphql$/, replacement: 'graphql/index.js' }] } },
);
