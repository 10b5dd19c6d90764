import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { RuleTester } from '@typescript-eslint/rule-tester';
import type { TSESLint } from '@typescript-eslint/utils';
import { afterAll, describe, it } from 'vitest';

// @typescript-eslint/rule-tester drives whatever test framework it is handed: here vitest.
RuleTester.afterAll = afterAll;
RuleTester.describe = describe;
RuleTester.it = it;
RuleTester.itOnly = it.only;

/** A small TS project (tsconfig + package.json with engines.node) the typed tests lint inside. */
export const fixtureProject = fileURLToPath(new URL('../fixture-project/', import.meta.url));

/** ESLint's default parser, resolved the way ESLint itself resolves it. */
export const espree = createRequire(createRequire(import.meta.url).resolve('eslint'))('espree') as TSESLint.Parser.LooseParserModule;

export { RuleTester };
