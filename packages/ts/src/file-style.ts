/**
 * A file's writing conventions (line endings, quotes, semicolons, indentation, arrow functions or
 * not), so the rewrite's
 * insertions read like the code around them. A leaf: the file index counts quotes and semicolons
 * in its one walk (countStyle), the rewrite reads the result (fileStyle).
 */
import { ts } from './typescript.js';

/** The file's conventions, read once per file. */
export interface FileStyle {
  eol: string;
  quote: string;
  semicolons: boolean;
  indentUnit: string;
  /** False in a file written in ES5 only: the rewrite's listeners are then `function` expressions. */
  arrows: boolean;
}

/** Quotes of string literals and semicolons ending statements, counted by the file's indexing walk (buildFileCtx). */
export interface StyleCounts {
  single: number;
  double: number;
  withSemi: number;
  withoutSemi: number;
  /** Syntax newer than ES5 (arrow functions, let/const, classes, templates, import/export). */
  modern: number;
}

/**
 * Counts one node: a literal's quote read at its end (its closing quote is its opening one), a
 * statement's last character, syntax newer than ES5.
 */
export function countStyle(n: ts.Node, text: string, counts: StyleCounts): void {
  if (n.kind === STRING_LITERAL) {
    if (text.charAt(n.end - 1) === '"') counts.double++;
    else counts.single++;
    return;
  }
  if (n.kind === VARIABLE_STATEMENT && ((n as unknown as { declarationList: ts.Node }).declarationList.flags & LET_OR_CONST)) counts.modern++;
  if (text.charAt(n.end - 1) === ';') counts.withSemi++;
  else counts.withoutSemi++;
}

/** The node kinds countStyle counts (read once: every `ts.X` is a getter on TypeScript's module object). */
const STRING_LITERAL = ts.SyntaxKind.StringLiteral;
const VARIABLE_STATEMENT = ts.SyntaxKind.VariableStatement;
const LET_OR_CONST = ts.NodeFlags.Let | ts.NodeFlags.Const;
/** Syntax newer than ES5 that the indexing walk counts in `modern` (let/const: countStyle). */
export const MODERN_KINDS: ReadonlySet<ts.SyntaxKind> = new Set([
  ts.SyntaxKind.ArrowFunction, ts.SyntaxKind.ClassDeclaration, ts.SyntaxKind.ClassExpression, ts.SyntaxKind.TemplateExpression,
  ts.SyntaxKind.NoSubstitutionTemplateLiteral, ts.SyntaxKind.ImportDeclaration, ts.SyntaxKind.ExportDeclaration, ts.SyntaxKind.ExportAssignment,
]);
export const STYLE_KINDS: ReadonlySet<ts.SyntaxKind> = new Set([STRING_LITERAL, ts.SyntaxKind.ExpressionStatement, VARIABLE_STATEMENT, ts.SyntaxKind.ReturnStatement]);

/** The file's style, from the counts of its indexing walk (no second walk over every node) and its indentation. */
export function fileStyle(text: string, counts: StyleCounts): FileStyle {
  const eol = text.includes('\r\n') ? '\r\n' : '\n';
  const { single, double, withSemi, withoutSemi } = counts;
  const indents = [...text.matchAll(/^([ \t]+)\S/gm)].map((m) => m[1]!);
  const tab = indents.filter((i) => i.startsWith('\t')).length > indents.length / 2;
  const spaces = indents.filter((i) => !i.startsWith('\t')).map((i) => i.length).filter((n) => n > 0);
  const unit = tab ? '\t' : ' '.repeat(spaces.length ? Math.min(...spaces) : 2);
  return { eol, quote: double > single ? '"' : "'", semicolons: withSemi >= withoutSemi, indentUnit: unit, arrows: counts.modern > 0 };
}
