/**
 * Socket creators that travel between the project's own modules: a module that re-exports Node's
 * `net.connect` under another name (`exports.createSocket = net.connect`, `export const dial =
 * net.connect`, `module.exports = { tcp: net.connect, tls: tls.connect }`, `export { dial } from
 * './dial'`), and the modules that import it by a relative specifier (`import { dial } from`,
 * `import * as m`, `require()` with and without destructuring, compiler interop). Links follow the
 * import graph, never names: two packages in one tree that both export `connect` stay apart.
 */
import { ts } from './typescript.js';
import { bindingSiteOf, collectModuleBindings, moduleValue, type MemberBinding, type ModuleBindings } from './imports.js';
import type { FileCtx, FileIndex } from './file-index.js';
import { propertyNameText, requireSpecifier, skipOuterExpressions, stringValue } from './syntax.js';

/** Export name → the Node creator it is; `default` for `module.exports = …` / `export default …`. */
export type CreatorExports = ReadonlyMap<string, MemberBinding>;

const MAX_REEXPORT_DEPTH = 4;

/** The creators a file exports (its own and those it re-exports from relative modules). */
export function creatorExports(ctx: FileCtx, project: FileIndex, depth = 0, seen = new Set<FileCtx>()): CreatorExports {
  const out = new Map<string, MemberBinding>();
  if (seen.has(ctx) || depth > MAX_REEXPORT_DEPTH) return out;
  seen.add(ctx);
  const b = ctx.bindings;
  const member = (e: ts.Expression | undefined): MemberBinding | null => {
    if (!e) return null;
    const v = moduleValue(e, b);
    return v?.kind === 'member' ? { module: v.module, name: v.name } : null;
  };
  const addObject = (o: ts.ObjectLiteralExpression): void => {
    for (const p of o.properties) {
      const name = p.name ? propertyNameText(p.name as ts.PropertyName) : null;
      if (name === null) continue;
      const m = ts.isPropertyAssignment(p) ? member(p.initializer) : ts.isShorthandPropertyAssignment(p) ? member(p.name) : null;
      if (m) out.set(name, m);
    }
  };
  for (const stmt of ctx.sf.statements) {
    if (ts.isVariableStatement(stmt) && stmt.modifiers?.some((m) => m.kind === ts.SyntaxKind.ExportKeyword)) {
      for (const d of stmt.declarationList.declarations) {
        const m = ts.isIdentifier(d.name) ? member(d.initializer) : null;
        if (m) out.set((d.name as ts.Identifier).text, m);
      }
    } else if (ts.isExportAssignment(stmt)) {
      const m = member(stmt.expression);
      if (m) out.set('default', m);
    } else if (ts.isExportDeclaration(stmt) && !stmt.isTypeOnly) {
      const spec = stmt.moduleSpecifier ? stringValue(stmt.moduleSpecifier) : null;
      const from = spec?.startsWith('.') ? project.resolveRelative(ctx, spec) : null;
      const theirs = from ? creatorExports(from, project, depth + 1, seen) : null;
      const clause = stmt.exportClause;
      if (!clause) {
        // export * from './x'
        if (theirs) for (const [k, v] of theirs) if (k !== 'default') out.set(k, v);
      } else if (ts.isNamedExports(clause)) {
        for (const el of clause.elements) {
          const local = (el.propertyName ?? el.name).text;
          const m = theirs ? theirs.get(local) : member(ts.factory.createIdentifier(local)) ?? localMember(b, local);
          if (m) out.set(el.name.text, m);
        }
      }
    } else if (ts.isExpressionStatement(stmt) && ts.isBinaryExpression(stmt.expression) && stmt.expression.operatorToken.kind === ts.SyntaxKind.EqualsToken) {
      const { left, right } = stmt.expression;
      const target = exportTarget(left);
      if (target === null) continue;
      const value = skipOuterExpressions(right);
      if (target === 'default' && ts.isObjectLiteralExpression(value)) addObject(value);
      const m = member(right);
      if (m) out.set(target, m);
    }
  }
  return out;
}

/** A member binding of the file by local name (`const dial = net.connect; export { dial }`). */
function localMember(b: ModuleBindings, name: string): MemberBinding | null {
  const m = b.members.get(name);
  return m && !m.scopes ? { module: m.module, name: m.name } : null;
}

