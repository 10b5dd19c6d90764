/**
 * Where a stream that a TLS socket wraps comes from, followed backwards from the wrapped value:
 * variables and their assignments, the functions that return it (through the module graph), `new`
 * of a class of the project that relays to a socket held in a field (a Duplex or Transform subclass
 * writing to `this._socket`: every assignment of that field), the callers of a method that receives
 * it, and the listener or callback it is delivered to. The trail ends at a value a site's flow holds
 * (a socket the analysed code makes: the caller decides), at an in-memory stream, where a package
 * outside the audited tree hands the value over (named: which event, of what, from which package),
 * or somewhere it cannot be followed.
 */
import { isBuiltin } from 'node:module';
import { ts } from './typescript.js';
import { LISTENER_METHODS, NON_SOCKET_STREAM_CLASSES, RELAY_STREAM_METHODS } from './node-api.js';
import { defaultExportNames, moduleRequire, resolveModule } from './module-graph.js';
import { functionNames, type FileCtx, type FileIndex } from './file-index.js';
import { accessedName, isAssignmentTarget, isFunctionLike, propertyNameText, skipOuterExpressions, stringValue } from './syntax.js';

/** A class of the project the trail went through that relays to the stream in its fields. */
export interface RelayClass {
  cls: ts.ClassLikeDeclaration;
  /** Fields the class moves bytes through (`this._socket.write(…)`); none: an in-memory stream. */
  fields: string[];
}

export interface StreamOrigins {
  /** Values on the trail that a site's flow holds: sockets made in the analysed code. */
  reached: ts.Node[];
  /** Where a package outside the audited tree hands the value over, each with what it is. */
  outside: Array<{ node: ts.Node; what: string }>;
  /** Streams that never hold an OS socket (new PassThrough(), Duplex.from(…), a relay with no socket field). */
  inMemory: number;
  /** The trail was lost inside the analysed code (a parameter no caller passes, a value of unknown kind). */
  lost: boolean;
  relays: RelayClass[];
}

const MAX_STEPS = 200;
const MAX_DEPTH = 16;

/** Follows `exprs` back to their origins; `reached(e)`: does a site's flow hold e? */
export function streamOrigins(exprs: readonly ts.Expression[], project: FileIndex, reached: (e: ts.Node) => boolean): StreamOrigins {
  const trail = new StreamTrail(project, reached);
  for (const e of exprs) trail.from(e, 0);
  return trail.found;
}

/** A module of a package outside the audited tree that a name comes from, and the name it has there. */
interface Dependency {
  pkg: string;
  name: string | null;
}

class StreamTrail {
  readonly found: StreamOrigins = { reached: [], outside: [], inMemory: 0, lost: false, relays: [] };
  private readonly seen = new Set<ts.Node>();
  private steps = 0;

  constructor(private readonly project: FileIndex, private readonly reached: (e: ts.Node) => boolean) {}

  from(expr: ts.Expression, depth: number): void {
    const e = skipOuterExpressions(expr);
    if (this.seen.has(e)) return;
    this.seen.add(e);
    if (depth > MAX_DEPTH || ++this.steps > MAX_STEPS) {
      this.found.lost = true;
      return;
    }
    if (this.reached(expr) || this.reached(e)) {
      this.found.reached.push(e);
      // A name may hold other values too (a parameter each caller fills): those are followed on.
      if (!ts.isIdentifier(e)) return;
    }
    if (ts.isAwaitExpression(e)) return this.from(e.expression, depth + 1);
    if (ts.isConditionalExpression(e)) {
      this.from(e.whenTrue, depth + 1);
      this.from(e.whenFalse, depth + 1);
      return;
    }
    if (ts.isBinaryExpression(e) && [ts.SyntaxKind.BarBarToken, ts.SyntaxKind.QuestionQuestionToken].includes(e.operatorToken.kind)) {
      this.from(e.left, depth + 1);
      this.from(e.right, depth + 1);
      return;
    }
    if (ts.isBinaryExpression(e) && e.operatorToken.kind === ts.SyntaxKind.CommaToken) return this.from(e.right, depth + 1);
    if (ts.isIdentifier(e)) return this.identifier(e, depth);
    if (ts.isCallExpression(e)) return this.call(e, depth);
    if (ts.isNewExpression(e)) return this.construct(e, depth);
    if (ts.isPropertyAccessExpression(e)) return this.property(e, depth);
    this.found.lost = true;
  }

