/**
 * Socket-producing calls in a file: every call or `new` whose callee resolves (through any import
 * form) to an entry of SOCKET_CALLS.
 */
import { ts } from './typescript.js';
import { CONNECT_METHOD, findSocketCall, SOCKET_BASE_CLASSES, SUBCLASS_CONNECT, SUBCLASS_TLS_CONNECT, type SocketCall } from './node-api.js';
import { moduleValue, type ModuleBindings } from './imports.js';
import { skipOuterExpressions } from './syntax.js';
import type { FileCtx } from './file-index.js';

export interface SiteCandidate {
  ctx: FileCtx;
  node: ts.CallExpression | ts.NewExpression;
  api: SocketCall;
  /** Where Site.line/column point: the called name. */
  nameNode: ts.Node;
  /** A socket subclass's connect site: the class whose instances are the socket. */
  subclass?: ts.ClassLikeDeclaration;
}

/** `bindings`: the file's own, or linked with the creators its relative imports bring (module-graph.ts). */
export function findSiteCandidates(ctx: FileCtx, bindings: ModuleBindings = ctx.bindings): SiteCandidate[] {
  const out: SiteCandidate[] = [];
  if (bindings.namespaces.size === 0 && bindings.members.size === 0 && !bindings.locals?.size && !/require\(|import\(/.test(ctx.text)) return out;
  for (const n of ctx.allCalls) {
    const v = moduleValue(n.expression, bindings);
    if (v?.kind !== 'member') continue;
    const api = findSocketCall(v.module, v.name, ts.isNewExpression(n));
    if (!api) continue;
    out.push({ ctx, node: n, api, nameNode: ts.isNewExpression(n) ? n : calledNameNode(n.expression) });
  }
  out.push(...subclassConnects(ctx, bindings));
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
