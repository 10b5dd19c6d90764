import type { Creation } from './creation.js';
import { branchStatements, isNoReturnCall, terminates } from './creation.js';
import { CLOSE_CALLS, KEEPALIVE_OPERATION, NOT_LOGGERS, isFdOperationName } from '../libc.js';
import { retargetMessage } from './message.js';
import { ancestor, calledIdentifier, sameNode, walk, type Node } from './parse.js';
import { indentOf } from '../text.js';

/** One statement of the generated failure branch: its text and the indentation it was written at. */
export interface BranchLine {
  text: string;
  from: string;
  /** For a copied logging call: its callee, and whether it never returns here (`error(1, …)`). */
  callee?: string;
  exits?: boolean;
}

/** The failure branch for the new setsockopt, fitted from the code around the creation. */
export interface FittedBranch {
  /** Everything the branch does, in order (logging, cleanup, the jump out). */
  statements: BranchLine[];
  /** Only the logging calls, retargeted (what `--on-error=log` keeps). */
  logging: BranchLine[];
  /** The model was written without braces. */
  braceless: boolean;
  /** For the summary: where the shape came from. */
  model: string;
}

const NESTED = new Set(['if_statement', 'for_statement', 'while_statement', 'do_statement', 'switch_statement', 'compound_statement', 'labeled_statement', 'declaration']);

function norm(s: string): string {
  return s.replace(/\s+/g, '');
}

function callOf(stmt: Node): Node | null {
  const e = stmt.type === 'expression_statement' ? stmt.namedChild(0) : null;
  return e && e.type === 'call_expression' ? e : null;
}

function args(call: Node): Node[] {
  return call.childForFieldName('arguments')?.namedChildren.filter((c) => c.type !== 'comment') ?? [];
}

/** Is this a call that releases `fd` (close(fd), closesocket(fd), a project's my_close(fd))? */
export function isCloseOf(call: Node, fd: string): boolean {
  const name = calledIdentifier(call) ?? '';
  if (!CLOSE_CALLS.includes(name) && !/close/i.test(name)) return false;
  return args(call).some((a) => norm(a.text) === norm(fd));
}

function closesFd(n: Node, fd: string): boolean {
  for (const d of walk(n)) if (d.type === 'call_expression' && isCloseOf(d, fd)) return true;
  return false;
}

function stringArg(call: Node): Node | null {
  return args(call).find((a) => a.type === 'string_literal' || a.type === 'concatenated_string') ?? null;
}

/** A statement that reports the failure: a call with a string literal that is not cleanup. */
export function isLoggingCall(call: Node): boolean {
  const name = calledIdentifier(call) ?? call.childForFieldName('function')?.text ?? '';
  if (NOT_LOGGERS.includes(name) || CLOSE_CALLS.includes(name)) return false;
  return stringArg(call) !== null;
}

/** Arguments that can be dropped from a logging call without losing a side effect. */
function isPure(arg: Node): boolean {
  for (const d of walk(arg)) if (d.type === 'assignment_expression' || d.type === 'update_expression') return false;
  return true;
}

function retargeted(call: Node): string {
  const lit = stringArg(call)!;
  const name = calledIdentifier(call) ?? '';
  const parts = lit.type === 'string_literal' ? [lit] : lit.namedChildren.filter((c) => c.type !== 'comment');
  if (parts.some((p) => p.type !== 'string_literal')) return call.text;
  const content = parts.map((p) => p.text.slice(1, -1)).join('');
  const { content: message, dropped } = retargetMessage(content, name);
  const all = args(call);
  const after = all.slice(all.findIndex((a) => sameNode(a, lit)) + 1);
  const drop = dropped.map((i) => after[i]).filter((a): a is Node => !!a);
  if (drop.some((a) => !isPure(a)) || dropped.some((i) => !after[i])) return call.text;
  // Rebuild the argument list only when something is dropped, so the original spacing survives otherwise.
  const text = call.text;
  if (drop.length === 0) {
    const s = lit.startIndex - call.startIndex;
    const e = lit.endIndex - call.startIndex;
    return `${text.slice(0, s)}"${message}"${text.slice(e)}`;
  }
  const fn = call.childForFieldName('function')!.text;
  const kept = all.filter((a) => !drop.some((d) => sameNode(d, a))).map((a) => (sameNode(a, lit) ? `"${message}"` : a.text));
  return `${fn}(${kept.join(', ')})`;
}

