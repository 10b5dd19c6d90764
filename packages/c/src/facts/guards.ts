/**
 * Configuration guards: whether a setsockopt (or a call to a keepalive helper) runs only when a
 * configuration flag or argument says so, as opposed to conditions about the socket itself (its
 * family or type, the fd's validity, a previous call's status) or branches that abandon the
 * connection.
 */
import { KIND_CONSTANT } from '../libc.js';
import type { Carrier } from './model.js';
import type { Scope } from './scope.js';
import { addIdentifiers, sameNode, stripWrappers, type Node } from './tree.js';

/**
 * `fd >= 0`, `s != -1`, `sock == INVALID_SOCKET`: a descriptor or status validity check, not a
 * configuration switch (those are tested for truth: `if (keepalive)`, `cfg->ka && ...`).
 */
export function isValidityCheck(condition: Node): boolean {
  const c = stripWrappers(condition);
  if (c.type === 'binary_expression' && ['&&', '||'].includes(c.childForFieldName('operator')?.text ?? '')) {
    return isValidityCheck(c.childForFieldName('left')!) && isValidityCheck(c.childForFieldName('right')!);
  }
  if (c.type !== 'binary_expression') return false;
  const op = c.childForFieldName('operator')?.text ?? '';
  const right = stripWrappers(c.childForFieldName('right')!).text.replace(/\s+/g, '');
  const left = stripWrappers(c.childForFieldName('left')!).text.replace(/\s+/g, '');
  const invalid = (t: string) => t === '-1' || t === 'NULL' || /^[A-Z0-9_]*(?:INVALID|ERROR|FAIL)[A-Z0-9_]*$/.test(t);
  if (['<', '<=', '>', '>='].includes(op)) return /^-?\d+$/.test(right) || /^-?\d+$/.test(left);
  if (op === '==' || op === '!=') return invalid(right) || invalid(left);
  return false;
}

/** Code that gives up on the connection: closing it, leaving the function or the loop iteration. */
const ABANDONS = /\b(?:close\w*|\w*_close|closesocket|return|goto|continue|break|exit|_exit|abort)\b/;

/**
 * Is the call guarded by a configuration flag or argument (`if (keepalive)`, `cfg->ka && setsockopt(...)`)?
 * Conditions about the socket itself (its family, its type, the fd's validity, a previous call's status)
 * are not configuration.
 */
export function isConfigGuarded(call: Node, scope: Scope, carrier: Carrier): boolean {
  const fdName = carrier.split(':').pop() ?? '';
  let cur: Node = call;
  for (let p = call.parent; p && p.type !== 'function_definition'; cur = p, p = p.parent) {
    let condition: Node | null = null;
    if (p.type === 'if_statement' && !sameNode(p.childForFieldName('condition'), cur)) {
      // `if (rejected) { close(fd); } else { setsockopt(...) }`: the other branch abandons the
      // connection, so the condition decides whether there is a connection, not its keepalive
      const consequence = p.childForFieldName('consequence');
      const other = sameNode(consequence, cur) ? p.childForFieldName('alternative') : consequence;
      if (!(other && ABANDONS.test(other.text))) condition = p.childForFieldName('condition');
    }
    else if (p.type === 'binary_expression' && ['&&', '||'].includes(p.childForFieldName('operator')?.text ?? '') && sameNode(p.childForFieldName('right'), cur)) {
      condition = p.childForFieldName('left');
    } else if (p.type === 'conditional_expression' && !sameNode(p.childForFieldName('condition'), cur)) condition = p.childForFieldName('condition');
    else if (p.type === 'case_statement') {
      const sw = p.parent?.parent;
      if (sw?.type === 'switch_statement') condition = sw.childForFieldName('condition');
    }
    if (condition && isConfigCondition(condition, scope, fdName)) return true;
    if (p.type === 'compound_statement' && exitsEarlyOnConfig(p, cur, scope, fdName)) return true;
  }
  return false;
}

/**
 * `if (!cfg->keepalive) return fd;` before the call, in the same block: keepalive is set only
 * when the flag lets the code get there. Error exits (`if (rc) goto fail;` after a call,
 * `if (fd < 0) return -1;`) are not configuration.
 */
export function exitsEarlyOnConfig(block: Node, child: Node, scope: Scope, fdName: string): boolean {
  // An exit before the socket exists decides whether there is a socket, not its keepalive
  // (`if (getaddrinfo(host, ...) != 0) return -1;` ahead of the socket() loop).
  const created = (scope.assigns.get(fdName) ?? []).filter((n) => stripWrappers(n).type === 'call_expression').map((n) => n.startIndex);
  const createdAt = created.length ? Math.min(...created) : -1;
  for (const statement of block.namedChildren) {
    if (statement.startIndex >= child.startIndex) break;
    if (statement.endIndex <= createdAt) continue;
    if (statement.type !== 'if_statement' || statement.childForFieldName('alternative')) continue;
    const consequence = statement.childForFieldName('consequence');
    if (!consequence || !/\b(?:return|goto|break|continue)\b/.test(consequence.text)) continue;
    const condition = statement.childForFieldName('condition');
    if (!condition) continue;
    // `if ((c->fd = accept(...)) == INVALID) return;`: checking what was just assigned
    if (/(?:^|[^=!<>])=(?!=)/.test(condition.text)) continue;
    const ids = new Set<string>();
    addIdentifiers(condition, ids, true);
    if ([...ids].some((id) => scope.resultVars.has(id))) continue;
    if (isConfigCondition(condition, scope, fdName)) return true;
  }
  return false;
}

export function isConfigCondition(condition: Node, scope: Scope, fdName: string): boolean {
  const c = stripWrappers(condition);
  // `family != AF_UNIX && cfg->keepalives`: each operand is judged on its own
  if (c.type === 'binary_expression' && ['&&', '||'].includes(c.childForFieldName('operator')?.text ?? '')) {
    return isConfigCondition(c.childForFieldName('left')!, scope, fdName) || isConfigCondition(c.childForFieldName('right')!, scope, fdName);
  }
  if (/\b(AF|PF|SOCK)_[A-Z0-9_]+\b/.test(condition.text)) return false;
  if (isValidityCheck(condition)) return false;
  const ids = new Set<string>();
  addIdentifiers(condition, ids, true);
  for (const id of ids) {
    if (id === fdName || KIND_CONSTANT.test(id) || /^[A-Z][A-Z0-9_]*$/.test(id)) continue;
    if (scope.kindVars.has(id) || scope.statusVars.has(id) || id === 'errno' || id === 'NULL') continue;
    return true;
  }
  return false;
}
