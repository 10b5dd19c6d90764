// Flat config for the repository's own code. ESLint 10 looks up the config from each linted file's
// directory, so data that only looks like code (fixtures, corpora, build output) is ignored explicitly.
import eslintPlugin from 'eslint-plugin-eslint-plugin';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  {
    name: 'ka-codemod/ignores',
    ignores: [
      '**/node_modules/**',
      '**/dist/**',
      'packages/cli/bundle/**',
      'fixtures/**',
      'coverage/**',
      // the bundled example project is audited, not linted
      'examples/**',
    ],
  },
  {
    name: 'ka-codemod/typescript',
    files: ['**/*.ts', '**/*.mts', '**/*.cts'],
    extends: [tseslint.configs.recommended],
  },
  {
    name: 'ka-codemod/eslint-plugin-rules',
    files: ['rules/src/**/*.ts'],
    extends: [eslintPlugin.configs.recommended],
    rules: {
      // RuleCreator (rules/src/util/create-rule.ts) adds meta.docs.url; the rule cannot see through it.
      'eslint-plugin/require-meta-docs-url': 'off',
      'eslint-plugin/require-meta-docs-description': ['error', { pattern: '^(Enforce|Require|Disallow)' }],
      'eslint-plugin/require-meta-schema-description': 'error',
      'eslint-plugin/require-meta-default-options': 'error',
      'eslint-plugin/prefer-message-ids': 'error',
      'eslint-plugin/no-property-in-node': 'off',
    },
  },
  {
    name: 'ka-codemod/eslint-plugin-tests',
    files: ['rules/test/**/*.ts'],
    extends: [eslintPlugin.configs.tests],
  },
);