  /**
   * `info.socket` on a parameter: a property of what the function receives; `this.stream`: every
   * assignment of the field in the file.
   */
  private property(e: ts.PropertyAccessExpression, depth: number): void {
    const owner = skipOuterExpressions(e.expression);
    if (owner.kind === ts.SyntaxKind.ThisKeyword) {
      if (this.fieldAssignments(this.project.fileOf(e), e.name.text, null, depth) === 0) this.found.lost = true;
      return;
    }
    const decl = ts.isIdentifier(owner) ? this.project.declarationOf(owner) : null;
    if (decl && ts.isParameter(decl)) return this.parameter(decl, depth, true);
    // pair.socket1 of `const pair = new DuplexPair()` from a package outside the tree
    const from = this.describeValue(owner);
    if (from) this.found.outside.push({ node: e, what: `the ${e.name.text} of ${from}` });
    else this.found.lost = true;
  }

  /** Follows every value assigned to the field `name` (`x.name = v` in the file, `name = v` in the class body); how many there are. */
  private fieldAssignments(ctx: FileCtx, name: string, cls: ts.ClassLikeDeclaration | null, depth: number): number {
    let assigned = 0;
    for (const m of cls?.members ?? []) {
      if (ts.isPropertyDeclaration(m) && propertyNameText(m.name) === name && m.initializer) {
        assigned++;
        this.from(m.initializer, depth + 1);
      }
    }
    for (const access of ctx.propertyAccesses.get(name) ?? []) {
      const p = access.parent;
      if (!isAssignmentTarget(access) || !ts.isBinaryExpression(p) || p.operatorToken.kind !== ts.SyntaxKind.EqualsToken) continue;
      if (isNothing(p.right)) continue;
      assigned++;
      this.from(p.right, depth + 1);
    }
    return assigned;
  }

  private identifier(id: ts.Identifier, depth: number): void {
    const decl = this.project.declarationOf(id);
    if (!decl) {
      const dep = this.dependency(id);
      if (dep) this.found.outside.push({ node: id, what: `${dep.name ?? 'the module'} of package '${dep.pkg}'` });
      else this.found.lost = true;
      return;
    }
    if (ts.isVariableDeclaration(decl)) {
      if (decl.initializer) this.from(decl.initializer, depth + 1);
      for (const ref of this.project.referencesOf(decl)) {
        const p = ref.parent;
        if (isAssignmentTarget(ref) && ts.isBinaryExpression(p) && p.operatorToken.kind === ts.SyntaxKind.EqualsToken) this.from(p.right, depth + 1);
      }
      if (!decl.initializer && !this.project.referencesOf(decl).some(isAssignmentTarget)) this.found.lost = true;
      return;
    }
    if (ts.isBindingElement(decl)) {
      // ({ socket }) => …: a property of what the function receives
      let root: ts.Node = decl;
      while (ts.isBindingElement(root)) root = root.parent.parent;
      if (ts.isParameter(root)) return this.parameter(root, depth, true);
      this.found.lost = true;
      return;
    }
    if (ts.isParameter(decl)) return this.parameter(decl, depth, false);
    this.found.lost = true;
  }

  /** A parameter: what the callers pass, or what the code that calls the function delivers. */
  private parameter(p: ts.ParameterDeclaration, depth: number, destructured: boolean): void {
    const fn = p.parent;
    if (!isFunctionLike(fn)) {
      this.found.lost = true;
      return;
    }
    const index = fn.parameters.indexOf(p);
    const call = fn.parent;
    if ((ts.isCallExpression(call) || ts.isNewExpression(call)) && call.arguments?.some((a) => skipOuterExpressions(a) === fn)) {
      this.delivered(call);
      return;
    }
    if (destructured) {
      this.found.lost = true;
      return;
    }
    let callers = 0;
    for (const name of functionNames(fn)) {
      if (name.startsWith('new ')) continue;
      for (const c of this.project.callsNamed(name, fn)) {
        const arg = c.arguments?.[index];
        if (!arg || ts.isSpreadElement(arg)) continue;
        callers++;
        this.from(arg, depth + 1);
      }
    }
    if (callers === 0) this.found.lost = true;
  }

