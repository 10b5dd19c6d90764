import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

const src = (p: string) => fileURLToPath(new URL(p, import.meta.url));

const TESTS = ['packages/*/test/**/*.test.ts', 'rules/test/**/*.test.ts', 'transforms/test/**/*.test.ts', 'test/**/*.test.ts'];
/** Test files that replace a module with vi.mock. */
const MOCKING = ['rules/test/not-analysed.test.ts', 'transforms/test/engine-call.test.ts'];

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
    testTimeout: 60_000,
    hookTimeout: 120_000,
    projects: [
      {
        // Test files share one module graph per worker: the engines' parsers, TypeScript's lib
        // files and the grammar load once, as in one CLI run, instead of once per test file
        // (about three quarters of the suite's time). A test must not rely on a fresh module.
        extends: true,
        test: { name: 'shared', include: TESTS, exclude: MOCKING, isolate: false },
      },
      {
        // vi.mock replaces a module for one file only when that file gets its own module graph
        extends: true,
        test: { name: 'isolated', include: MOCKING, isolate: true },
      },
    ],
  },
});
