/**
 * Socket-producing calls in a file: every call or `new` whose callee resolves (through any import
 * form) to an entry of SOCKET_CALLS.
 */
import { ts } from './typescript.js';
import { findSocketCall, type SocketCall } from './node-api.js';
import { moduleValue } from './imports.js';
import type { FileCtx } from './project.js';

export interface SiteCandidate {
  ctx: FileCtx;
  node: ts.CallExpression | ts.NewExpression;
  api: SocketCall;
  /** Where Site.line/column point: the called name. */
  nameNode: ts.Node;
}

export function findSiteCandidates(ctx: FileCtx): SiteCandidate[] {
  const out: SiteCandidate[] = [];
  if (ctx.bindings.namespaces.size === 0 && ctx.bindings.members.size === 0 && !/require\(|import\(/.test(ctx.text)) return out;
  for (const n of ctx.allCalls) {
    const v = moduleValue(n.expression, ctx.bindings);
    if (v?.kind !== 'member') continue;
    const api = findSocketCall(v.module, v.name, ts.isNewExpression(n));
    if (api) out.push({ ctx, node: n, api, nameNode: ts.isNewExpression(n) ? n : calledNameNode(n.expression) });
  }
  return out;
}

function calledNameNode(callee: ts.Expression): ts.Node {
  let e: ts.Expression = callee;
  while (ts.isParenthesizedExpression(e)) e = e.expression;
  if (ts.isBinaryExpression(e) && e.operatorToken.kind === ts.SyntaxKind.CommaToken) return calledNameNode(e.right);
  if (ts.isPropertyAccessExpression(e)) return e.name;
  if (ts.isElementAccessExpression(e)) return e.argumentExpression;
  return e;
}
