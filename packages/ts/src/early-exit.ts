/**
 * Early exits on a configuration flag: `if (!this.options.keepAlive) return;` before an
 * unconditional `sock.setKeepAlive(true, …)` makes it conditional just like wrapping it in an `if`.
 * Exits on an error (`if (err) return cb(err)`) and checks that the socket still exists or is open
 * (`if (!sock || sock.destroyed) return`) are not configuration: they leave keepalive on every
 * normal path.
 */
import { ts } from './typescript.js';
import { contains, isFunctionLike, skipOuterExpressions } from './syntax.js';

/**
 * Identifiers that name an error, and socket or connection states (also an owner's private
 * `this._destroyed`, `this._closing`): a test on them is not a configuration flag.
 */
const ERROR_NAME = /^_?(e|er|err|error|ex|exc|exception)$/i;
const SOCKET_STATE = /^_*(destroyed|closed|closing|ended|writable|readable|connecting|pending|readyState|handle|aborted)$/;

/** The condition of a configuration early exit between `call` and `anchor`'s statement, else null. */
export function earlyExitBetween(call: ts.CallExpression, anchor: ts.Node): ts.Expression | null {
  const receiver = ts.isPropertyAccessExpression(call.expression) ? receiverText(call.expression.expression) : null;
  let child: ts.Node = call;
  for (let n: ts.Node | undefined = call.parent; n; child = n, n = n.parent) {
    if (isFunctionLike(n)) {
      // An inline callback runs where it is registered; a named helper's own body was the last place to look.
      const p = n.parent;
      const inline = (ts.isArrowFunction(n) || ts.isFunctionExpression(n)) && p && (ts.isCallExpression(p) || ts.isNewExpression(p)) && p.arguments?.includes(n);
      if (!inline) return null;
    }
    const statements = statementsOf(n);
    if (statements) {
      const at = statements.indexOf(child as ts.Statement);
      const holdsAnchor = contains(n, anchor);
      // In the block that also holds the site, only the statements after the site's own count.
      const from = holdsAnchor ? statements.findIndex((s) => contains(s, anchor)) + 1 : 0;
      for (let i = Math.max(from, 0); i < at; i++) {
        const cond = configurationExit(statements[i]!, receiver);
        if (cond) return cond;
      }
      if (holdsAnchor) return null;
    }
    if (contains(n, anchor)) return null;
  }
  return null;
}

/** `if (flag) return …;` (no else), where flag is not an error or the socket's own state: its test. */
export function configurationExit(stmt: ts.Statement, receiver: string | null): ts.Expression | null {
  if (!ts.isIfStatement(stmt) || stmt.elseStatement || !exits(stmt.thenStatement)) return null;
  return isConfigurationTest(stmt.expression, receiver) ? stmt.expression : null;
}

function exits(s: ts.Statement): boolean {
  if (ts.isReturnStatement(s)) return true;
  if (ts.isBlock(s)) {
    const last = s.statements[s.statements.length - 1];
    return !!last && ts.isReturnStatement(last);
  }
  return false;
}

function isConfigurationTest(test: ts.Expression, receiver: string | null): boolean {
  let config = true;
  const visit = (n: ts.Node): void => {
    if (!config) return;
    const isMemberName = ts.isIdentifier(n) && ts.isPropertyAccessExpression(n.parent) && n.parent.name === n;
    if (ts.isIdentifier(n) && !isMemberName && ERROR_NAME.test(n.text)) config = false;
    else if (ts.isPropertyAccessExpression(n) && (SOCKET_STATE.test(n.name.text) || n.name.text === 'setKeepAlive')) config = false;
    // `if (!sock) return` / `if (!this.socket) return`: the socket itself may be missing, not a flag.
    else if (receiver !== null && !isMemberName && (ts.isIdentifier(n) || ts.isPropertyAccessExpression(n)) && receiverText(n) === receiver) config = false;
    ts.forEachChild(n, visit);
  };
  visit(test);
  return config;
}

function receiverText(e: ts.Expression): string {
  return skipOuterExpressions(e).getText().replace(/\s+/g, '').replace(/^(self|that|_this|_self|me)(?=\.|$)/, 'this');
}

function statementsOf(n: ts.Node): readonly ts.Statement[] | null {
  if (ts.isBlock(n) || ts.isSourceFile(n) || ts.isModuleBlock(n) || ts.isCaseClause(n) || ts.isDefaultClause(n)) return n.statements;
  return null;
}