/** A logging call copied with its message retargeted to the new call. */
export function loggingLine(call: Node, from: string): BranchLine {
  return { text: retargeted(call) + ';', from, callee: calledIdentifier(call) ?? '', exits: isNoReturnCall(call) };
}

/** Names a statement range declares or assigns: a copied branch may not read them before they exist. */
function namesSetIn(nodes: readonly Node[]): Set<string> {
  const out = new Set<string>();
  for (const n of nodes) {
    for (const d of walk(n)) {
      if (d.type === 'init_declarator') out.add(d.childForFieldName('declarator')?.text ?? '');
      else if (d.type === 'declaration') {
        for (const c of d.namedChildren) if (c.type === 'identifier') out.add(c.text);
      } else if (d.type === 'assignment_expression') {
        const l = d.childForFieldName('left');
        if (l?.type === 'identifier' || l?.type === 'field_expression') out.add(norm(l.text));
      }
    }
  }
  return out;
}

function readsAny(n: Node, names: Set<string>, fd: string): boolean {
  for (const d of walk(n)) {
    if ((d.type === 'identifier' || d.type === 'field_expression') && norm(d.text) !== norm(fd) && names.has(norm(d.text))) return true;
  }
  return false;
}

function loopOf(n: Node): Node | null {
  const a = ancestor(n, (x) => ['for_statement', 'while_statement', 'do_statement', 'function_definition'].includes(x.type));
  return a && a.type !== 'function_definition' ? a : null;
}

/** Statements from `label:` on, until control leaves (what a `goto label` runs). */
function labelCode(fn: Node, label: string): Node[] | null {
  const l = fn.descendantsOfType('labeled_statement').find((s) => s.childForFieldName('label')?.text === label);
  if (!l) return null;
  const out: Node[] = [l];
  for (let s = l.nextNamedSibling; s; s = s.nextNamedSibling) out.push(s);
  return out;
}

const GUARDS = new Set(['if_statement', 'conditional_expression', 'for_statement', 'while_statement', 'switch_statement']);

/** Closes `fd` whatever happens: a close under an `if` may depend on a flag set later (`if (made_fd)`). */
function closesUnconditionally(n: Node, fd: string): boolean {
  for (const d of walk(n)) {
    if (d.type !== 'call_expression' || !isCloseOf(d, fd)) continue;
    const guard = ancestor(d, (a) => GUARDS.has(a.type) || sameNode(a, n));
    if (!guard || (sameNode(guard, n) && !GUARDS.has(n.type))) return true;
  }
  return false;
}

function labelCloses(fn: Node, label: string, fd: string): boolean {
  const code = labelCode(fn, label);
  if (!code) return false;
  for (const s of code) {
    if (closesUnconditionally(s, fd)) return true;
    if (s.type === 'return_statement' || s.type === 'goto_statement') return false;
  }
  return false;
}

/** A label that closes `fd` and then falls through to `target` (the outer of two cleanup labels). */
function closingLabelBefore(fn: Node, target: string, fd: string): string | null {
  const code = labelCode(fn, target);
  if (!code) return null;
  const labels = fn.descendantsOfType('labeled_statement');
  for (const l of labels) {
    const name = l.childForFieldName('label')?.text ?? '';
    if (name === target || !labelCloses(fn, name, fd)) continue;
    const mine = labelCode(fn, name) ?? [];
    if (mine.some((s) => sameNode(s, code[0]!))) return name;
  }
  return null;
}

/** Is `call` tested for failure here (`< 0`, `== -1`, `== SOCKET_ERROR`, `!= 0`, or plain truth)? */
export function testsFailure(cond: Node, call: Node): boolean {
  let n: Node = call;
  while (!sameNode(n, cond) && n.parent && n.parent.type === 'parenthesized_expression') n = n.parent;
  if (sameNode(n, cond)) return true; // if (connect(...)): non-zero is failure
  const p = n.parent;
  if (!p) return false;
  if (p.type === 'binary_expression') {
    const op = p.childForFieldName('operator')?.type ?? '';
    if (op === '||') return true;
    const other = sameNode(p.childForFieldName('left'), n) ? p.childForFieldName('right') : p.childForFieldName('left');
    const v = norm(other?.text ?? '');
    if (op === '<' && v === '0') return true;
    if (op === '==' && (v === '-1' || v === 'SOCKET_ERROR')) return true;
    if (op === '!=' && v === '0') return true;
    return false;
  }
  return false;
}

