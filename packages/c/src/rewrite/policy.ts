import type { Creation } from './creation.js';
import { branchStatements, isNoReturnCall, terminates } from './creation.js';
import { NORETURN_MARKER, NO_RETURN_CALLS, OPTION_CALLS, OPTION_HELPER_NAME } from '../libc.js';
import { ancestor, calledIdentifier, ofType, sameNode, walk, type Node } from './parse.js';
import { lineOf } from '../text.js';

/**
 * What the project does when setting an option on a socket fails, read from the code around a
 * site: the nearest `setsockopt`, non-blocking `fcntl`/`ioctl` or project wrapper of them.
 * - `ignore`: the result is discarded (`setsockopt(...);`, `(void)setsockopt(...)`) or its failure
 *   branch only comments;
 * - `log`: the failure branch reports and goes on;
 * - `fail`: the failure branch leaves (return, goto, break, continue, exit()).
 */
export type FailurePolicy = 'fail' | 'log' | 'ignore';

export interface PolicyChoice {
  policy: FailurePolicy;
  /** Why, for the summary line: `as setsockopt(SO_REUSEADDR) at line 42 does`. */
  why: string;
  /** For `log` from evidence: the branch that logs the project's own option failure. */
  logBranch?: Node;
}

interface Evidence {
  call: Node;
  policy: FailurePolicy;
  logBranch?: Node;
}

const WRAPPERS = new Set(['parenthesized_expression']);

function isOptionCall(call: Node): boolean {
  const name = calledIdentifier(call) ?? '';
  return OPTION_CALLS.includes(name) || OPTION_HELPER_NAME.test(name);
}

function hasLogging(branch: Node, isLogging: (call: Node) => boolean): boolean {
  for (const d of walk(branch)) if (d.type === 'call_expression' && isLogging(d)) return true;
  return false;
}

function leaves(branch: Node): boolean {
  if (terminates(branch)) return true;
  for (const d of walk(branch)) {
    if (['return_statement', 'goto_statement', 'break_statement', 'continue_statement'].includes(d.type)) return true;
    if (d.type === 'call_expression' && isNoReturnCall(d)) return true;
  }
  return false;
}

function classifyBranch(branch: Node | null, isLogging: (call: Node) => boolean): Pick<Evidence, 'policy' | 'logBranch'> {
  if (!branch) return { policy: 'ignore' };
  if (leaves(branch)) return { policy: 'fail' };
  if (hasLogging(branch, isLogging)) return { policy: 'log', logBranch: branch };
  return { policy: 'ignore' };
}

/** `x < 0`, `x == -1`, `x != 0`, `x` (failure when true), or `x == 0`, `x >= 0`, `!x` (success when true). */
function failureWhenTrue(cond: Node, inner: Node): boolean | null {
  let n = inner;
  while (n.parent && WRAPPERS.has(n.parent.type) && !sameNode(n, cond)) n = n.parent;
  if (sameNode(n, cond)) return true;
  const p = n.parent;
  if (!p) return null;
  if (p.type === 'unary_expression' && p.text.trim().startsWith('!')) return sameNode(p, cond) || sameNode(p.parent, cond) ? false : null;
  if (p.type !== 'binary_expression') return null;
  const op = p.childForFieldName('operator')?.type ?? '';
  const other = sameNode(p.childForFieldName('left'), n) ? p.childForFieldName('right') : p.childForFieldName('left');
  const v = (other?.text ?? '').replace(/\s+/g, '');
  if (op === '||') return true;
  if (op === '&&') return null;
  if ((op === '<' && v === '0') || (op === '==' && /^(-1|SOCKET_ERROR)$/.test(v)) || (op === '!=' && v === '0')) return true;
  if ((op === '==' && v === '0') || (op === '>=' && v === '0') || (op === '!=' && /^(-1|SOCKET_ERROR)$/.test(v))) return false;
  return null;
}