  /** A function passed to `call` receives the value: a listener, a promise's callback, another package's callback. */
  private delivered(call: ts.CallExpression | ts.NewExpression): void {
    const callee = calleeOf(call);
    const method = accessedName(callee);
    const receiver = ts.isPropertyAccessExpression(callee) || ts.isElementAccessExpression(callee) ? callee.expression : null;
    if (method !== null && receiver && LISTENER_METHODS.includes(method)) {
      const event = stringValue(call.arguments?.[0]);
      const owner = this.describeValue(receiver);
      if (owner) this.found.outside.push({ node: call, what: `the ${event !== null ? `'${event}' event` : 'events'} of ${owner}` });
      else this.found.lost = true;
      return;
    }
    if (method === 'then' && receiver) {
      const owner = this.describeValue(receiver);
      if (owner) this.found.outside.push({ node: call, what: `the promise of ${owner}` });
      else this.found.lost = true;
      return;
    }
    const dep = this.dependency(callee);
    if (dep) this.found.outside.push({ node: call, what: `a callback of ${dep.name ?? 'the module'} from package '${dep.pkg}'` });
    else this.found.lost = true;
  }

  /**
   * What a value is when it comes from a package outside the tree: `a SocksClient from package
   * 'socks'` (a `new`), `the value connect() of package 'x' returns` (a call). Null otherwise.
   */
  private describeValue(expr: ts.Expression): string | null {
    let e = skipOuterExpressions(expr);
    for (let i = 0; i < 4 && ts.isIdentifier(e); i++) {
      const decl = this.project.declarationOf(e);
      if (!decl || !ts.isVariableDeclaration(decl) || !decl.initializer) break;
      e = skipOuterExpressions(decl.initializer);
    }
    if (ts.isAwaitExpression(e)) e = skipOuterExpressions(e.expression);
    if (ts.isNewExpression(e)) {
      const dep = this.dependency(calleeOf(e));
      return dep ? (dep.name ? `a ${dep.name} from package '${dep.pkg}'` : `an object made by package '${dep.pkg}'`) : null;
    }
    if (ts.isCallExpression(e)) {
      const dep = this.dependency(calleeOf(e));
      return dep ? `the value ${dep.name ?? 'the module'}() of package '${dep.pkg}' returns` : null;
    }
    return null;
  }

  private call(call: ts.CallExpression, depth: number): void {
    const callee = calleeOf(call);
    const dep = this.dependency(callee);
    if (dep) {
      this.found.outside.push({ node: call, what: `the value ${dep.name ?? 'the module'}() of package '${dep.pkg}' returns` });
      return;
    }
    // Duplex.from(…), PassThrough.from(…): in-memory streams.
    if ((ts.isPropertyAccessExpression(callee) || ts.isElementAccessExpression(callee)) && accessedName(callee) === 'from' && NON_SOCKET_STREAM_CLASSES.includes(nameOf(skipOuterExpressions(callee.expression)) ?? '')) {
      this.found.inMemory++;
      return;
    }
    const targets = this.functionsCalled(call, callee);
    if (targets.length === 0) {
      this.found.lost = true;
      return;
    }
    for (const fn of targets) {
      const values = returnedValues(fn);
      if (values.length === 0) this.found.lost = true;
      for (const v of values) this.from(v, depth + 1);
    }
  }

  /** The project's functions a call runs: by name in the package, or an export of the module the callee's owner names. */
  private functionsCalled(call: ts.CallExpression, callee: ts.Expression): ts.FunctionLikeDeclaration[] {
    if (ts.isIdentifier(callee)) return this.project.functionsNamed(callee.text, call);
    const name = accessedName(callee);
    if (name === null || !(ts.isPropertyAccessExpression(callee) || ts.isElementAccessExpression(callee))) return [];
    const module = this.moduleFile(skipOuterExpressions(callee.expression), this.project.fileOf(call));
    if (module) {
      const names = name === 'default' ? defaultExportNames(module) : [name];
      const own = names.flatMap((n) => module.functions.get(n) ?? []);
      return own.length ? own : names.flatMap((n) => this.project.packageFiles(module, n).flatMap((f) => f.functions.get(n) ?? []));
    }
    return this.project.functionsNamed(name, call);
  }

