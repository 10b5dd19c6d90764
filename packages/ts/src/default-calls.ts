/**
 * Calls of a module's default export from the modules that import it: compiled code calls it as
 * `(0, mod.default)(…)` or `mod.default(…)`, never by the function's own name, and a CommonJS
 * `module.exports = fn` is called by whatever name the importer gives it. Links by the import,
 * not by name. The names a default export has: module-graph.ts, defaultExportNames.
 */
import { ts } from './typescript.js';
import type { Callish, FileCtx } from './file-index.js';
import { requireSpecifier, skipOuterExpressions, stringValue } from './syntax.js';

/**
 * In `importer`, the calls of `target`'s default export: through a default import (`import f from`,
 * `f()`), a module object (`const m = __importDefault(require(…))`, `import * as m`: `m.default()`,
 * `(0, m.default)()`), or a required function (`const f = require(…)`: `f()`).
 */
export function defaultExportCallsIn(importer: FileCtx, isTarget: (spec: string) => boolean): Callish[] {
  const direct = new Set<string>();
  const modules = new Set<string>();
  for (const stmt of importer.sf.statements) {
    if (ts.isImportDeclaration(stmt)) {
      const spec = stringValue(stmt.moduleSpecifier);
      const clause = stmt.importClause;
      if (spec === null || !clause || clause.isTypeOnly || !isTarget(spec)) continue;
      if (clause.name) direct.add(clause.name.text);
      if (clause.namedBindings && ts.isNamespaceImport(clause.namedBindings)) modules.add(clause.namedBindings.name.text);
    } else if (ts.isVariableStatement(stmt)) {
      for (const d of stmt.declarationList.declarations) {
        if (!ts.isIdentifier(d.name) || !d.initializer) continue;
        let e = skipOuterExpressions(d.initializer);
        const wrapped = ts.isCallExpression(e) && ts.isIdentifier(e.expression) && /interop|import(Default|Star)|__toESM/i.test(e.expression.text) && e.arguments[0] !== undefined;
        if (wrapped) e = skipOuterExpressions((e as ts.CallExpression).arguments[0]!);
        const spec = requireSpecifier(e);
        if (spec === null || !isTarget(spec)) continue;
        modules.add(d.name.text);
        if (!wrapped) direct.add(d.name.text);
      }
    }
  }
  const out: Callish[] = [];
  for (const name of direct) for (const c of importer.calls.get(name) ?? []) if (ts.isIdentifier(skipOuterExpressions(c.expression))) out.push(c);
  if (modules.size) {
    for (const c of importer.calls.get('default') ?? []) {
      let callee = skipOuterExpressions(c.expression);
      if (ts.isBinaryExpression(callee) && callee.operatorToken.kind === ts.SyntaxKind.CommaToken) callee = skipOuterExpressions(callee.right);
      if (!ts.isPropertyAccessExpression(callee)) continue;
      const owner = skipOuterExpressions(callee.expression);
      if (ts.isIdentifier(owner) && modules.has(owner.text)) out.push(c);
    }
  }
  return out;
}

/**
 * The module whose default export a call in `ctx` calls or constructs (`(0, m.default)(…)`,
 * `new m.default(…)` on `const m = __importDefault(require('./x'))` or `import * as m`), by its
 * relative specifier; null for any other callee.
 */
export function defaultExportSpecifier(call: Callish, ctx: FileCtx): string | null {
  let callee = skipOuterExpressions(call.expression);
  if (ts.isBinaryExpression(callee) && callee.operatorToken.kind === ts.SyntaxKind.CommaToken) callee = skipOuterExpressions(callee.right);
  if (!ts.isPropertyAccessExpression(callee) || callee.name.text !== 'default') return null;
  const owner = skipOuterExpressions(callee.expression);
  if (!ts.isIdentifier(owner)) return null;
  for (const stmt of ctx.sf.statements) {
    if (ts.isImportDeclaration(stmt)) {
      const named = stmt.importClause?.namedBindings;
      if (named && ts.isNamespaceImport(named) && named.name.text === owner.text) return stringValue(stmt.moduleSpecifier);
    } else if (ts.isVariableStatement(stmt)) {
      for (const d of stmt.declarationList.declarations) {
        if (!ts.isIdentifier(d.name) || d.name.text !== owner.text || !d.initializer) continue;
        let e = skipOuterExpressions(d.initializer);
        if (ts.isCallExpression(e) && ts.isIdentifier(e.expression) && /interop|import(Default|Star)|__toESM/i.test(e.expression.text) && e.arguments[0]) e = skipOuterExpressions(e.arguments[0]);
        return requireSpecifier(e);
      }
    }
  }
  return null;
}