function fromCondition(ifs: Node, inner: Node, isLogging: (call: Node) => boolean): Pick<Evidence, 'policy' | 'logBranch'> | null {
  const cond = ifs.childForFieldName('condition');
  if (!cond) return null;
  const fails = failureWhenTrue(cond, inner);
  if (fails === null) return null;
  const alt = ifs.childForFieldName('alternative');
  const elseBody = alt?.namedChildren.find((c) => c.type !== 'comment') ?? null;
  return classifyBranch(fails ? ifs.childForFieldName('consequence') : elseBody, isLogging);
}

/** How this one call's failure is handled, when the code says. */
function classify(call: Node, isLogging: (call: Node) => boolean): Evidence | null {
  let n = call;
  while (n.parent && WRAPPERS.has(n.parent.type)) n = n.parent;
  const p = n.parent;
  if (!p) return null;
  // `fcntl(fd, F_GETFL)` reads a value: its use says nothing about failures.
  if (calledIdentifier(call) === 'fcntl' && /F_GET/.test(call.text) && p.type !== 'expression_statement') return null;
  if (p.type === 'expression_statement') return { call, policy: 'ignore' };
  if (p.type === 'cast_expression' && /^\(\s*void\s*\)/.test(p.text)) return { call, policy: 'ignore' };
  const ifs = ancestor(call, (a) => a.type === 'if_statement' || a.type.endsWith('_statement') || a.type === 'function_definition');
  if (ifs?.type === 'if_statement' && ifs.childForFieldName('condition')!.startIndex <= call.startIndex && ifs.childForFieldName('condition')!.endIndex >= call.endIndex) {
    // the innermost expression directly under the condition that holds the call
    let inner: Node = n;
    if (p.type === 'assignment_expression') inner = p;
    const got = fromCondition(ifs, inner, isLogging);
    return got ? { call, ...got } : null;
  }
  // `rc = setsockopt(...);` then `if (rc < 0) ...` (or nothing reads rc: ignored)
  if (p.type === 'assignment_expression' || p.type === 'init_declarator') {
    const name = (p.type === 'assignment_expression' ? p.childForFieldName('left') : p.childForFieldName('declarator'))?.text ?? '';
    if (!/^\w+$/.test(name)) return null;
    let stmt: Node = p;
    while (stmt.parent && stmt.parent.type !== 'compound_statement') stmt = stmt.parent;
    let next = stmt.nextNamedSibling;
    while (next && next.type === 'comment') next = next.nextNamedSibling;
    if (next?.type === 'if_statement') {
      const cond = next.childForFieldName('condition')!;
      const id = [...walk(cond)].find((d) => d.type === 'identifier' && d.text === name);
      if (id) {
        const got = fromCondition(next, id, isLogging);
        return got ? { call, ...got } : null;
      }
    }
    return null;
  }
  return null;
}

/** Option calls of a subtree, with what the code does when they fail. */
function evidenceIn(n: Node, isLogging: (call: Node) => boolean, skip: (call: Node) => boolean): Evidence[] {
  const out: Evidence[] = [];
  for (const d of ofType(n, 'call_expression')) {
    if (!isOptionCall(d) || skip(d) || d.hasError) continue;
    const e = classify(d, isLogging);
    if (e) out.push(e);
  }
  return out;
}

function describe(call: Node, text: string): string {
  const name = calledIdentifier(call) ?? 'the call';
  const opt = /\b(SO_\w+|TCP_\w+|IPV6_\w+|IP_\w+|O_NONBLOCK|FIONBIO|FD_CLOEXEC)\b/.exec(call.text)?.[1];
  return `${name}(${opt ?? ''}) at line ${lineOf(text, call.startIndex)}`;
}

const SAID: Record<FailurePolicy, string> = { ignore: 'ignores', log: 'logs and goes on', fail: 'gives up' };

/**
 * The project's policy for this site: the nearest option call on the same fd in the function,
 * else the nearest in the function, else the nearest in the file. Without any: log and go on
 * (a failed keepalive is no reason to drop a working connection).
 */
