/**
 * Keepalive forwarders: a function that is itself called `setKeepAlive` and passes the call on
 * (`socket.setKeepAlive = function setKeepAlive(enable, delay) { return socket.socket.setKeepAlive(enable, delay) }`,
 * a wrapper class's `setKeepAlive(on, ms) { this.sock.setKeepAlive(on, ms) }`). The call inside
 * only runs when someone calls the forwarder, with the forwarder's arguments: the evidence is
 * the forwarder's callers, never the forwarding call itself.
 */
import { ts } from './typescript.js';
import { SET_KEEPALIVE } from './node-api.js';
import { functionNames } from './file-index.js';
import { enclosingFunction, skipOuterExpressions } from './syntax.js';

/** The forwarder a setKeepAlive call sits in (its nearest enclosing function), or null. */
export function keepAliveForwarderOf(call: ts.CallExpression): ts.FunctionLikeDeclaration | null {
  const fn = enclosingFunction(call);
  return fn && functionNames(fn).includes(SET_KEEPALIVE) ? fn : null;
}

/** `x.setKeepAlive = function …`: the object the forwarder is installed on, if it is assigned as a property. */
export function forwarderOwner(fn: ts.FunctionLikeDeclaration): ts.Expression | null {
  const p = fn.parent;
  if (!ts.isBinaryExpression(p) || p.right !== fn || p.operatorToken.kind !== ts.SyntaxKind.EqualsToken) return null;
  const left = skipOuterExpressions(p.left);
  return ts.isPropertyAccessExpression(left) || ts.isElementAccessExpression(left) ? left.expression : null;
}
