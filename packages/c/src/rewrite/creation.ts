import { EXIT_WITH_STATUS_CALLS, NO_RETURN_CALLS } from '../libc.js';
import { ancestor, calledIdentifier, sameNode, type Node } from './parse.js';
import { indentOf, nextLineStart, sameLine } from '../text.js';

/** Where a created fd lives and where the code that enables keepalive on it goes. */
/** `return socket(...);`: the statement is replaced by a block that stores, checks and returns the fd. */
export interface ReturnedCreation {
  start: number;
  end: number;
  /** Type of the new variable: the function's return type when it is a plain name, else int. */
  type: string;
  /** The creation expression as written. */
  expr: string;
}

export interface Creation {
  call: Node;
  /** Set when the fd is returned straight from the call (see {@link ReturnedCreation}). */
  returned?: ReturnedCreation;
  /** The lvalue holding the fd, as written: `fd`, `c->fd`, `conn.sock`. */
  fd: string;
  /** Declared type of the fd variable (`int`, `SOCKET`, ...), when found. */
  fdType: string | null;
  fn: Node;
  /** Byte offset where the inserted lines start (always the start of a line). */
  insertAt: number;
  indent: string;
  /** The creation's own failure branch, when it has one. */
  failureBranch: Node | null;
  /** How the creation's failure check compares: `< 0`, `== -1`, `== INVALID_SOCKET`; null without a check. */
  failureTest: string | null;
  /** False when nothing before the insertion point proved the fd valid: the new code must test it. */
  checked: boolean;
  /** Nearest loop around the call inside its function (where `continue`/`break` lead). */
  loop: Node | null;
  /** Where the fd variable is declared (a local's declaration), when found. */
  fdDeclaredAt: number | null;
  /** The indentation step of this function (files mix tabs and spaces from one function to the next). */
  fnUnit: string;
}

const WRAPPERS = new Set(['parenthesized_expression', 'cast_expression']);
const LOOPS = new Set(['for_statement', 'while_statement', 'do_statement']);
const JUMPS = new Set(['return_statement', 'goto_statement', 'continue_statement', 'break_statement']);


function unwrapUp(n: Node): Node {
  while (n.parent && WRAPPERS.has(n.parent.type)) n = n.parent;
  return n;
}

function normalized(s: string): string {
  return s.replace(/\s+/g, '');
}

/** Statements of a branch (a compound statement's children, or the lone statement), comments left out. */
export function branchStatements(branch: Node): Node[] {
  const list = branch.type === 'compound_statement' ? branch.namedChildren : [branch];
  return list.filter((s) => s.type !== 'comment');
}

/** Does control never leave this branch by its end (return, goto, continue, break, exit())? */
export function terminates(branch: Node): boolean {
  const last = branchStatements(branch).at(-1);
  if (!last) return false;
  if (JUMPS.has(last.type)) return true;
  const call = last.type === 'expression_statement' ? last.namedChild(0) : null;
  return !!call && call.type === 'call_expression' && isNoReturnCall(call);
}

/** exit(), abort(), err(), and error(status, ...) with a status that is not 0. */
export function isNoReturnCall(call: Node): boolean {
  const name = calledIdentifier(call) ?? '';
  if (NO_RETURN_CALLS.includes(name)) return true;
  if (!EXIT_WITH_STATUS_CALLS.includes(name)) return false;
  const status = call.childForFieldName('arguments')?.namedChild(0)?.text.replace(/\s+/g, '');
  return status !== undefined && status !== '0';
}

/** `fd < 0`, `fd == -1`, `fd == INVALID_SOCKET` (failure when true) or their negations (success when true). */
export function classifyTest(expr: Node, fd: string): { failWhenTrue: boolean; test: string } | null {
  let e = expr;
  while (e.type === 'parenthesized_expression' && e.namedChild(0)) e = e.namedChild(0)!;
  if (e.type === 'call_expression' && /^(unlikely|likely|__builtin_expect)$/.test(calledIdentifier(e) ?? '')) {
    const arg = e.childForFieldName('arguments')?.namedChild(0);
    return arg ? classifyTest(arg, fd) : null;
  }
  if (e.type === 'binary_expression' && e.childForFieldName('operator')?.type === '||') {
    // `a < 0 || fd < 0`: either side failing sends control into the failure branch.
    for (const side of [e.childForFieldName('left'), e.childForFieldName('right')]) {
      const t = side ? classifyTest(side, fd) : null;
      if (t?.failWhenTrue) return t;
    }
    return null;
  }
  if (e.type !== 'binary_expression') return null;
  const op = e.childForFieldName('operator')?.type ?? '';
  const unwrap = (n: Node): Node => (n.type === 'parenthesized_expression' && n.namedChild(0) ? unwrap(n.namedChild(0)!) : n);
  let left = unwrap(e.childForFieldName('left')!);
  let right = unwrap(e.childForFieldName('right')!);
  let flipped = false;
  if (normalized(right.text) === normalized(fd) || right.type === 'assignment_expression') {
    [left, right] = [right, left];
    flipped = true;
  }
  const lhs = left.type === 'assignment_expression' ? left.childForFieldName('left')!.text : left.text;
  if (normalized(lhs) !== normalized(fd)) return null;
  const value = normalized(right.text);
  const invalid = value === '-1' || value === 'INVALID_SOCKET';
  const o = flipped ? ({ '<': '>', '>': '<', '<=': '>=', '>=': '<=' } as Record<string, string>)[op] ?? op : op;
  if ((o === '<' && value === '0') || (o === '<=' && (value === '-1' || value === '0'))) return { failWhenTrue: true, test: '< 0' };
  if (o === '==' && invalid) return { failWhenTrue: true, test: `== ${value}` };
  if ((o === '>=' && value === '0') || (o === '>' && value === '-1')) return { failWhenTrue: false, test: '< 0' };
  if (o === '!=' && invalid) return { failWhenTrue: false, test: `== ${value}` };
  return null;
}