export function projectPolicy(c: Creation, root: Node, text: string, isLogging: (call: Node) => boolean): PolicyChoice {
  const norm = (s: string): string => s.replace(/\s+/g, '');
  const own = (call: Node): boolean => {
    const first = call.childForFieldName('arguments')?.namedChild(0);
    return !!first && norm(first.text) === norm(c.fd);
  };
  // the keepalive a previous run added is not the project's evidence
  const skip = (call: Node): boolean => /\bSO_KEEPALIVE\b/.test(call.text) && calledIdentifier(call) === 'setsockopt' && call.startIndex >= c.insertAt && call.startIndex < c.insertAt + 400;
  const distance = (e: Evidence): number => Math.abs(e.call.startIndex - c.insertAt);
  const inFn = evidenceIn(c.fn, isLogging, skip).sort((a, b) => distance(a) - distance(b));
  const pick = inFn.find((e) => own(e.call)) ?? inFn[0] ?? evidenceIn(root, isLogging, skip).sort((a, b) => distance(a) - distance(b))[0];
  if (!pick) return { policy: 'log', why: 'no setsockopt/fcntl failure handling nearby to follow: log and go on' };
  const why = `as ${describe(pick.call, text)} ${SAID[pick.policy]} on failure`;
  return { policy: pick.policy, why, ...(pick.logBranch ? { logBranch: pick.logBranch } : {}) };
}

/** The loggers of `branch` with their calls (for `log` from evidence). */
export function loggingCalls(branch: Node, isLogging: (call: Node) => boolean): Node[] {
  return branchStatements(branch).flatMap((s) => {
    const e = s.type === 'expression_statement' ? s.namedChild(0) : null;
    return e && e.type === 'call_expression' && isLogging(e) ? [e] : [];
  });
}

/**
 * Functions the file or the project headers it includes declare as never returning
 * (`__attribute__((noreturn))`, `_Noreturn`) or define with a call to exit()/abort() in them:
 * such a logger is never copied into a branch that must go on.
 */
export function noReturnFunctions(root: Node, texts: readonly string[]): Set<string> {
  const out = new Set<string>();
  for (const def of ofType(root, 'function_definition')) {
    const name = def.childForFieldName('declarator')?.descendantsOfType('identifier')[0]?.text;
    if (!name) continue;
    const exits = def.descendantsOfType('call_expression').some((call) => NO_RETURN_CALLS.includes(calledIdentifier(call) ?? ''));
    if (exits || NORETURN_MARKER.test(def.text.slice(0, (def.childForFieldName('body')?.startIndex ?? def.startIndex) - def.startIndex))) out.add(name);
  }
  for (const text of texts) {
    for (const decl of text.split(';')) {
      if (!NORETURN_MARKER.test(decl)) continue;
      const name = declaredName(decl);
      if (name) out.add(name);
    }
  }
  return out;
}

const ATTRIBUTE_WORDS = new Set(['__attribute__', '__attribute', '__declspec', 'noreturn', '__noreturn__', '_Noreturn', 'defined']);

/**
 * The function a `noreturn` prototype declares: the text after the last brace (one declaration),
 * without comments or preprocessor lines, and in it the first name followed by `(` that is not an
 * attribute. Plain scans: a header's text is arbitrary and must not cost more than a pass.
 */
function declaredName(chunk: string): string | null {
  const tail = chunk
    .slice(Math.max(chunk.lastIndexOf('{'), chunk.lastIndexOf('}')) + 1)
    .replace(/\/\*[\s\S]*?\*\//g, ' ')
    .replace(/\/\/[^\n]*/g, ' ')
    .replace(/^[ \t]*#.*$/gm, ' ');
  if (!NORETURN_MARKER.test(tail)) return null;
  for (const m of tail.matchAll(/\b([A-Za-z_]\w*)[ \t\r\n]*\(/g)) if (!ATTRIBUTE_WORDS.has(m[1]!)) return m[1]!;
  return null;
}
