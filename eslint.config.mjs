import nx from '@nx/eslint-plugin';
import tseslint from 'typescript-eslint';
import prettier from 'eslint-config-prettier';

/** Which project types may depend on which. Apps never import apps; tools never import apps. */
const depConstraints = [
  {
    sourceTag: 'type:app',
    onlyDependOnLibsWithTags: [
      'type:feature',
      'type:data-access',
      'type:domain',
      'type:util',
      'type:testing',
    ],
  },
  {
    sourceTag: 'type:feature',
    onlyDependOnLibsWithTags: ['type:feature', 'type:data-access', 'type:domain', 'type:util'],
  },
  {
    sourceTag: 'type:data-access',
    onlyDependOnLibsWithTags: ['type:data-access', 'type:domain', 'type:util'],
  },
  { sourceTag: 'type:domain', onlyDependOnLibsWithTags: ['type:domain', 'type:util'] },
  { sourceTag: 'type:util', onlyDependOnLibsWithTags: ['type:util'] },
  {
    sourceTag: 'type:testing',
    onlyDependOnLibsWithTags: [
      'type:feature',
      'type:data-access',
      'type:domain',
      'type:util',
      'type:tool',
      'type:testing',
    ],
  },
  {
    sourceTag: 'type:tool',
    onlyDependOnLibsWithTags: [
      'type:feature',
      'type:data-access',
      'type:domain',
      'type:util',
      'type:tool',
      'type:testing',
    ],
  },
];

export default tseslint.config(
  {
    ignores: [
      '**/node_modules/**',
      '**/dist/**',
      '**/out-tsc/**',
      '**/.nx/**',
      '**/coverage/**',
      '**/*.mjs',
      '**/*.cjs',
      '**/*.js',
    ],
  },
  ...nx.configs['flat/base'],
  ...nx.configs['flat/typescript'],
  {
    files: ['**/*.ts'],
    languageOptions: {
      parserOptions: {
        projectService: {
          allowDefaultProject: ['vitest.shared.ts', 'vitest.setup.ts', '*/*/vitest.config.ts'],
          maximumDefaultProjectFileMatchCount_THIS_WILL_SLOW_DOWN_LINTING: 64,
        },
        tsconfigRootDir: import.meta.dirname,
      },
    },
    rules: {
      '@nx/enforce-module-boundaries': [
        'error',
        {
          enforceBuildableLibDependency: false,
          banTransitiveDependencies: false,
          allow: ['^.*/vitest\\.shared(\\.js)?$'],
          depConstraints,
        },
      ],
      // Libraries are used only through their entry point (`@heliomesh/<lib>`), never a deep path.
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['@heliomesh/*/*'],
              message: 'Import a Heliomesh project only through its entry point.',
            },
          ],
        },
      ],
      '@typescript-eslint/switch-exhaustiveness-check': [
        'error',
        { considerDefaultExhaustiveForUnions: true, requireDefaultForNonUnion: false },
      ],
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': [
        'error',
        { checksVoidReturn: { arguments: false, attributes: false } },
      ],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-non-null-assertion': 'off',
      eqeqeq: ['error', 'smart'],
      curly: ['error', 'multi-line'],
    },
  },
  {
    // Production code never reaches for the test harness.
    files: ['apps/**/src/**/*.ts', 'libs/**/src/**/*.ts'],
    ignores: ['**/*.spec.ts', '**/*.test.ts', 'libs/testing/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['@heliomesh/*/*'],
              message: 'Import a Heliomesh project only through its entry point.',
            },
            {
              group: ['@heliomesh/testing', '@heliomesh/kube-sim', '@heliomesh/mesh-sim'],
              message: 'Test and sandbox code stays out of production code.',
            },
          ],
        },
      ],
    },
  },
  {
    // Tests read loosely typed response bodies; `any` there buys clarity, not risk. They may also
    // use the sandboxes and the test harness, whatever the project under test is (never an app).
    files: ['**/*.spec.ts', '**/test/**/*.ts', 'libs/testing/**/*.ts'],
    rules: {
      '@typescript-eslint/no-explicit-any': 'off',
      '@nx/enforce-module-boundaries': [
        'error',
        {
          enforceBuildableLibDependency: false,
          banTransitiveDependencies: false,
          allow: ['^.*/vitest\\.shared(\\.js)?$'],
          depConstraints: depConstraints.map((c) =>
            c.sourceTag === 'type:app' || c.sourceTag === 'type:util' || c.sourceTag === 'type:domain'
              ? c
              : {
                  ...c,
                  onlyDependOnLibsWithTags: [
                    ...new Set([...c.onlyDependOnLibsWithTags, 'type:tool', 'type:testing']),
                  ],
                },
          ),
        },
      ],
    },
  },
  prettier,
);