  private construct(e: ts.NewExpression, depth: number): void {
    const callee = calleeOf(e);
    const dep = this.dependency(callee);
    if (dep) {
      this.found.outside.push({ node: e, what: dep.name ? `a ${dep.name} from package '${dep.pkg}'` : `a stream made by package '${dep.pkg}'` });
      return;
    }
    const name = nameOf(callee);
    if (name === null) {
      this.found.lost = true;
      return;
    }
    const classes = this.classesNamed(name, callee);
    if (classes.length === 0) {
      if (NON_SOCKET_STREAM_CLASSES.includes(name)) this.found.inMemory++;
      else this.found.lost = true;
      return;
    }
    for (const cls of classes) this.relay(cls, depth);
  }

  /** Classes of the project by name: the file's own, an export of the module the callee's owner names, else the package's. */
  private classesNamed(name: string, callee: ts.Expression): ts.ClassLikeDeclaration[] {
    const home = this.project.fileOf(callee);
    const own = home.classes.get(name);
    if (own?.length) return own;
    if (ts.isPropertyAccessExpression(callee)) {
      const module = this.moduleFile(skipOuterExpressions(callee.expression), home);
      if (module) return module.classes.get(name) ?? [];
    }
    return this.project.classesNamed(home, name, 'package');
  }

  /**
   * `new Relay()` of a stream class of the project: an in-memory stream unless a field carries
   * its bytes (RELAY_STREAM_METHODS on `this.f`); then whatever that field is assigned.
   */
  private relay(cls: ts.ClassLikeDeclaration, depth: number): void {
    if (!this.extendsStream(cls, 0)) {
      this.found.lost = true;
      return;
    }
    const fields = relayFields(cls);
    this.found.relays.push({ cls, fields });
    if (fields.length === 0) {
      this.found.inMemory++;
      return;
    }
    const ctx = this.project.fileOf(cls);
    for (const field of fields) if (this.fieldAssignments(ctx, field, cls, depth) === 0) this.found.lost = true;
  }

  /** Does the class extend a stream class that holds no OS socket itself (NON_SOCKET_STREAM_CLASSES), directly or through classes of the project? */
  private extendsStream(cls: ts.ClassLikeDeclaration, depth: number): boolean {
    const base = cls.heritageClauses?.find((h) => h.token === ts.SyntaxKind.ExtendsKeyword)?.types[0]?.expression;
    if (!base || depth > 4) return false;
    const inner = skipOuterExpressions(base);
    const name = nameOf(inner);
    if (name === null) return false;
    if (NON_SOCKET_STREAM_CLASSES.includes(name)) return true;
    return this.classesNamed(name, inner).some((c) => c !== cls && this.extendsStream(c, depth + 1));
  }

  /** The file of the tree a namespace value names (`socks_1` of `const socks_1 = __importDefault(require('./socks'))`), else null. */
  private moduleFile(owner: ts.Expression, home: FileCtx): FileCtx | null {
    const spec = this.specifierOf(owner);
    return spec !== null ? resolveModule(this.project, home, spec) : null;
  }

  /** The module specifier a name is bound to (`const x = require('p')`, `import x from 'p'`, a member of one), else null. */
  private specifierOf(e: ts.Expression): string | null {
    if (!ts.isIdentifier(e)) return null;
    const decl = this.project.declarationOf(e);
    if (decl && ts.isVariableDeclaration(decl) && decl.initializer) {
      let init = skipOuterExpressions(decl.initializer);
      if (ts.isPropertyAccessExpression(init)) init = skipOuterExpressions(init.expression);
      return moduleRequire(init);
    }
    if (decl && ts.isBindingElement(decl)) {
      let root: ts.Node = decl;
      while (ts.isBindingElement(root)) root = root.parent.parent;
      return ts.isVariableDeclaration(root) && root.initializer ? moduleRequire(root.initializer) : null;
    }
    if (decl) return null;
    for (const stmt of e.getSourceFile().statements) {
      if (!ts.isImportDeclaration(stmt) || !stmt.importClause) continue;
      const clause = stmt.importClause;
      const named = clause.namedBindings;
      const binds = clause.name?.text === e.text || (named && ts.isNamespaceImport(named) ? named.name.text === e.text : named?.elements.some((el) => el.name.text === e.text));
      if (binds) return stringValue(stmt.moduleSpecifier);
    }
    return null;
  }

