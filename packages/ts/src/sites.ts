/**
 * Socket-producing calls in a file: every call or `new` whose callee resolves (through any import
 * form) to an entry of SOCKET_CALLS.
 */
import { ts } from './typescript.js';
import { CONNECT_METHOD, findSocketCall, SOCKET_BASE_CLASSES, SUBCLASS_CONNECT, SUBCLASS_TLS_CONNECT, type NodeModule, type SocketCall } from './node-api.js';
import { moduleValue, type ModuleBindings } from './imports.js';
import { firstSuperCall, skipOuterExpressions } from './syntax.js';
import type { FileCtx } from './file-index.js';

export interface SiteCandidate {
  ctx: FileCtx;
  node: ts.CallExpression | ts.NewExpression;
  api: SocketCall;
  /** Where Site.line/column point: the called name. */
  nameNode: ts.Node;
  /**
   * The class (or ES5 constructor function) whose instances are the socket or server: a socket
   * subclass's connect site, a server subclass's `super(…)`, `net.Server.call(this, …)`.
   */
  subclass?: ts.ClassLikeDeclaration | ts.FunctionLikeDeclaration;
  /** The arguments the Node constructor receives, when they are not the call's own (`.call(this, …)` drops `this`). */
  args?: readonly ts.Expression[];
  /** The same call in the other modules the callee may be at run time (`transport.connect` on net or tls): each judged too. */
  alternatives?: SocketCall[];
}

/** The same export of the other modules a value may be (ModuleValue.others), where Node has it. */
function alternativesOf(api: SocketCall, others: readonly NodeModule[] | undefined, name: string, construct: boolean): { alternatives?: SocketCall[] } {
  const alternatives = (others ?? []).map((m) => findSocketCall(m, name, construct)).filter((a): a is SocketCall => !!a && a !== api && a.role === api.role);
  return alternatives.length ? { alternatives } : {};
}

/** The arguments of the Node call a site stands for. */
export function siteArguments(c: SiteCandidate): readonly ts.Expression[] {
  return c.args ?? c.node.arguments ?? [];
}

