/**
 * `npm run graphql:schema`: writes the checked-in SDL (apps/gateway/schema.graphql) from the
 * resolvers. test/schema-contract.spec.ts fails when the two drift.
 */
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { generateSchemaSdl } from './graphql/schema-sdl.util.js';

const target = fileURLToPath(new URL('../schema.graphql', import.meta.url));
writeFileSync(target, await generateSchemaSdl());
process.stdout.write(`wrote ${target}\n`);
