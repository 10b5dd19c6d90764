/**
 * The module graph of the audited tree: which parsed file a specifier names, and what travels along
 * those edges. A relative specifier (`./x`, `./x.js` for x.ts, `./dir` for its index) names a file
 * of the same package; a bare one (`@acme/dialer`, `@acme/dialer/creators`) names a package of the
 * tree by its package.json `name`, through its `exports` (a string, subpaths, conditions, nested),
 * else its `main`, else its `index.js`. Anything else (Node's modules, dependencies not in the tree)
 * resolves to nothing.
 *
 * Along the edges travel socket creators: a module that re-exports Node's `net.connect` under
 * another name (`exports.createSocket = net.connect`, `export const dial = net.connect`,
 * `module.exports = { tcp: net.connect, tls: tls.connect }`, `export { dial } from './dial'`), and
 * the modules that import it (`import { dial } from`, `import * as m`, `require()` with and without
 * destructuring, compiler interop); and, between packages, the imported bindings by which one
 * package calls another's functions (packageLinks). Links follow the import graph, never names: two
 * packages in one tree that both export `connect` stay apart.
 */
import nodePath from 'node:path';
import { ts } from './typescript.js';
import { bindingSiteOf, collectModuleBindings, moduleValue, type MemberBinding, type ModuleBindings } from './imports.js';
import type { FileCtx, FileIndex } from './file-index.js';
import { propertyNameText, requireSpecifier, skipOuterExpressions, stringValue } from './syntax.js';

/** The extensions a specifier may leave out, in the order they are tried, then a folder's index. */
const IMPLIED_SUFFIXES = ['.js', '.ts', '.mjs', '.cjs', '.mts', '.cts', '.tsx', '.jsx', '/index.js', '/index.ts'];

/** The paths a module at `base` (an absolute path) may be, in the order they are tried: itself, then with an implied extension or index (`./x.js` names x.ts too). */
export function candidatePaths(base: string): string[] {
  const stem = base.replace(/\.[cm]?[jt]sx?$/, '');
  return [base, ...IMPLIED_SUFFIXES.map((e) => stem + e)];
}

/** The paths a relative specifier may name from `dir`, in the order they are tried. */
export function resolveCandidates(dir: string, spec: string): string[] {
  return candidatePaths(nodePath.resolve(dir, spec));
}

/**
 * The conditions a package's `exports` is read with. Node takes the first key of an object it knows;
 * whether the importer loads the package by require() or import is not always written where the
 * edge is seen (neighbours), so both count, and the first target present in the tree wins.
 */
const EXPORT_CONDITIONS: ReadonlySet<string> = new Set(['node', 'require', 'import', 'module', 'default']);

/** The parsed file a specifier of `from` names, relative or a package of the tree, else null. */
export function resolveModule(project: FileIndex, from: FileCtx, spec: string): FileCtx | null {
  if (spec.startsWith('.')) return fileNear(project, nodePath.resolve(nodePath.dirname(from.path), spec));
  return resolvePackage(project, from, spec);
}

/** The parsed file at a path, or at it with an implied extension or index. */
function fileNear(project: FileIndex, base: string): FileCtx | null {
  for (const c of candidatePaths(base)) {
    const hit = project.fileAt(c);
    if (hit) return hit;
  }
  return null;
}

/**
 * `@scope/name/sub/path` → file `./sub/path` of the package `@scope/name` of the tree, when it
 * belongs to the importer's workspace (where the package manager links it by that name).
 */
function resolvePackage(project: FileIndex, from: FileCtx, spec: string): FileCtx | null {
  if (spec.startsWith('node:') || spec.startsWith('/') || project.manifests.size === 0) return null;
  const workspace = from.packageDir !== null ? project.manifests.get(from.packageDir)?.workspace : null;
  if (!workspace) return null;
  const parts = spec.split('/');
  const nameLength = spec.startsWith('@') ? 2 : 1;
  const name = parts.slice(0, nameLength).join('/');
  const dir = project.packageNamed(name);
  if (dir === null) return null;
  const manifest = project.manifests.get(dir)!;
  if (manifest.workspace !== workspace) return null;
  const subpath = ['.', ...parts.slice(nameLength)].join('/');
  const targets = manifest.exports !== undefined ? exportTargets(manifest.exports, subpath) : subpath === '.' ? [manifest.main ?? './index.js', './index.js'] : [subpath];
  for (const t of targets) {
    const hit = fileNear(project, nodePath.resolve(dir, t));
    if (hit) return hit;
  }
  return null;
}

