/**
 * How net/tls/http/https arrive in a file: every import and require form, interop wrappers emitted
 * by compilers (`__importDefault(require('net'))`, `_interopRequireWildcard(...)`), `.default`,
 * destructuring, and re-assigned aliases (`const n = net; const c = n.connect`).
 */
import { ts } from './typescript.js';
import { SOCKET_MODULES, type NodeModule } from './node-api.js';
import { contains, propertyNameText, requireSpecifier, skipOuterExpressions, socketModuleOf, stringValue } from './syntax.js';

/**
 * `others`: the other modules the value may be at run time (`secure ? tls : net`, a variable given
 * net and later tls); `module` is the one a site is labelled by (TLS, see eitherModule).
 */
export type ModuleValue = { kind: 'namespace'; module: NodeModule; others?: readonly NodeModule[] } | { kind: 'member'; module: NodeModule; name: string; others?: readonly NodeModule[] };

export interface ModuleBindings {
  /** Local names bound to a whole module object. */
  namespaces: Map<string, NodeModule>;
  /** Local names bound to one export (`connect`, `Socket`, an alias of them). */
  members: Map<string, MemberBinding>;
  /**
   * Local names bound to a module of the project that exports creators (`import * as dialers from
   * './dialers'`): export name → creator. Set by the module graph (module-graph.ts), never by one file alone.
   */
  locals?: Map<string, ReadonlyMap<string, MemberBinding>>;
  /**
   * Top-level functions that return a creator (`function connectFn(o) { return o.tls ? tls.connect
   * : net.connect; }`): calling their result creates a socket (`connectFn(o)(port, host)`).
   */
  factories?: Map<string, MemberBinding>;
  /**
   * Properties that hold a creator (`details.connect = options.connect || connectFn(options)`), by
   * receiver and name (`details.connect`): calling the property through the same receiver in the
   * file creates a socket. Only when every assignment of that property through that receiver is one.
   */
  properties?: Map<string, MemberBinding>;
  /** Local names given several modules (`let transport = net; if (o.tls) transport = tls`): every one of them. */
  either?: Map<string, Set<NodeModule>>;
}

export interface MemberBinding {
  module: NodeModule;
  name: string;
  /**
   * An alias made inside functions (`connect = tls.connect.bind(tls)`) holds only there: the
   * functions it is bound in. Absent: bound at the top level, file-wide. In a bundle, another
   * module's own `connect` is not the alias.
   */
  scopes?: ts.Node[];
}

export function emptyBindings(): ModuleBindings {
  return { namespaces: new Map(), members: new Map() };
}

/** A place a name gets a value: `const x = v` (any binding pattern), `x = v`. */
export interface BindingSite {
  target: ts.BindingName | ts.Expression;
  value: ts.Expression;
}

/** The only kinds of expression (outer parentheses and casts skipped) moduleValue finds a module value in: keep in step with it. */
const MODULE_VALUE_KINDS: ReadonlySet<ts.SyntaxKind> = new Set([
  ts.SyntaxKind.Identifier,
  ts.SyntaxKind.AwaitExpression,
  ts.SyntaxKind.ConditionalExpression,
  ts.SyntaxKind.BinaryExpression,
  ts.SyntaxKind.CallExpression,
  ts.SyntaxKind.PropertyAccessExpression,
  ts.SyntaxKind.ElementAccessExpression,
]);

/**
 * A binding site whose value can be a module value (moduleValue's kinds): `const x = {…}`,
 * `x = function () {…}`, literals and `new` never bind a module, so collectModuleBindings' rounds
 * skip them.
 */
export function bindingSiteOf(n: ts.Node): BindingSite | null {
  let site: BindingSite | null = null;
  if (ts.isVariableDeclaration(n) && n.initializer) site = { target: n.name, value: n.initializer };
  else if (ts.isBinaryExpression(n) && n.operatorToken.kind === ts.SyntaxKind.EqualsToken && ts.isIdentifier(n.left)) site = { target: n.left, value: n.right };
  return site && MODULE_VALUE_KINDS.has(skipOuterExpressions(site.value).kind) ? site : null;
}

/**
 * Collects the file's module bindings (file-wide by name: shadowing a module name is rare).
 * `sites`: the file's binding sites when a walk of the caller already gathered them (buildFileCtx).
 */
