import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '@heliomesh/testing';

// Type-aware rules need files that exist in a tsconfig; the boundary rules do not, so they are
// checked here on virtual files with type information switched off.
const eslint = new ESLint({
  cwd: REPO_ROOT,
  overrideConfig: {
    languageOptions: { parserOptions: { projectService: false } },
    rules: {
      '@typescript-eslint/switch-exhaustiveness-check': 'off',
      '@typescript-eslint/no-floating-promises': 'off',
      '@typescript-eslint/no-misused-promises': 'off',
    },
  },
});

async function violations(
  filePath: string,
  code: string,
): Promise<Array<{ rule: string | null; message: string }>> {
  const [result] = await eslint.lintText(code, { filePath: `${REPO_ROOT}/${filePath}` });
  return result!.messages.map((m) => ({ rule: m.ruleId, message: m.message }));
}

describe('module boundaries', () => {
  it('rejects an app importing another app', async () => {
    const found = await violations(
      'apps/gateway/src/probe.ts',
      "import { startPolicyApi } from '@heliomesh/policy-api';\nexport const x = startPolicyApi;\n",
    );
    expect(found).toContainEqual(expect.objectContaining({ rule: '@nx/enforce-module-boundaries' }));
  });

  it('rejects a library importing an app', async () => {
    const found = await violations(
      'libs/util/src/probe.ts',
      "import { x } from '@heliomesh/gateway';\nexport const y = x;\n",
    );
    expect(found).toContainEqual(expect.objectContaining({ rule: '@nx/enforce-module-boundaries' }));
  });

  it('rejects a domain library importing a data-access library', async () => {
    const found = await violations(
      'libs/policy/src/probe.ts',
      "import { createDataSource } from '@heliomesh/db';\nexport const y = createDataSource;\n",
    );
    expect(found).toContainEqual(expect.objectContaining({ rule: '@nx/enforce-module-boundaries' }));
  });

  it('rejects a deep import into a library', async () => {
    const found = await violations(
      'apps/gateway/src/probe.ts',
      "import { ENTITIES } from '@heliomesh/db/src/schema.js';\nexport const y = ENTITIES;\n",
    );
    expect(
      found.some((v) => v.rule === 'no-restricted-imports' || v.rule === '@nx/enforce-module-boundaries'),
    ).toBe(true);
  });

  it('rejects test and sandbox code in production sources', async () => {
    const found = await violations(
      'apps/gateway/src/probe.ts',
      "import { createTestDatabase } from '@heliomesh/testing';\nexport const y = createTestDatabase;\n",
    );
    expect(found).toContainEqual(expect.objectContaining({ rule: 'no-restricted-imports' }));
  });

  it('accepts an app importing a library through its entry point', async () => {
    const found = await violations(
      'apps/gateway/src/probe.ts',
      "import { createDataSource } from '@heliomesh/db';\nexport const y = createDataSource;\n",
    );
    expect(
      found.filter((v) => v.rule === '@nx/enforce-module-boundaries' || v.rule === 'no-restricted-imports'),
    ).toEqual([]);
  });
});