function isFdOperationCheck(ifs: Node, fd: string): boolean {
  const cond = ifs.childForFieldName('condition');
  if (!cond) return false;
  for (const d of walk(cond)) {
    if (d.type !== 'call_expression' || !isFdOperationName(calledIdentifier(d) ?? '')) continue;
    const first = args(d)[0];
    if (first && norm(first.text) === norm(fd) && testsFailure(cond, d)) return true;
  }
  return false;
}

interface Model {
  branch: Node;
  name: string;
}

/** Does this branch end the attempt and stay in the creation's loop (`continue` of that loop)? */
function staysInLoop(branch: Node, c: Creation): boolean {
  const last = branchStatements(branch).at(-1);
  return !!last && last.type === 'continue_statement' && sameNode(loopOf(last), c.loop);
}

/**
 * The loop's own handling of a failed attempt (a loop over getaddrinfo results, an accept loop):
 * the creation's failure branch or an fd operation's in the same loop that ends in `continue`.
 */
function retryBranch(c: Creation): Node | null {
  if (!c.loop) return null;
  const ops = c.loop.descendantsOfType('if_statement').filter((s) => isFdOperationCheck(s, c.fd)).map((s) => s.childForFieldName('consequence'));
  for (const b of [c.failureBranch, ...ops]) if (b && simpleBranch(b) && staysInLoop(b, c)) return b;
  return null;
}

/** The nearest later failure branch of an operation on this fd, usable at the insertion point. */
function fdOperationModel(c: Creation, retry: Node | null): Model | null {
  const body = c.fn.childForFieldName('body');
  if (!body) return null;
  const candidates = body.descendantsOfType('if_statement').filter((s) => s.startIndex >= c.insertAt && isFdOperationCheck(s, c.fd));
  for (const s of candidates) {
    const branch = s.childForFieldName('consequence')!;
    if (!terminates(branch) || !simpleBranch(branch)) continue;
    if (retry && !staysInLoop(branch, c)) continue;
    const last = branchStatements(branch).at(-1)!;
    if ((last.type === 'continue_statement' || last.type === 'break_statement') && !sameNode(loopOf(last), c.loop)) continue;
    const between = body.namedChildren.length ? collectBetween(body, c.insertAt, s.startIndex) : [];
    const names = namesSetIn([...between, s.childForFieldName('condition')!]);
    if (readsAny(branch, names, c.fd)) continue;
    const op = [...walk(s.childForFieldName('condition')!)].find((d) => d.type === 'call_expression' && isFdOperationName(calledIdentifier(d) ?? ''));
    return { branch, name: `${calledIdentifier(op!) ?? 'operation'}() failure branch` };
  }
  return null;
}

function collectBetween(body: Node, from: number, to: number): Node[] {
  const out: Node[] = [];
  for (const d of walk(body)) {
    if (d.startIndex >= from && d.endIndex <= to && (d.type === 'declaration' || d.type === 'expression_statement')) out.push(d);
  }
  return out;
}

/** A branch we can copy statement by statement: no nested control flow, no preprocessor lines inside. */
function simpleBranch(branch: Node): boolean {
  if (branch.hasError || branch.parent?.hasError) return false;
  if (!branchStatements(branch).every((s) => !NESTED.has(s.type))) return false;
  for (const d of walk(branch)) if (d.type.startsWith('preproc_') || d.type === 'if_statement' && !sameNode(d, branch)) return false;
  return true;
}

export interface FitContext {
  /** The file's text (latin1), for indentation. */
  text: string;
  closeCall: string;
  windows: boolean;
  /** The function's declared return type, for a synthesized `return`. */
  returnType: string;
  hasStdio: boolean;
  /** `f (x)` or `f(x)`. */
  callSpace: string;
  /** The file spells an invalid socket INVALID_SOCKET. */
  invalidSocket: boolean;
}

/**
 * `close(fd);`, and `fd = -1;` when the variable outlives the branch (a loop goes on, a cleanup
 * label may test it, or it is a struct member): a stale number must not be closed twice.
 */