export function collectModuleBindings(sf: ts.SourceFile, sites?: readonly BindingSite[], seed?: ModuleBindings): ModuleBindings {
  const b = seed ?? emptyBindings();
  for (const stmt of sf.statements) {
    if (ts.isImportDeclaration(stmt)) addImport(stmt, b);
    else if (ts.isImportEqualsDeclaration(stmt) && ts.isExternalModuleReference(stmt.moduleReference)) {
      const m = socketModuleOf(stringValue(stmt.moduleReference.expression) ?? '');
      if (m) b.namespaces.set(stmt.name.text, m);
    }
  }
  // Requires and aliases may sit anywhere (inside functions too); iterate until nothing new.
  let bindingSites = sites;
  if (!bindingSites) {
    const found: BindingSite[] = [];
    const visit = (n: ts.Node): void => {
      const site = bindingSiteOf(n);
      if (site) found.push(site);
      ts.forEachChild(n, visit);
    };
    visit(sf);
    bindingSites = found;
  }
  for (let round = 0; round < 4; round++) {
    const before = b.namespaces.size + b.members.size;
    for (const { target, value } of bindingSites) bind(target, moduleValue(value, b), b);
    if (b.namespaces.size + b.members.size === before) break;
  }
  const factories = creatorFactories(sf, b);
  if (factories.size) {
    b.factories = factories;
    for (const { target, value } of bindingSites) bind(target, moduleValue(value, b), b);
  }
  scopeAliases(bindingSites, b);
  const properties = creatorProperties(sf, b);
  if (properties.size) b.properties = properties;
  return b;
}

/** `self.x` and `this.x` name the same property inside a class or prototype method. */
function receiverKey(e: ts.Expression): string | null {
  const r = skipOuterExpressions(e);
  if (r.kind === ts.SyntaxKind.ThisKeyword) return 'this';
  if (ts.isIdentifier(r)) return /^(self|that|_this|_self|me)$/.test(r.text) ? 'this' : r.text;
  if (ts.isPropertyAccessExpression(r)) {
    const inner = receiverKey(r.expression);
    return inner === null ? null : `${inner}.${r.name.text}`;
  }
  return null;
}

/** Properties assigned a creator on every assignment through their receiver (see ModuleBindings.properties). */
function creatorProperties(sf: ts.SourceFile, b: ModuleBindings): Map<string, MemberBinding> {
  const out = new Map<string, MemberBinding>();
  if (b.namespaces.size === 0 && b.members.size === 0 && !b.factories?.size) return out;
  const assigned = new Map<string, Array<ModuleValue | null>>();
  const visit = (n: ts.Node): void => {
    if (ts.isBinaryExpression(n) && n.operatorToken.kind === ts.SyntaxKind.EqualsToken) {
      const left = skipOuterExpressions(n.left);
      if (ts.isPropertyAccessExpression(left)) {
        const receiver = receiverKey(left.expression);
        if (receiver !== null) {
          const key = `${receiver}.${left.name.text}`;
          const list = assigned.get(key) ?? [];
          list.push(moduleValue(n.right, b));
          assigned.set(key, list);
        }
      }
    }
    ts.forEachChild(n, visit);
  };
  visit(sf);
  for (const [key, values] of assigned) {
    if (!values.every((v) => v?.kind === 'member')) continue;
    const chosen = values.reduce<ModuleValue | null>((a, v) => eitherModule(a, v), null);
    if (chosen?.kind === 'member') out.set(key, { module: chosen.module, name: chosen.name });
  }
  return out;
}

/** Top-level function declarations whose every `return` gives a creator (see ModuleBindings.factories). */
function creatorFactories(sf: ts.SourceFile, b: ModuleBindings): Map<string, MemberBinding> {
  const out = new Map<string, MemberBinding>();
  if (b.namespaces.size === 0 && b.members.size === 0) return out;
  for (const stmt of sf.statements) {
    if (!ts.isFunctionDeclaration(stmt) || !stmt.name || !stmt.body) continue;
    const returned: Array<ModuleValue | null> = [];
    const visit = (n: ts.Node): void => {
      if (ts.isReturnStatement(n)) returned.push(n.expression ? moduleValue(n.expression, b) : null);
      if (ts.isFunctionLike(n)) return;
      ts.forEachChild(n, visit);
    };
    ts.forEachChild(stmt.body, visit);
    if (returned.length === 0 || !returned.every((v) => v?.kind === 'member')) continue;
    const chosen = returned.reduce<ModuleValue | null>((a, v) => eitherModule(a, v), null);
    if (chosen?.kind === 'member') out.set(stmt.name.text, { module: chosen.module, name: chosen.name });
  }
  return out;
}

/** Member aliases bound only inside functions hold only in those functions (see MemberBinding.scopes). */
function scopeAliases(sites: readonly BindingSite[], b: ModuleBindings): void {
  const scopes = new Map<string, Set<ts.Node> | 'file'>();
  for (const { target, value } of sites) {
    if (!ts.isIdentifier(target) || !b.members.has(target.text) || moduleValue(value, b)?.kind !== 'member') continue;
    let fn: ts.Node | undefined = target.parent;
    while (fn && !ts.isFunctionLike(fn) && !ts.isSourceFile(fn)) fn = fn.parent;
    const known = scopes.get(target.text);
    if (!fn || ts.isSourceFile(fn) || known === 'file') scopes.set(target.text, 'file');
    else scopes.set(target.text, (known ?? new Set()).add(fn));
  }
  for (const [name, s] of scopes) {
    const m = b.members.get(name);
    if (m && s !== 'file') b.members.set(name, { ...m, scopes: [...s] });
  }
}