/** `bindings`: the file's own, or linked with the creators its relative imports bring (module-graph.ts). */
export function findSiteCandidates(ctx: FileCtx, bindings: ModuleBindings = ctx.bindings): SiteCandidate[] {
  const out: SiteCandidate[] = [];
  if (bindings.namespaces.size === 0 && bindings.members.size === 0 && !bindings.locals?.size && !/require\(|import\(/.test(ctx.text)) return out;
  for (const n of ctx.allCalls) {
    const parent = parentConstructorCall(ctx, n, bindings);
    if (parent) {
      out.push(parent);
      continue;
    }
    const v = moduleValue(n.expression, bindings);
    if (v?.kind !== 'member') continue;
    const api = findSocketCall(v.module, v.name, ts.isNewExpression(n));
    if (!api) continue;
    out.push({ ctx, node: n, api, nameNode: ts.isNewExpression(n) ? n : calledNameNode(n.expression), ...alternativesOf(api, v.others, v.name, ts.isNewExpression(n)) });
  }
  out.push(...subclassConnects(ctx, bindings));
  out.push(...serverSubclasses(ctx, bindings));
  return out;
}

/**
 * `net.Server.call(this, options, listener)` in an ES5 constructor function (made a server by
 * `util.inherits(F, net.Server)`): the server is created there with the arguments after `this`,
 * and every instance of the function is it.
 */
function parentConstructorCall(ctx: FileCtx, n: ts.CallExpression | ts.NewExpression, bindings: ModuleBindings): SiteCandidate | null {
  if (!ts.isCallExpression(n)) return null;
  const callee = skipOuterExpressions(n.expression);
  if (!ts.isPropertyAccessExpression(callee) || callee.name.text !== 'call' || n.arguments[0]?.kind !== ts.SyntaxKind.ThisKeyword) return null;
  const v = moduleValue(callee.expression, bindings);
  if (v?.kind !== 'member') return null;
  const api = findSocketCall(v.module, v.name, true);
  if (!api?.construct || api.role !== 'server') return null;
  let fn: ts.Node | undefined = n.parent;
  while (fn && !ts.isFunctionDeclaration(fn) && !ts.isFunctionExpression(fn) && !ts.isSourceFile(fn)) fn = fn.parent;
  if (!fn || ts.isSourceFile(fn)) return null;
  return { ctx, node: n, api, nameNode: calledNameNode(callee.expression), subclass: fn as ts.FunctionLikeDeclaration, args: n.arguments.slice(1), ...alternativesOf(api, v.others, v.name, true) };
}

/**
 * Classes extending a Node server (`class S extends net.Server`): the server is created by the
 * constructor's `super(…)`, with its options and listener, and every `new S` is it. A subclass
 * without a constructor of its own is left out (each `new S(…)` passes its arguments through).
 */
function serverSubclasses(ctx: FileCtx, bindings: ModuleBindings): SiteCandidate[] {
  const out: SiteCandidate[] = [];
  for (const classes of ctx.classes.values()) {
    for (const cls of classes) {
      const base = cls.heritageClauses?.find((h) => h.token === ts.SyntaxKind.ExtendsKeyword)?.types[0]?.expression;
      const v = base ? moduleValue(base, bindings) : null;
      if (v?.kind !== 'member') continue;
      const api = findSocketCall(v.module, v.name, true);
      if (!api?.construct || api.role !== 'server') continue;
      const ctor = cls.members.find((m): m is ts.ConstructorDeclaration => ts.isConstructorDeclaration(m) && !!m.body);
      const sup = ctor?.body ? firstSuperCall(ctor.body) : null;
      if (sup) out.push({ ctx, node: sup, api, nameNode: sup.expression, subclass: cls });
    }
  }
  return out;
}

/** `null`, `undefined`, `void 0`. */
export function isNothing(e: ts.Expression): boolean {
  const x = skipOuterExpressions(e);
  return x.kind === ts.SyntaxKind.NullKeyword || (ts.isIdentifier(x) && x.text === 'undefined') || ts.isVoidExpression(x);
}

/**
 * Classes extending net.Socket / tls.TLSSocket: each instance is a socket, connected by the class's
 * own `super.connect(…)` or `this.connect(…)`; the first such call is the site.
 */
function subclassConnects(ctx: FileCtx, bindings: ModuleBindings): SiteCandidate[] {
  const out: SiteCandidate[] = [];
  for (const classes of ctx.classes.values()) {
    for (const cls of classes) {
      const base = cls.heritageClauses?.find((h) => h.token === ts.SyntaxKind.ExtendsKeyword)?.types[0]?.expression;
      const v = base ? moduleValue(base, bindings) : null;
      if (v?.kind !== 'member' || !SOCKET_BASE_CLASSES.some((b) => b.module === v.module && b.name === v.name)) continue;
      const first = firstOwnConnect(cls);
      if (first) out.push({ ctx, node: first, api: v.module === 'tls' ? SUBCLASS_TLS_CONNECT : SUBCLASS_CONNECT, nameNode: (first.expression as ts.PropertyAccessExpression).name, subclass: cls });
    }
  }
  return out;
}

/** The first `super.connect(…)` / `this.connect(…)` in the class's own members (arrow functions included). */
function firstOwnConnect(cls: ts.ClassLikeDeclaration): ts.CallExpression | null {
  let found: ts.CallExpression | null = null;
  const visit = (n: ts.Node): void => {
    if (found) return;
    if (ts.isCallExpression(n)) {
      const callee = skipOuterExpressions(n.expression);
      if (ts.isPropertyAccessExpression(callee) && callee.name.text === CONNECT_METHOD && (callee.expression.kind === ts.SyntaxKind.SuperKeyword || callee.expression.kind === ts.SyntaxKind.ThisKeyword)) {
        found = n;
        return;
      }
    }
    if ((ts.isFunctionDeclaration(n) || ts.isFunctionExpression(n) || ts.isClassLike(n)) && n !== cls) return;
    ts.forEachChild(n, visit);
  };
  for (const m of cls.members) if (!ts.canHaveModifiers(m) || !ts.getModifiers(m)?.some((x) => x.kind === ts.SyntaxKind.StaticKeyword)) ts.forEachChild(m, visit);
  return found;
}

function calledNameNode(callee: ts.Expression): ts.Node {
  let e: ts.Expression = callee;
  while (ts.isParenthesizedExpression(e)) e = e.expression;
  if (ts.isBinaryExpression(e) && e.operatorToken.kind === ts.SyntaxKind.CommaToken) return calledNameNode(e.right);
  if (ts.isPropertyAccessExpression(e)) return e.name;
  if (ts.isElementAccessExpression(e)) return e.argumentExpression;
  return e;
}
