/** The type checker's answers (type-oracle.ts): which program files hold Node's classes, and what nodeKindOf leaves out. */
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { checkerOracle, declaresNodeTypes } from '../src/type-oracle.js';

describe('declaresNodeTypes', () => {
  it.each([
    ['/p/node_modules/@types/node/net.d.ts', true],
    ['/p/node_modules/@types/node/ts5.6/tls.d.ts', true],
    ['C:\\p\\node_modules\\@types\\node\\http.d.ts', true],
    ['/p/node_modules/@types/node/fs.d.ts', false],
    ['/p/node_modules/typescript/lib/lib.es5.d.ts', false],
    ['/p/src/net.d.ts', false],
  ])('%s → %s', (file, expected) => {
    expect(declaresNodeTypes(file)).toBe(expected);
  });
});

describe('checkerOracle', () => {
  it("answers 'other' for a value of a known type, and nodeKindOf null for it", () => {
    const text = 'const o = { a: 1 };\no;\n';
    const sf = ts.createSourceFile('/a.ts', text, ts.ScriptTarget.Latest, true);
    const host = ts.createCompilerHost({ noLib: true });
    host.getSourceFile = (name) => (name === '/a.ts' ? sf : undefined);
    const program = ts.createProgram({ rootNames: ['/a.ts'], options: { noLib: true, types: [] }, host });
    const oracle = checkerOracle(program.getTypeChecker());
    const use = (sf.statements[1] as ts.ExpressionStatement).expression;
    expect(oracle.kindOf(use)).toBe('other');
    expect(oracle.nodeKindOf(use)).toBeNull();
  });
});