function addImport(decl: ts.ImportDeclaration, b: ModuleBindings): void {
  const m = socketModuleOf(stringValue(decl.moduleSpecifier) ?? '');
  const clause = decl.importClause;
  if (!m || !clause || clause.isTypeOnly) return;
  if (clause.name) b.namespaces.set(clause.name.text, m);
  const named = clause.namedBindings;
  if (!named) return;
  if (ts.isNamespaceImport(named)) b.namespaces.set(named.name.text, m);
  else
    for (const el of named.elements) {
      if (el.isTypeOnly) continue;
      const imported = propertyNameText(el.propertyName as ts.PropertyName | undefined) ?? el.name.text;
      if (imported === 'default') b.namespaces.set(el.name.text, m);
      else b.members.set(el.name.text, { module: m, name: imported });
    }
}

function bind(target: ts.BindingName | ts.Expression, v: ModuleValue | null, b: ModuleBindings): void {
  if (ts.isIdentifier(target)) {
    if (!v) return;
    // Every module the name is given, in any of its assignments: each is a possible value at run time.
    const earlier = b.namespaces.get(target.text) ?? b.members.get(target.text)?.module;
    const all = new Set([...(earlier ? [earlier] : []), ...(b.either?.get(target.text) ?? []), v.module, ...(v.others ?? [])]);
    if (all.size > 1) (b.either ??= new Map()).set(target.text, all);
    if (v.kind === 'namespace') {
      // As for members below: TLS wins the label, whatever the order of the assignments.
      if (b.namespaces.get(target.text) === 'tls' && v.module !== 'tls') return;
      b.namespaces.set(target.text, v.module);
    } else {
      // `connect = secure ? tls.connect.bind(tls) : net.connect.bind(net)` in two branches: one call
      // site, either module. TLS wins: what counts there (setKeepAlive) works on both.
      const before = b.members.get(target.text);
      if (before && before.module === 'tls' && v.module !== 'tls') return;
      b.members.set(target.text, { module: v.module, name: v.name });
    }
    return;
  }
  if (ts.isObjectBindingPattern(target) && v?.kind === 'namespace') {
    for (const el of target.elements) {
      if (el.dotDotDotToken || !ts.isIdentifier(el.name)) continue;
      const imported = el.propertyName ? propertyNameText(el.propertyName) : el.name.text;
      if (imported === null) continue;
      if (imported === 'default') b.namespaces.set(el.name.text, v.module);
      else b.members.set(el.name.text, { module: v.module, name: imported });
    }
  }
}

