import { createRequire } from 'node:module';
import type { TSESLint } from '@typescript-eslint/utils';
import { requireKeepalive } from './rules/require-keepalive.js';

// package.json sits one level up from both src/ (tests) and dist/ (the published plugin).
const pkg = createRequire(import.meta.url)('../package.json') as { name: string; version: string };

const rules = {
  'require-keepalive': requireKeepalive,
} satisfies Record<string, TSESLint.RuleModule<string, unknown[]>>;

interface KeepalivePlugin {
  meta: { name: string; version: string };
  rules: typeof rules;
  configs: { recommended: TSESLint.FlatConfig.Config };
}

const plugin: KeepalivePlugin = {
  meta: { name: pkg.name, version: pkg.version },
  rules,
  configs: { recommended: {} },
};

// The config refers to the plugin object itself, so users write `keepalive.configs.recommended` and nothing else.
plugin.configs.recommended = {
  name: 'keepalive/recommended',
  plugins: { keepalive: plugin as unknown as TSESLint.FlatConfig.Plugin },
  rules: { 'keepalive/require-keepalive': 'error' },
};

export default plugin;