/**
 * The targets `exports` maps a subpath to, in preference order: `"./x"` (a string means `"."`), an
 * object of subpaths (`"./*"` patterns too) or of conditions, nested, arrays as fallbacks.
 */
export function exportTargets(exports: unknown, subpath: string): string[] {
  const isSubpathMap = (o: object) => Object.keys(o).some((k) => k.startsWith('.'));
  if (typeof exports === 'string' || Array.isArray(exports) || (exports && typeof exports === 'object' && !isSubpathMap(exports))) {
    return subpath === '.' ? conditionalTargets(exports, null) : [];
  }
  if (!exports || typeof exports !== 'object') return [];
  const map = exports as Record<string, unknown>;
  if (Object.hasOwn(map, subpath)) return conditionalTargets(map[subpath], null);
  // Of the patterns that match, the one with the longest part before its `*` (Node's order).
  let best: { head: string; tail: string; value: unknown } | null = null;
  for (const [key, value] of Object.entries(map)) {
    const star = key.indexOf('*');
    if (star < 0 || key.indexOf('*', star + 1) >= 0) continue;
    const [head, tail] = [key.slice(0, star), key.slice(star + 1)];
    if (subpath.length >= key.length - 1 && subpath.startsWith(head) && subpath.endsWith(tail) && (!best || head.length > best.head.length)) best = { head, tail, value };
  }
  return best ? conditionalTargets(best.value, subpath.slice(best.head.length, subpath.length - best.tail.length)) : [];
}

/** The targets of one `exports` value under the conditions Node reads (EXPORT_CONDITIONS). */
function conditionalTargets(value: unknown, star: string | null): string[] {
  if (typeof value === 'string') return value.startsWith('./') ? [star === null ? value : value.split('*').join(star)] : [];
  if (Array.isArray(value)) return value.flatMap((v) => conditionalTargets(v, star));
  if (!value || typeof value !== 'object') return [];
  return Object.entries(value as Record<string, unknown>).flatMap(([k, v]) => (EXPORT_CONDITIONS.has(k) ? conditionalTargets(v, star) : []));
}

/**
 * The names the file's default export is declared under: `module.exports = function dial() {}`,
 * `module.exports = dial`, `exports.default = dial` (compiled ES modules), `export default dial`,
 * `export default function dial() {}`.
 */
export function defaultExportNames(ctx: FileCtx): string[] {
  const out: string[] = [];
  const add = (value: ts.Node): void => {
    const v = ts.isExpression(value) ? skipOuterExpressions(value) : value;
    if (ts.isIdentifier(v)) out.push(v.text);
    else if ((ts.isFunctionExpression(v) || ts.isClassExpression(v)) && v.name) out.push(v.name.text);
  };
  for (const stmt of ctx.sf.statements) {
    if (ts.isExportAssignment(stmt) && !stmt.isExportEquals) add(stmt.expression);
    else if ((ts.isFunctionDeclaration(stmt) || ts.isClassDeclaration(stmt)) && stmt.name && stmt.modifiers?.some((m) => m.kind === ts.SyntaxKind.DefaultKeyword)) out.push(stmt.name.text);
    else if (ts.isExpressionStatement(stmt) && ts.isBinaryExpression(stmt.expression) && stmt.expression.operatorToken.kind === ts.SyntaxKind.EqualsToken && exportTarget(stmt.expression.left) === 'default') add(stmt.expression.right);
  }
  return out;
}

/** A binding of one file to a module of another package of the tree: `local` is its export `imported`, or the whole module (null). */
export interface PackageLink {
  local: string;
  imported: string | null;
  target: FileCtx;
}

/**
 * The file's bindings of modules of other packages in the tree: `import d, { a as b }, * as ns from
 * 'pkg'`, `const ns = require('pkg')` (interop-wrapped too), `const { a: b } = require('pkg')`,
 * `const b = require('pkg').a`. How the functions of one package are called from another.
 */
