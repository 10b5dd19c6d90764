/**
 * The one place the engine loads TypeScript. Through `require`, not `import`: importing the 9 MB
 * CommonJS typescript.js from an ES module makes Node detect its format and lex it for named
 * exports first (cjs-module-lexer), about 0.7 s at every start of the CLI, ESLint or jscodeshift;
 * `require` costs about 0.3 s. Every other module imports `ts` from here, never from 'typescript'
 * (`import type` from 'typescript' is fine: it leaves no trace at run time).
 */
import { createRequire } from 'node:module';
import type * as TS from 'typescript';
import { requireCompiled } from '@ka-codemod/core';

// With the CLI's code cache on (core's compile-cache.ts), compiled from it: a few ms instead of 0.2-0.3 s.
export const ts = requireCompiled(createRequire(import.meta.url), 'typescript') as typeof TS;

/**
 * The compiler API's types under the same `ts.` name as its values (a const cannot carry types).
 * A type missing here is a compile error: add it.
 */
// eslint-disable-next-line @typescript-eslint/no-namespace -- types only, merged with the const above
export declare namespace ts {
  export type AsExpression = TS.AsExpression;
  export type BinaryExpression = TS.BinaryExpression;
  export type BindingElement = TS.BindingElement;
  export type BindingName = TS.BindingName;
  export type Block = TS.Block;
  export type CallExpression = TS.CallExpression;
  export type ClassDeclaration = TS.ClassDeclaration;
  export type ClassElement = TS.ClassElement;
  export type ClassLikeDeclaration = TS.ClassLikeDeclaration;
  export type ConstructorDeclaration = TS.ConstructorDeclaration;
  export type CompilerOptions = TS.CompilerOptions;
  export type DiagnosticWithLocation = TS.DiagnosticWithLocation;
  export type ElementAccessExpression = TS.ElementAccessExpression;
  export type ExportDeclaration = TS.ExportDeclaration;
  export type Expression = TS.Expression;
  export type FunctionDeclaration = TS.FunctionDeclaration;
  export type FunctionLikeDeclaration = TS.FunctionLikeDeclaration;
  export type Identifier = TS.Identifier;
  export type ImportDeclaration = TS.ImportDeclaration;
  export type JSDocParsingMode = TS.JSDocParsingMode;
  export type MemberName = TS.MemberName;
  export type NewExpression = TS.NewExpression;
  export type Node = TS.Node;
  export type NodeFlags = TS.NodeFlags;
  export type NonNullExpression = TS.NonNullExpression;
  export type ObjectLiteralElementLike = TS.ObjectLiteralElementLike;
  export type ObjectLiteralExpression = TS.ObjectLiteralExpression;
  export type ParameterDeclaration = TS.ParameterDeclaration;
  export type ParenthesizedExpression = TS.ParenthesizedExpression;
  export type Program = TS.Program;
  export type PropertyAccessExpression = TS.PropertyAccessExpression;
  export type PropertyAssignment = TS.PropertyAssignment;
  export type PropertyDeclaration = TS.PropertyDeclaration;
  export type PropertyName = TS.PropertyName;
  export type SatisfiesExpression = TS.SatisfiesExpression;
  export type ScriptKind = TS.ScriptKind;
  export type ScriptTarget = TS.ScriptTarget;
  export type ShorthandPropertyAssignment = TS.ShorthandPropertyAssignment;
  export type SourceFile = TS.SourceFile;
  export type Statement = TS.Statement;
  export type StringLiteralLike = TS.StringLiteralLike;
  export type SyntaxKind = TS.SyntaxKind;
  export type Type = TS.Type;
  export type TypeAssertion = TS.TypeAssertion;
  export type TypeChecker = TS.TypeChecker;
  export type TypeElement = TS.TypeElement;
  export type TypeFlags = TS.TypeFlags;
  export type TypeNode = TS.TypeNode;
  export type VariableDeclaration = TS.VariableDeclaration;
}
