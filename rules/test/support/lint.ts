import { Linter } from 'eslint';
import tsParser from '@typescript-eslint/parser';
import plugin from '../../src/index.js';
import type { RequireKeepaliveOptions } from '../../src/util/rule-options.js';

/** Language options the way a project's flat config would set them for this file: espree for JS, typescript-eslint for TS. */
export function languageOptionsFor(path: string): Linter.LanguageOptions {
  if (/\.[cm]?tsx?$/u.test(path)) {
    return { parser: tsParser as Linter.Parser, parserOptions: { ecmaFeatures: { jsx: path.endsWith('x') } } };
  }
  return {
    sourceType: path.endsWith('.cjs') ? 'commonjs' : 'module',
    parserOptions: { ecmaFeatures: { jsx: path.endsWith('.jsx') } },
  };
}

export function configFor(path: string, options: RequireKeepaliveOptions): Linter.Config[] {
  return [
    {
      // A pattern ending in `*` never makes a file lintable on its own in flat config: name the extensions.
      files: ['**/*.js', '**/*.jsx', '**/*.mjs', '**/*.cjs', '**/*.ts', '**/*.tsx', '**/*.mts', '**/*.cts'],
      languageOptions: languageOptionsFor(path),
      plugins: { keepalive: plugin as unknown as NonNullable<Linter.Config['plugins']>[string] },
      rules: { 'keepalive/require-keepalive': ['error', options] },
    },
  ];
}