function closeLines(c: Creation, ctx: FitContext, outlives: boolean): BranchLine[] {
  const close = { text: `${ctx.closeCall}${ctx.callSpace}(${c.fd});`, from: '' };
  // A local declared inside the loop dies with the iteration: no reset needed there either.
  const loopLocal = c.loop !== null && c.fdDeclaredAt !== null && c.fdDeclaredAt >= c.loop.startIndex && c.fdDeclaredAt < c.loop.endIndex;
  if ((!outlives || loopLocal) && /^\w+$/.test(c.fd)) return [close];
  return [close, { text: `${c.fd} = ${invalidValue(ctx)};`, from: '' }];
}

function invalidValue(ctx: FitContext): string {
  return ctx.invalidSocket ? 'INVALID_SOCKET' : '-1';
}

/** Copies a model branch, corrected for a point where the fd is open. */
function fit(model: Model, c: Creation, ctx: FitContext): FittedBranch {
  const stmts = branchStatements(model.branch);
  const out: BranchLine[] = [];
  const logging: BranchLine[] = [];
  const closes = closesFd(model.branch, c.fd);
  const closeLine = (last: Node): BranchLine[] => closeLines(c, ctx, last.type !== 'return_statement' && last.type !== 'expression_statement');
  stmts.forEach((s, i) => {
    const from = indentOf(ctx.text, s.startIndex);
    const call = callOf(s);
    const last = i === stmts.length - 1;
    if (call && isLoggingCall(call)) {
      const line = loggingLine(call, from);
      logging.push(line);
      if (last && isNoReturnCall(call) && !closes) out.push(...closeLine(s));
      out.push(line);
      return;
    }
    if (!last) {
      out.push({ text: s.text, from });
      return;
    }
    if (s.type === 'goto_statement') {
      const label = s.childForFieldName('label')!.text;
      if (closes || labelCloses(c.fn, label, c.fd)) out.push({ text: s.text, from });
      else {
        const outer = closingLabelBefore(c.fn, label, c.fd);
        if (outer) out.push({ text: `goto ${outer};`, from });
        else out.push(...closeLine(s), { text: s.text, from });
      }
      return;
    }
    if (!closes) out.push(...closeLine(s));
    if (s.type === 'return_statement') {
      const value = s.namedChild(0);
      // The creation's own branch may return the (invalid) fd; here the fd is open, so report failure.
      if (value && norm(value.text) === norm(c.fd)) out.push({ text: `return ${invalidValue(ctx)};`, from });
      else out.push({ text: s.text, from });
      return;
    }
    out.push({ text: s.text, from });
  });
  return { statements: out, logging, braceless: model.branch.type !== 'compound_statement', model: model.name };
}

/**
 * No error path to copy: log and go on. Inventing a return or an exit would change what the
 * function does after a failure nobody planned for. The logger is the one the creation's own
 * (non-terminating) failure branch calls, else perror where stdio is included.
 */
function synthesized(c: Creation, ctx: FitContext): FittedBranch {
  const own = c.failureBranch && simpleBranch(c.failureBranch)
    ? branchStatements(c.failureBranch).flatMap((s) => {
        const call = callOf(s);
        return call && isLoggingCall(call) ? [loggingLine(call, indentOf(ctx.text, s.startIndex))] : [];
      })
    : [];
  const log: BranchLine[] = own.length ? own : ctx.hasStdio ? [{ text: `perror${ctx.callSpace}("${KEEPALIVE_OPERATION}");`, from: '' }] : [];
  return { statements: log, logging: log, braceless: false, model: 'logging only (no error path to copy)' };
}

/**
 * The failure branch for the new call: the nearest error path that already handles this fd, else
 * the creation's own failure branch, else one built from the function's return type.
 */
export function fitErrorPath(c: Creation, ctx: FitContext): FittedBranch {
  // Inside a loop that retries (`continue` after a failed attempt), a failure never leaves the loop.
  const retry = retryBranch(c);
  const op = fdOperationModel(c, retry);
  if (op) return fit(op, c, ctx);
  if (c.failureBranch && simpleBranch(c.failureBranch) && terminates(c.failureBranch) && (!retry || staysInLoop(c.failureBranch, c))) {
    const last = branchStatements(c.failureBranch).at(-1)!;
    const loopOk = !(last.type === 'continue_statement' || last.type === 'break_statement') || sameNode(loopOf(last), c.loop);
    if (loopOk) return fit({ branch: c.failureBranch, name: `${calledIdentifier(c.call)}() failure branch` }, c, ctx);
  }
  if (retry) return fit({ branch: retry, name: "the loop's own retry (close and continue)" }, c, ctx);
  return synthesized(c, ctx);
}