function bodyStart(text: string, body: Node, unit: string): { insertAt: number; indent: string } | string {
  if (body.type !== 'compound_statement') return 'the branch that uses the fd has no braces';
  const at = nextLineStart(text, body.startIndex + 1);
  if (at === null) return 'code follows the opening brace on the same line';
  const first = body.namedChildren.find((c) => c.type !== 'comment' && !c.type.startsWith('preproc_') && c.startIndex >= at);
  const indent = first && !sameLine(text, body.startIndex, first.startIndex) ? indentOf(text, first.startIndex) : indentOf(text, body.startIndex) + unit;
  return { insertAt: at, indent };
}

function after(text: string, stmt: Node): { insertAt: number; indent: string } | string {
  // Only statements of a block (possibly inside #if lines): after the body of a braceless
  // if/else/loop the new code would run on paths where the fd was never created.
  let holder = stmt.parent;
  while (holder && (holder.type.startsWith('preproc_') || holder.type === 'labeled_statement')) holder = holder.parent;
  if (holder?.type !== 'compound_statement' && holder?.type !== 'case_statement') return 'the creation is the body of an if/else/loop without braces';
  const at = nextLineStart(text, stmt.endIndex);
  if (at === null) return 'code follows the creation on the same line';
  return { insertAt: at, indent: indentOf(text, stmt.startIndex) };
}

function nextStatement(stmt: Node): Node | null {
  let s = stmt.nextNamedSibling;
  while (s && s.type === 'comment') s = s.nextNamedSibling;
  // `again: fd = socket(...);` labels only that statement: the check is the label's sibling.
  if (!s && stmt.parent?.type === 'labeled_statement') return nextStatement(stmt.parent);
  return s;
}

function declarationOf(fn: Node, name: string): Node | null {
  if (!/^\w+$/.test(name)) return null;
  for (const d of [...fn.descendantsOfType('declaration'), ...fn.descendantsOfType('parameter_declaration')]) {
    for (const c of d.namedChildren) {
      const id = c.type === 'init_declarator' ? c.childForFieldName('declarator') : c;
      if (id?.type === 'identifier' && id.text === name) return d;
    }
  }
  return null;
}

function fdFacts(fn: Node, name: string): { fdType: string | null; fdDeclaredAt: number | null } {
  const d = declarationOf(fn, name);
  return { fdType: d?.childForFieldName('type')?.text ?? null, fdDeclaredAt: d ? d.startIndex : null };
}

/**
 * Finds the statement that creates the fd, the fd's lvalue, the failure check and the spot right
 * after both (HOWTO 5.1: "just after the socket creation block"). A string says why not.
 */
/** How far the function's statements sit inside its definition, else the file's step. */
export function functionUnit(text: string, fn: Node, fallback: string): string {
  const body = fn.childForFieldName('body');
  const first = body?.namedChildren.find((c) => c.type !== 'comment' && !c.type.startsWith('preproc_'));
  if (!body || !first || sameLine(text, body.startIndex, first.startIndex)) return fallback;
  const outer = indentOf(text, fn.startIndex);
  const inner = indentOf(text, first.startIndex);
  return inner.length > outer.length && inner.startsWith(outer) ? inner.slice(outer.length) : fallback;
}

export function locateCreation(text: string, call: Node, fileUnit: string): Creation | string {
  const fn = ancestor(call, (a) => a.type === 'function_definition');
  if (!fn) return 'the call is not inside a function';
  const unit = functionUnit(text, fn, fileUnit);
  const found = locateIn(text, call, fn, unit);
  return typeof found === 'string' ? found : { ...found, fnUnit: unit };
}