/** What a value expression is in terms of the socket modules, if anything. */
export function moduleValue(expr: ts.Expression, b: ModuleBindings): ModuleValue | null {
  const e = skipOuterExpressions(expr);
  if (ts.isAwaitExpression(e)) return moduleValue(e.expression, b);
  if (ts.isIdentifier(e)) {
    const ns = b.namespaces.get(e.text);
    const others = otherModules(b.either?.get(e.text), ns ?? b.members.get(e.text)?.module);
    if (ns) return { kind: 'namespace', module: ns, ...others };
    const member = b.members.get(e.text);
    if (!member || (member.scopes && !member.scopes.some((fn) => contains(fn, e)))) return null;
    return { kind: 'member', module: member.module, name: member.name, ...others };
  }
  // secure ? tls : net, custom ?? net.connect, a || b: one of them at run time (TLS preferred, as in bind()).
  if (ts.isConditionalExpression(e)) return eitherModule(moduleValue(e.whenTrue, b), moduleValue(e.whenFalse, b));
  if (ts.isBinaryExpression(e) && (e.operatorToken.kind === ts.SyntaxKind.QuestionQuestionToken || e.operatorToken.kind === ts.SyntaxKind.BarBarToken)) return eitherModule(moduleValue(e.left, b), moduleValue(e.right, b));
  // (0, net.connect): the comma form compilers use to call without a `this`.
  if (ts.isBinaryExpression(e) && e.operatorToken.kind === ts.SyntaxKind.CommaToken) return moduleValue(e.right, b);
  if (ts.isCallExpression(e)) {
    const spec = requireSpecifier(e) ?? dynamicImportSpecifier(e);
    if (spec !== null) {
      const m = socketModuleOf(spec);
      return m ? { kind: 'namespace', module: m } : null;
    }
    // connectFn(options): a function of the file that returns a creator.
    const factory = ts.isIdentifier(e.expression) ? b.factories?.get(e.expression.text) : undefined;
    if (factory) return { kind: 'member', module: factory.module, name: factory.name };
    // net.connect.bind(net): the same function, with its `this`.
    if (ts.isPropertyAccessExpression(e.expression) && e.expression.name.text === 'bind') {
      const bound = moduleValue(e.expression.expression, b);
      return bound?.kind === 'member' ? bound : null;
    }
    // Interop wrappers: __importDefault(require('net')), _interopRequireWildcard(require('tls')).
    if (e.arguments.length >= 1 && ts.isIdentifier(e.expression) && /interop|import(Default|Star)|__toESM/i.test(e.expression.text)) {
      const inner = moduleValue(e.arguments[0]!, b);
      return inner?.kind === 'namespace' ? inner : null;
    }
    return null;
  }
  if (ts.isPropertyAccessExpression(e) || ts.isElementAccessExpression(e)) {
    const name = ts.isPropertyAccessExpression(e) ? e.name.text : stringValue(e.argumentExpression);
    const inner = skipOuterExpressions(e.expression);
    const local = ts.isIdentifier(inner) ? b.locals?.get(inner.text) : undefined;
    if (local) {
      // transports[kind]: one of the table's creators at run time (TLS preferred, as in bind()).
      const m = name !== null ? local.get(name) : [...local.values()].reduce<MemberBinding | undefined>((a, x) => (a?.module === 'tls' ? a : x), undefined);
      return m ? { kind: 'member', module: m.module, name: m.name } : null;
    }
    if (name === null) return null;
    const owner = moduleValue(e.expression, b);
    if (owner?.kind !== 'namespace') {
      // details.connect(…) where details.connect was assigned a creator in the file
      const receiver = b.properties && ts.isPropertyAccessExpression(e) ? receiverKey(e.expression) : null;
      const held = receiver !== null ? b.properties?.get(`${receiver}.${name}`) : undefined;
      return held ? { kind: 'member', module: held.module, name: held.name } : null;
    }
    if (name === 'default') return owner;
    return { kind: 'member', module: owner.module, name, ...(owner.others ? { others: owner.others } : {}) };
  }
  return null;
}

/**
 * One of two values at run time. A user-supplied alternative (`options.createConnection ?? net.connect`)
 * is unknown, so Node's default decides; between two modules, TLS (what counts there counts on both).
 */
function eitherModule(x: ModuleValue | null, y: ModuleValue | null): ModuleValue | null {
  if (!x || !y) return x ?? y;
  if (x.kind !== y.kind) return null;
  const chosen = y.module === 'tls' && x.module !== 'tls' ? y : x;
  const others = otherModules(new Set([x.module, y.module, ...(x.others ?? []), ...(y.others ?? [])]), chosen.module);
  return { ...chosen, ...others };
}

/** `{ others }` for a value that may be any of `all`, labelled by `module`; `{}` when it can be only one. */
function otherModules(all: ReadonlySet<NodeModule> | undefined, module: NodeModule | undefined): { others?: NodeModule[] } {
  const others = all ? [...all].filter((m) => m !== module) : [];
  return others.length ? { others } : {};
}

function dynamicImportSpecifier(call: ts.CallExpression): string | null {
  return call.expression.kind === ts.SyntaxKind.ImportKeyword ? stringValue(call.arguments[0]) : null;
}

/** Does the text mention a socket module at all? The cheap prefilter before parsing. */
export { mentionsSocketModule } from './prefilter.js';

/**
 * Does the text load a socket module the ways collectModuleBindings binds one: `from 'net'`,
 * `require('net')` (also `import x = require(…)`), `import('net')`? A file that only mentions
 * `'http'` (a URL scheme, a list of builtins) holds no binding, so alone it holds no site.
 */
export function importsSocketModule(text: string): boolean {
  return SOCKET_MODULE_LOAD.test(text);
}

const SOCKET_MODULE_SPECIFIER = `['"\`](?:node:)?(?:${SOCKET_MODULES.join('|')})['"\`]`;
/**
 * Blanks and comments, as the parser skips them (`require(/* webpackIgnore: true *\/ 'net')`), for
 * text patterns of the prefilters. A block comment's body cannot contain its end (`[^*]|\*(?!\/)`):
 * a lazy `[\s\S]*?` could also run over one `*\/` into the next comment, and a run of comments
 * would then match in exponentially many ways.
 */
export const GAP = String.raw`(?:\s|/\*(?:[^*]|\*(?!/))*\*/|//[^\n]*\n)*`;
const SOCKET_MODULE_LOAD = new RegExp(`\\b(?:(?:require|import)${GAP}\\(${GAP}${SOCKET_MODULE_SPECIFIER}|from${GAP}${SOCKET_MODULE_SPECIFIER})`);
