import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

const src = (p: string) => fileURLToPath(new URL(p, import.meta.url));

export default defineConfig({
  resolve: {
    // Tests run against the sources; the built dist/ is only for the binaries (CLI, ESLint, jscodeshift).
    alias: [
      { find: /^@ka-codemod\/core$/, replacement: src('./packages/core/src/index.ts') },
      { find: /^@ka-codemod\/core\/source-file$/, replacement: src('./packages/core/src/source-file.ts') },
      { find: /^@ka-codemod\/core\/lines$/, replacement: src('./packages/core/src/lines.ts') },
      { find: /^@ka-codemod\/c$/, replacement: src('./packages/c/src/index.ts') },
      { find: /^@ka-codemod\/ts$/, replacement: src('./packages/ts/src/index.ts') },
      { find: /^@ka-codemod\/ts\/constants$/, replacement: src('./packages/ts/src/constants.ts') },
      { find: /^@ka-codemod\/ts\/engine$/, replacement: src('./packages/ts/src/engine.ts') },
    ],
  },
  test: {
    include: ['packages/*/test/**/*.test.ts', 'rules/test/**/*.test.ts', 'transforms/test/**/*.test.ts', 'test/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
  },
});
