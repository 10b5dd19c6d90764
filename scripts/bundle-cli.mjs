#!/usr/bin/env node
// Bundles the built CLI (packages/cli/dist, from `tsc -b`) into packages/cli/bundle/, the code the
// `ka-codemod` bin runs. Why: Node 20 has no compile cache, and loading ~60 small ES modules one
// by one was a sixth of a whole audit of PostgreSQL (about 50 ms of 0.9 s); one file loads in a
// fraction of that. The C engine's worker thread gets its own entry (scan/shard-worker.js, bundled beside the
// CLI's, where shards.ts looks for it), so it starts faster too. Native and lazily required
// packages stay outside: tree-sitter and its grammar (native addons), typescript (loaded only for
// TS/JS files), ajv and cli-progress (required at run time only when needed). The bundle resolves
// them from packages/cli, so the CLI package lists them as its own dependencies.
//
// usage: node scripts/bundle-cli.mjs   (run by `npm run build`, `prepare` and `npm test`)
import { rmSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'rolldown';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const out = path.join(repo, 'packages/cli/bundle');

rmSync(out, { recursive: true, force: true });
await build({
  input: {
    'ka-codemod': path.join(repo, 'packages/cli/dist/bin.js'),
    'shard-worker': path.join(repo, 'packages/c/dist/scan/shard-worker.js'),
  },
  platform: 'node',
  external: ['tree-sitter', 'tree-sitter-c', 'typescript', 'ajv', 'cli-progress'],
  logLevel: 'warn',
  output: {
    dir: out,
    format: 'esm',
    entryFileNames: '[name].js',
    chunkFileNames: '[name]-[hash].js',
    sourcemap: true,
  },
});