/** `module.exports` → default, `module.exports.x` / `exports.x` → x, else null. */
function exportTarget(left: ts.Expression): string | null {
  const e = skipOuterExpressions(left);
  if (!ts.isPropertyAccessExpression(e)) return null;
  const owner = skipOuterExpressions(e.expression);
  if (ts.isIdentifier(owner) && owner.text === 'module' && e.name.text === 'exports') return 'default';
  if (ts.isIdentifier(owner) && owner.text === 'exports') return e.name.text;
  if (ts.isPropertyAccessExpression(owner) && ts.isIdentifier(owner.expression) && owner.expression.text === 'module' && owner.name.text === 'exports') return e.name.text;
  return null;
}

/**
 * The file's module bindings with the creators its relative imports bring in: named and default
 * imports, namespaces (`import * as m`, `const m = require('./x')`, interop-wrapped), destructured
 * requires, then aliases of them (`const fn = secure ? createSecure : create`). The file's own
 * bindings when it imports no creator.
 */
export function linkedBindings(ctx: FileCtx, project: FileIndex): ModuleBindings {
  if (ctx.relativeImports.length === 0 || project.fileCount === 1) return ctx.bindings;
  const seed: ModuleBindings = { namespaces: new Map(ctx.bindings.namespaces), members: new Map(ctx.bindings.members), locals: new Map(ctx.bindings.locals ?? []) };
  let linked = false;
  const exportsOf = (spec: string | null): CreatorExports | null => {
    if (!spec?.startsWith('.') || !project.mayExportCreators(ctx, spec)) return null;
    const f = project.resolveRelative(ctx, spec);
    if (!f) return null;
    const e = creatorExports(f, project);
    return e.size ? e : null;
  };
  for (const stmt of ctx.sf.statements) {
    if (!ts.isImportDeclaration(stmt) || stmt.importClause?.isTypeOnly) continue;
    const theirs = exportsOf(stringValue(stmt.moduleSpecifier));
    const clause = stmt.importClause;
    if (!theirs || !clause) continue;
    linked = true;
    if (clause.name) {
      const d = theirs.get('default');
      if (d) seed.members.set(clause.name.text, d);
    }
    const named = clause.namedBindings;
    if (named && ts.isNamespaceImport(named)) seed.locals!.set(named.name.text, theirs);
    else if (named) {
      for (const el of named.elements) {
        const m = theirs.get((el.propertyName ?? el.name).text);
        if (m && !el.isTypeOnly) seed.members.set(el.name.text, m);
      }
    }
  }
  const sites: Array<{ target: ts.BindingName | ts.Expression; value: ts.Expression }> = [];
  const visit = (n: ts.Node): void => {
    const site = bindingSiteOf(n);
    if (site) sites.push(site);
    ts.forEachChild(n, visit);
  };
  visit(ctx.sf);
  for (const { target, value } of sites) {
    const theirs = exportsOf(relativeRequire(value));
    if (!theirs) continue;
    linked = true;
    if (ts.isIdentifier(target)) {
      seed.locals!.set(target.text, theirs);
      const d = theirs.get('default');
      if (d) seed.members.set(target.text, d);
    } else if (ts.isObjectBindingPattern(target)) {
      for (const el of target.elements) {
        if (el.dotDotDotToken || !ts.isIdentifier(el.name)) continue;
        const m = theirs.get(el.propertyName ? propertyNameText(el.propertyName) ?? '' : el.name.text);
        if (m) seed.members.set(el.name.text, m);
      }
    }
  }
  return linked ? collectModuleBindings(ctx.sf, sites, seed) : ctx.bindings;
}

/** `require('./x')`, `__importDefault(require('./x'))`, `require('./x').default`: the specifier. */
function relativeRequire(value: ts.Expression): string | null {
  let e = skipOuterExpressions(value);
  if (ts.isAwaitExpression(e)) e = skipOuterExpressions(e.expression);
  if (ts.isCallExpression(e) && ts.isIdentifier(e.expression) && /interop|import(Default|Star)|__toESM/i.test(e.expression.text) && e.arguments[0]) e = skipOuterExpressions(e.arguments[0]);
  const spec = requireSpecifier(e) ?? (ts.isCallExpression(e) && e.expression.kind === ts.SyntaxKind.ImportKeyword ? stringValue(e.arguments[0]) : null);
  return spec?.startsWith('.') ? spec : null;
}
