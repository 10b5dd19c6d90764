/** The rule hands typescript-eslint's own ts.SourceFile to the engine, so a TS file is parsed once. */
import { Linter, type Rule } from 'eslint';
import tsParser from '@typescript-eslint/parser';
import type { TSESLint } from '@typescript-eslint/utils';
import { describe, expect, it } from 'vitest';
import { parsedTree } from '../src/util/parsed-tree.js';

const CODE = "import * as net from 'node:net';\nexport const s = net.connect(80, 'h');\n";

/** What parsedTree sees inside a lint run with the given parser (undefined: ESLint's default, espree). */
function treeUnder(parser: Linter.Parser | undefined, filename: string): { tree: unknown; text: string } {
  const seen: { tree: unknown; text: string } = { tree: null, text: '' };
  const probe: Rule.RuleModule = {
    create(context) {
      return {
        Program() {
          const sourceCode = context.sourceCode as unknown as TSESLint.SourceCode;
          seen.tree = parsedTree(sourceCode);
          seen.text = sourceCode.text;
        },
      };
    },
  };
  const languageOptions: Linter.LanguageOptions = { sourceType: 'module', ...(parser ? { parser } : {}) };
  const messages = new Linter({ configType: 'flat' }).verify(CODE, [{ files: ['**/*.ts', '**/*.js'], languageOptions, plugins: { t: { rules: { probe } } }, rules: { 't/probe': 'error' } }], filename);
  expect(messages).toEqual([]);
  return seen;
}

describe('parsedTree', () => {
  it("is typescript-eslint's ts.SourceFile of exactly the linted text, parents set", () => {
    const { tree, text } = treeUnder(tsParser as unknown as Linter.Parser, 'client.ts');
    const sf = tree as { kind: number; text: string; statements: Array<{ parent: unknown }> };
    expect(sf.kind).toBe(308); // ts.SyntaxKind.SourceFile in TypeScript 6
    expect(sf.text).toBe(text);
    expect(sf.statements[0]!.parent).toBe(sf);
  });

  it('is undefined under espree (no parser services): the engine parses', () => {
    expect(treeUnder(undefined, 'client.js').tree).toBeUndefined();
  });
});