  /**
   * The package outside the tree a callee or value comes from (`new socks_1.SocksClient`,
   * `SocksClient` of `const { SocksClient } = require('socks')`, `connect` of `import { connect }
   * from 'x'`): its name and the member used. Null for the tree's own modules and Node's.
   */
  private dependency(expr: ts.Expression): Dependency | null {
    const e = skipOuterExpressions(expr);
    let owner: ts.Expression = e;
    let member: string | null = null;
    if (ts.isPropertyAccessExpression(e) || ts.isElementAccessExpression(e)) {
      owner = skipOuterExpressions(e.expression);
      member = accessedName(e);
    }
    if (!ts.isIdentifier(owner)) return null;
    const spec = this.specifierOf(owner);
    if (spec === null || spec.startsWith('.') || spec.startsWith('/') || isBuiltin(spec)) return null;
    if (resolveModule(this.project, this.project.fileOf(owner), spec)) return null;
    const pkg = spec.split('/').slice(0, spec.startsWith('@') ? 2 : 1).join('/');
    const name = member !== null && member !== 'default' ? member : owner === e ? importedName(owner, this.project) : null;
    return { pkg, name };
  }
}

/** The name a binding imports (`SocksClient` of `const { SocksClient } = require('socks')`), else the local name. */
function importedName(id: ts.Identifier, project: FileIndex): string {
  const decl = project.declarationOf(id);
  if (decl && ts.isBindingElement(decl) && decl.propertyName) return propertyNameText(decl.propertyName) ?? id.text;
  if (decl && ts.isVariableDeclaration(decl) && decl.initializer) {
    const init = skipOuterExpressions(decl.initializer);
    if (ts.isPropertyAccessExpression(init)) return init.name.text;
  }
  return id.text;
}

/** The callee, through `(0, x.f)` and parentheses. */
function calleeOf(call: ts.CallExpression | ts.NewExpression): ts.Expression {
  let e = skipOuterExpressions(call.expression);
  if (ts.isBinaryExpression(e) && e.operatorToken.kind === ts.SyntaxKind.CommaToken) e = skipOuterExpressions(e.right);
  return e;
}

function nameOf(e: ts.Expression): string | null {
  return ts.isIdentifier(e) ? e.text : accessedName(e);
}

function isNothing(e: ts.Expression): boolean {
  const x = skipOuterExpressions(e);
  return x.kind === ts.SyntaxKind.NullKeyword || (ts.isIdentifier(x) && x.text === 'undefined') || ts.isVoidExpression(x);
}

/** The values a function returns (its own `return`s, not nested functions'; an arrow's expression body). */
function returnedValues(fn: ts.FunctionLikeDeclaration): ts.Expression[] {
  if (!fn.body) return [];
  if (!ts.isBlock(fn.body)) return [fn.body];
  const out: ts.Expression[] = [];
  const visit = (n: ts.Node): void => {
    if (ts.isReturnStatement(n) && n.expression) out.push(n.expression);
    if (isFunctionLike(n) || ts.isClassLike(n)) return;
    ts.forEachChild(n, visit);
  };
  visit(fn.body);
  return out;
}

/** Fields of a class that carry its bytes: `this.f.write(…)`, `this.f?.resume?.()`, `x.pipe(this.f)`, in its instance members. */
export function relayFields(cls: ts.ClassLikeDeclaration): string[] {
  const out = new Set<string>();
  const visit = (n: ts.Node): void => {
    if (ts.isPropertyAccessExpression(n) && n.expression.kind === ts.SyntaxKind.ThisKeyword) {
      let field: ts.Node = n;
      while (ts.isNonNullExpression(field.parent) || ts.isParenthesizedExpression(field.parent) || ts.isAsExpression(field.parent)) field = field.parent;
      const use = field.parent;
      const method = ts.isPropertyAccessExpression(use) && use.expression === field ? use.name.text : null;
      const called = method !== null && RELAY_STREAM_METHODS.includes(method) && ts.isCallExpression(use.parent) && use.parent.expression === use;
      const piped = ts.isCallExpression(use) && use.arguments.includes(field as ts.Expression) && accessedName(use.expression) === 'pipe';
      if (called || piped) out.add(n.name.text);
    }
    if (ts.isFunctionDeclaration(n) || ts.isFunctionExpression(n) || ts.isClassLike(n)) return;
    ts.forEachChild(n, visit);
  };
  for (const m of cls.members) {
    if (ts.canHaveModifiers(m) && ts.getModifiers(m)?.some((x) => x.kind === ts.SyntaxKind.StaticKeyword)) continue;
    ts.forEachChild(m, visit);
  }
  return [...out];
}
