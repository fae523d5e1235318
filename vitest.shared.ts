import { defineConfig, type ViteUserConfig } from 'vitest/config';

const sourceCondition = '@heliomesh/source';

/**
 * One vitest configuration for every project. Workspace libs resolve to their TypeScript sources
 * through the `@heliomesh/source` export condition, so tests never need a prior build.
 */
export function defineProjectConfig(
  projectDir: string,
  overrides: NonNullable<ViteUserConfig['test']> = {},
): ViteUserConfig {
  return defineConfig({
    root: projectDir,
    resolve: { conditions: [sourceCondition, 'node', 'default'] },
    ssr: { resolve: { conditions: [sourceCondition, 'node', 'default'] } },
    test: {
      environment: 'node',
      include: ['src/**/*.spec.ts', 'test/**/*.spec.ts'],
      testTimeout: 30_000,
      hookTimeout: 60_000,
      pool: 'forks',
      setupFiles: [new URL('./vitest.setup.ts', import.meta.url).pathname],
      reporters: process.env.CI ? ['default'] : ['default'],
      ...overrides,
    },
  });
}