export function packageLinks(ctx: FileCtx, project: FileIndex): PackageLink[] {
  if (ctx.packageImports.length === 0) return [];
  const out: PackageLink[] = [];
  const target = (spec: string | null): FileCtx | null => {
    if (spec === null || spec.startsWith('.')) return null;
    const f = resolvePackage(project, ctx, spec);
    return f && f.packageDir !== ctx.packageDir ? f : null;
  };
  for (const stmt of ctx.sf.statements) {
    if (!ts.isImportDeclaration(stmt) || stmt.importClause?.isTypeOnly) continue;
    const t = target(stringValue(stmt.moduleSpecifier));
    const clause = stmt.importClause;
    if (!t || !clause) continue;
    if (clause.name) out.push({ local: clause.name.text, imported: 'default', target: t });
    const named = clause.namedBindings;
    if (named && ts.isNamespaceImport(named)) out.push({ local: named.name.text, imported: null, target: t });
    else if (named) for (const el of named.elements) if (!el.isTypeOnly) out.push({ local: el.name.text, imported: (el.propertyName ?? el.name).text, target: t });
  }
  const visit = (n: ts.Node): void => {
    if (ts.isVariableDeclaration(n) && n.initializer) {
      let value = skipOuterExpressions(n.initializer);
      let member: string | null = null;
      if (ts.isPropertyAccessExpression(value)) {
        member = value.name.text;
        value = skipOuterExpressions(value.expression);
      }
      const t = target(moduleRequire(value));
      if (t && ts.isIdentifier(n.name)) out.push({ local: n.name.text, imported: member, target: t });
      else if (t && member === null && ts.isObjectBindingPattern(n.name)) {
        for (const el of n.name.elements) {
          if (el.dotDotDotToken || !ts.isIdentifier(el.name)) continue;
          const imported = el.propertyName ? propertyNameText(el.propertyName) : el.name.text;
          if (imported !== null) out.push({ local: el.name.text, imported, target: t });
        }
      }
    }
    ts.forEachChild(n, visit);
  };
  visit(ctx.sf);
  return out;
}

/** Export name → the Node creator it is; `default` for `module.exports = …` / `export default …`. */
export type CreatorExports = ReadonlyMap<string, MemberBinding>;

const MAX_REEXPORT_DEPTH = 4;

/** The creators a file exports (its own and those it re-exports from other modules of the tree). */
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
      const from = spec ? resolveModule(project, ctx, spec) : null;
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
 * The file's module bindings with the creators its imports of the tree bring in: named and default
 * imports, namespaces (`import * as m`, `const m = require('./x')`, interop-wrapped), destructured
 * requires, then aliases of them (`const fn = secure ? createSecure : create`). The file's own
 * bindings when it imports no creator.
 */
export function linkedBindings(ctx: FileCtx, project: FileIndex): ModuleBindings {
  if ((ctx.relativeImports.length === 0 && ctx.packageImports.length === 0) || project.fileCount === 1) return ctx.bindings;
  const seed: ModuleBindings = { namespaces: new Map(ctx.bindings.namespaces), members: new Map(ctx.bindings.members), locals: new Map(ctx.bindings.locals ?? []) };
  let linked = false;
  const exportsOf = (spec: string | null): CreatorExports | null => {
    if (!spec) return null;
    // a module not parsed yet that exports no creator is not parsed for the question
    if (spec.startsWith('.') && !project.mayExportCreators(ctx, spec)) return null;
    const f = resolveModule(project, ctx, spec);
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
    const theirs = exportsOf(moduleRequire(value));
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

/** `require('x')`, `__importDefault(require('x'))`, `await import('x')`: the specifier. */
export function moduleRequire(value: ts.Expression): string | null {
  let e = skipOuterExpressions(value);
  if (ts.isAwaitExpression(e)) e = skipOuterExpressions(e.expression);
  if (ts.isCallExpression(e) && ts.isIdentifier(e.expression) && /interop|import(Default|Star)|__toESM/i.test(e.expression.text) && e.arguments[0]) e = skipOuterExpressions(e.arguments[0]);
  return requireSpecifier(e) ?? (ts.isCallExpression(e) && e.expression.kind === ts.SyntaxKind.ImportKeyword ? stringValue(e.arguments[0]) : null);
}