function locateIn(text: string, call: Node, fn: Node, unit: string): Omit<Creation, 'fnUnit'> | string {
  const loopNode = ancestor(call, (a) => LOOPS.has(a.type) || a.type === 'function_definition');
  const loop = loopNode && loopNode.type !== 'function_definition' ? loopNode : null;
  let n = unwrapUp(call);
  let p = n.parent;
  let fd: string;
  let stmt: Node;
  if (p?.type === 'assignment_expression' && sameNode(p.childForFieldName('right'), n)) {
    fd = p.childForFieldName('left')!.text;
    n = unwrapUp(p);
    p = n.parent;
    if (p?.type === 'expression_statement') stmt = p;
    else if (p?.type === 'binary_expression') {
      const cond = unwrapUp(p);
      const holder = cond.parent;
      const test = classifyTest(p, fd);
      if (!holder || !test) return 'the creation sits in an expression the rewrite does not follow';
      if (holder.type === 'while_statement' && sameNode(holder.childForFieldName('condition'), cond)) {
        if (test.failWhenTrue) return 'the loop runs while the creation fails';
        const where = bodyStart(text, holder.childForFieldName('body')!, unit);
        if (typeof where === 'string') return where;
        return { call, fd, ...fdFacts(fn, fd), fn, ...where, failureBranch: null, failureTest: test.test, checked: true, loop: holder };
      }
      if (holder.type !== 'if_statement' || !sameNode(holder.childForFieldName('condition'), cond)) {
        return 'the creation sits in an expression the rewrite does not follow';
      }
      return fromCheck(text, holder, test, { call, fd, ...fdFacts(fn, fd), fn, loop }, unit);
    } else return 'the creation sits in an expression the rewrite does not follow';
  } else if (p?.type === 'init_declarator' && sameNode(p.childForFieldName('value'), n)) {
    const d = p.childForFieldName('declarator')!;
    if (d.type !== 'identifier') return 'the fd is declared through a pointer or array declarator';
    fd = d.text;
    stmt = p.parent!;
    // C89 (and -Wdeclaration-after-statement): the new block goes after the rest of the
    // declarations; they may read the fd (`struct rlimit r = { fd, fd };`), never reassign it.
    for (let s = nextStatement(stmt); s && s.type === 'declaration' && !new RegExp(`\\b${fd}\\s*=[^=]`).test(s.text); s = nextStatement(s)) stmt = s;
  } else if (p?.type === 'return_statement') {
    // A helper that returns the fd: give the value a name, enable keepalive, return it.
    if (!sameLine(text, p.startIndex, p.endIndex)) return 'the returned creation spans several lines';
    const rtype = fn.childForFieldName('type')?.text ?? 'int';
    const plainReturn = fn.childForFieldName('declarator')?.type === 'function_declarator' && /^[A-Za-z_]\w*$/.test(rtype);
    const name = /\bfd\b/.test(fn.text) ? (/\bsock_fd\b/.test(fn.text) ? 'ka_fd' : 'sock_fd') : 'fd';
    return {
      call, fd: name, fdType: plainReturn ? rtype : 'int', fdDeclaredAt: null, fn, loop,
      insertAt: p.startIndex, indent: indentOf(text, p.startIndex),
      failureBranch: null, failureTest: null, checked: false,
      returned: { start: p.startIndex, end: p.endIndex, type: plainReturn ? rtype : 'int', expr: n.text },
    };
  } else return 'the fd is not stored in a variable';

  const base = { call, fd, ...fdFacts(fn, fd), fn, loop };
  const check = nextStatement(stmt);
  if (check?.type === 'if_statement') {
    const test = classifyTest(check.childForFieldName('condition')!, fd);
    if (test) return fromCheck(text, check, test, base, unit);
  }
  const where = after(text, stmt);
  if (typeof where === 'string') return where;
  return { ...base, ...where, failureBranch: null, failureTest: null, checked: false };
}

function fromCheck(
  text: string,
  check: Node,
  test: { failWhenTrue: boolean; test: string },
  base: Pick<Creation, 'call' | 'fd' | 'fdType' | 'fdDeclaredAt' | 'fn' | 'loop'>,
  unit: string,
): Omit<Creation, 'fnUnit'> | string {
  const consequence = check.childForFieldName('consequence')!;
  const alternative = check.childForFieldName('alternative');
  const elseBody = alternative?.namedChildren.find((c) => c.type !== 'comment') ?? null;
  if (test.failWhenTrue) {
    if (elseBody) {
      const where = bodyStart(text, elseBody, unit);
      if (typeof where === 'string') return where;
      return { ...base, ...where, failureBranch: consequence, failureTest: test.test, checked: true };
    }
    const where = after(text, check);
    if (typeof where === 'string') return where;
    const checked = terminates(consequence);
    return { ...base, ...where, failureBranch: consequence, failureTest: test.test, checked };
  }
  const where = bodyStart(text, consequence, unit);
  if (typeof where === 'string') return where;
  return { ...base, ...where, failureBranch: elseBody, failureTest: test.test, checked: true };
}
