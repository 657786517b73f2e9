// One lint for the whole tree: typescript-eslint's type-aware recommended rules, each file checked
// against the tsconfig that owns it (projectService finds the nearest one: worker/, component/,
// load-tests/ have their own). `npm run lint` allows no warning.
import tseslint from 'typescript-eslint';

export default tseslint.config(
  {
    ignores: [
      'node_modules/',
      'dist/',
      '.wrangler/',
      'test-results/',
      'scratch/',
      'model/checkpoints/',
      'worker/test/fixtures/generated/',
      '**/*.mjs',
      '**/*.js',
    ],
  },
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      // `_unused` marks a deliberately unused binding.
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
    },
  },
);
