import { dirname, relative } from 'node:path';
import type { Edit, FileProblem, FixKind, KeepaliveOptions } from '@ka-codemod/core';
import type { CFixTarget, CKeepaliveHelper } from '../contract.js';
import { locateCreation, type Creation } from './creation.js';
import { helperCall, helperDefinition, inlineBlock, needsHelper, returnedBlock, returnedBranch, tunings, type EmitContext } from './emit.js';
import { fitErrorPath, isLoggingCall, loggingLine, type BranchLine, type FitContext, type FittedBranch } from './error-path.js';
import { loggingCalls, noReturnFunctions, projectPolicy, type PolicyChoice } from './policy.js';
import { includedHeaders, includeInsertionPoint, includeLine, includeQuoting, includes } from './includes.js';
import { CLOSE_CALLS, HEADERS, HELPER_NAME, KEEPALIVE_OPERATION } from '../libc.js';
import { ancestor, calledIdentifier, nodeAt, ofType, parseLatin1, sameNode, walk, type Node } from './parse.js';
import { detectStyle, type CodeStyle } from './style.js';
import { isWindowsOnly, portableNames } from './winsock.js';
import { indentOf, lineOf, lineStartOf } from '../text.js';
import { blankBareStatementMacros } from '../statement-macros.js';
import { branchView, type BranchView } from '../branches.js';

/** A parsed file, shared by the whole-file plan and each site's own fix. */
export interface ParsedFile {
  path: string;
  /** The file's bytes decoded as latin1: string offsets are byte offsets. */
  text: string;
  root: Node;
  style: CodeStyle;
  headers: string[];
  /** Winsock names usable in code every platform compiles (see portableNames). */
  portable: Set<string>;
  /** Set on a parse of an `#if` branch view (see agreeingView): `text` stays the file's own. */
  view?: boolean;
  /** Headers the project headers this file includes bring in (their own #includes, followed). */
  brought: string[];
  /** Functions that never return, from this file and the project headers it includes. */
  noReturn: Set<string>;
}

/** What planFile needs besides the file itself: what its project headers say. */
export interface FileContext {
  /** The text of the project headers the file includes (followed a few levels). */
  headerTexts: readonly string[];
  /** Headers those project headers include. */
  brought: readonly string[];
}

/** The reason a target already done is skipped with. */
export const ALREADY = 'keepalive is already set right after the creation';

export interface TargetOutcome {
  target: CFixTarget;
  /** Set when the target got an edit; the summary line for it. */
  change?: string;
  /** With `change`: `unsafe` when the inserted code does more than log a failing setsockopt (SiteFix.kind). */
  kind?: FixKind;
  /** Set when it did not: why (also put on the sites it covers). */
  skipped?: string;
}

export interface FilePlan {
  edits: Edit[];
  outcomes: TargetOutcome[];
  problems: FileProblem[];
}

export function parseFile(path: string, text: string, statementMacros?: readonly string[], context?: FileContext): ParsedFile {
  let root = parseLatin1(text).rootNode;
  // semicolon-less `TRACE(("..."))` lines break the parse around them: parse again with them blanked
  // (offsets unchanged) and keep that tree when it is less damaged; edits still apply to `text`
  if (root.hasError && statementMacros?.length) {
    const bare = blankBareStatementMacros(text, new Set(statementMacros));
    if (bare !== text) {
      const retry = parseLatin1(bare).rootNode;
      if (errorCount(retry) < errorCount(root)) root = retry;
    }
  }
  return {
    path, text, root, style: detectStyle(text, root), headers: includedHeaders(root),
    portable: portableNames(root, ['SOCKET_ERROR', 'INVALID_SOCKET']),
    brought: [...(context?.brought ?? [])],
    noReturn: noReturnFunctions(root, [text, ...(context?.headerTexts ?? [])]),
  };
}

/**
 * ERROR and missing nodes in a tree. Only ERROR nodes and subtrees that hold an error are entered
 * (hasError covers missing nodes, not a one-character ERROR leaf, which is counted where it is met):
 * most of a tree has none, and a node-by-node walk of a large file cost more than parsing it.
 */
function errorCount(root: Node): number {
  let n = 0;
  const stack: Node[] = [root];
  while (stack.length > 0) {
    const node = stack.pop()!;
    const error = node.type === 'ERROR';
    if (error || node.isMissing) n++;
    if (!error && !node.hasError) continue;
    for (const child of node.children) stack.push(child);
  }
  return n;
}

const CONDITIONAL_DIRECTIVE = /^[ \t]*#[ \t]*(?:if|ifdef|ifndef|elif|else)\b/m;

/**
 * A site in code tree-sitter cannot parse because `#if` branches each open the same block
 * (`#ifdef _WIN32  if (a) {  #else  if (b) {  #endif`): plan it on the view with the first branches
 * and on the view with the others (branches.ts; offsets are the file's own, and copied code is
 * read from the file itself), and accept only when both give exactly the same edits. Code copied
 * from inside one branch (an error path under `#ifdef _WIN32`) would differ between the views, so
 * the rewrite never moves one platform's code into all builds.
 */
function agreeingView(f: ParsedFile, t: CFixTarget, helpers: readonly CKeepaliveHelper[], options: KeepaliveOptions, root: string): { f: ParsedFile; c: Creation } | null {
  if (f.view || !CONDITIONAL_DIRECTIVE.test(f.text)) return null;
  const found: Array<{ f: ParsedFile; c: Creation }> = [];
  for (const view of ['first', 'rest'] as const) {
    const viewed = viewOf(f, view);
    const call = nodeAt(viewed.root, t.callStartByte, t.callEndByte, 'call_expression');
    if (!call || call.hasError) return null;
    const c = locateCreation(f.text, call, f.style.unit);
    if (typeof c === 'string' || damagedAround(viewed, c)) return null;
    found.push({ f: viewed, c });
  }
  const [a, b] = found.map((v) => planFile(v.f, [t], helpers, options, root).edits);
  if (!a || !b || a.length === 0 || JSON.stringify(a) !== JSON.stringify(b)) return null;
  return found[0]!;
}

const views = new WeakMap<ParsedFile, Map<BranchView, ParsedFile>>();

/** A file's branch view, parsed once however many of its targets (and their own fixes) ask for it. */
function viewOf(f: ParsedFile, view: BranchView): ParsedFile {
  let own = views.get(f);
  if (!own) views.set(f, (own = new Map()));
  let viewed = own.get(view);
  if (!viewed) own.set(view, (viewed = { ...f, root: parseLatin1(branchView(f.text, view)).rootNode, view: true }));
  return viewed;
}

/** Calls with "close" in their name that never close a socket. */
const NOT_SOCKET_CLOSE = new Set(['fclose', 'closedir', 'pclose', 'closelog', 'dlclose', 'gzclose', 'BIO_closesocket']);

/**
 * The close call this file uses most (closesocket, a project's COMPAT_CLOSE or xclose, close); for
 * code inside Windows-only code (`windowsOnly`), the one that code uses (closesocket).
 */
function closeCallOf(f: ParsedFile, windowsOnly = false): string {
  let known = closeCalls.get(f.root);
  if (!known) closeCalls.set(f.root, (known = new Map()));
  let call = known.get(windowsOnly);
  if (call === undefined) known.set(windowsOnly, (call = countCloseCalls(f, windowsOnly)));
  return call;
}

/** closeCallOf's answers by tree: it is asked once for every target and every site's own fix. */
const closeCalls = new WeakMap<Node, Map<boolean, string>>();

function countCloseCalls(f: ParsedFile, windowsOnly: boolean): string {
  const counts = new Map<string, number>();
  for (const call of ofType(f.root, 'call_expression')) {
    const name = calledIdentifier(call);
    if (!name || NOT_SOCKET_CLOSE.has(name) || !(CLOSE_CALLS.includes(name) || /^[A-Za-z_]*close(socket)?$/i.test(name))) continue;
    // closesocket() under #ifdef _WIN32 does not exist where the other platforms compile the new
    // code; close() is wrong for a SOCKET in code only Windows compiles
    if (isWindowsOnly(call) !== windowsOnly) continue;
    counts.set(name, (counts.get(name) ?? 0) + 1);
  }
  let best = windowsOnly ? 'closesocket' : CLOSE_CALLS[0]!;
  for (const [name, n] of counts) if (n > (counts.get(best) ?? 0)) best = name;
  return best;
}

function returnTypeOf(fn: Node): string {
  const type = fn.childForFieldName('type')?.text ?? 'int';
  const decl = fn.childForFieldName('declarator');
  return decl?.type === 'pointer_declarator' ? `${type} *` : type;
}

function ancestorOfType(n: Node, type: string): Node | null {
  return ancestor(n, (a) => a.type === type);
}

/** Parse errors (ERROR or missing nodes) anywhere in a subtree. */
export function parseErrors(n: Node): Node[] {
  if (!n.hasError) return [];
  if (n.type === 'ERROR' || n.isMissing) return [n];
  return n.children.flatMap(parseErrors);
}

/**
 * Does a parse error touch what the rewrite reads or writes here: from the statement before the
 * one that holds the creation through the line after the insertion point? Errors elsewhere in the function (a
 * macro tree-sitter cannot follow, far away) do not make this site unsafe.
 */
function damagedAround(f: ParsedFile, c: Creation): boolean {
  let stmt: Node = c.call;
  while (stmt.parent && stmt.parent.type !== 'compound_statement' && stmt.parent.type !== 'function_definition') stmt = stmt.parent;
  // From the statement before it: an `else` swallowed by an #if just above changes what this statement is.
  const from = lineStartOf(f.text, stmt.previousNamedSibling?.startIndex ?? stmt.startIndex);
  const after = c.returned ? c.returned.end : c.insertAt;
  const nl = f.text.indexOf('\n', after + 1);
  const to = nl === -1 ? f.text.length : nl;
  return parseErrors(c.fn).some((e) => e.startIndex < to && e.endIndex > from);
}

const C_KEYWORDS = new Set(['if', 'else', 'for', 'while', 'do', 'switch', 'case', 'default', 'return', 'goto', 'break', 'continue', 'int', 'char', 'void', 'long', 'short', 'unsigned', 'signed', 'struct', 'union', 'enum', 'static', 'const', 'volatile', 'extern', 'sizeof', 'typedef', 'float', 'double', 'register', 'auto', 'inline']);

/**
 * Why the code around a site cannot be rewritten, in the project's terms: the parse error nearest
 * the call, named when it is a project macro used like a statement (`ifdebug { ... }`,
 * `TRACE(("..."))` without a semicolon) — the same sentence in a dry run and a real run.
 */
export function unparsedReason(f: ParsedFile, call: Node): string {
  const what = `${calledIdentifier(call) ?? 'the call'}()`;
  const scope = ancestorOfType(call, 'function_definition') ?? f.root;
  const errors = parseErrors(scope).sort((a, b) => Math.abs(a.startIndex - call.startIndex) - Math.abs(b.startIndex - call.startIndex));
  const e = errors[0];
  if (!e) return `the code around ${what} does not parse`;
  const line = lineOf(f.text, e.startIndex);
  // the error's own line, from its first word (an ERROR node may start at the statement before)
  const from = f.text.slice(e.startIndex, e.endIndex).search(/\S/);
  const start = e.startIndex + Math.max(0, from);
  const eol = f.text.indexOf('\n', start);
  // a word heading the error's line like a statement of its own: `ifdebug fprintf(...);`, `ifdebug {`
  const whole = f.text.slice(lineStartOf(f.text, start), eol < 0 ? f.text.length : eol).trim();
  const m = /^([A-Za-z_]\w*)\s*(?:\((?:[^()]|\([^()]*\))*\))?\s*(.*)$/.exec(whole);
  const statementAfter = (rest: string): boolean => rest === '' || /^(?:\{|if\b|for\b|while\b|do\b|return\b|[A-Za-z_]\w*\s*(?:\(|=|->|\.))/.test(rest);
  if (m && !C_KEYWORDS.has(m[1]!) && !m[2]!.startsWith(';') && statementAfter(m[2]!.trim())) {
    return `the code around ${what} does not parse: project macro \`${m[1]}\` before a statement (line ${lineOf(f.text, start)})`;
  }
  const snippet = whole.length > 60 ? `${whole.slice(0, 57)}...` : whole;
  return `the code around ${what} does not parse (line ${line}: \`${snippet}\`)`;
}

/** The keepalive code right after the insertion point already: a rerun changes nothing. */
function alreadyEnabled(f: ParsedFile, c: Creation, helperNames: readonly string[]): boolean {
  // Only this function's own code: a setsockopt on a same-named fd in the next function does not count.
  const window = f.text.slice(c.insertAt, Math.min(c.insertAt + 800, c.fn.endIndex));
  const fd = c.fd.replace(/[^\w]/g, (ch) => (/\s/.test(ch) ? '\\s*' : `\\s*\\${ch}\\s*`));
  if (new RegExp(`\\bsetsockopt\\s*\\(\\s*${fd}\\s*,\\s*SOL_SOCKET\\s*,\\s*SO_KEEPALIVE\\b`).test(window)) return true;
  return helperNames.some((h) => new RegExp(`\\b${h}\\s*\\(\\s*${fd}\\s*\\)`).test(window));
}

/** A project helper the file can call: unconditional, fd-only, declared where this file can see it. */
function usableHelper(f: ParsedFile, helpers: readonly CKeepaliveHelper[], firstUse: number): { helper: CKeepaliveHelper; header: string | null } | null {
  for (const h of helpers) {
    if (h.conditional || h.arity !== 1 || h.fdParam !== 0) continue;
    if (h.definedIn === f.path) {
      const def = ofType(f.root, 'function_definition').find((d) => new RegExp(`\\b${h.name}\\s*\\(`).test(d.childForFieldName('declarator')?.text ?? ''));
      const proto = ofType(f.root, 'declaration').find((d) => d.startIndex < firstUse && new RegExp(`\\b${h.name}\\s*\\(`).test(d.text));
      if ((def && def.startIndex < firstUse) || proto) return { helper: h, header: null };
      continue;
    }
    const header = h.declaredIn[0];
    if (!header) continue;
    const rel = relative(dirname(f.path), header).split('\\').join('/');
    const base = header.split('/').at(-1)!;
    return { helper: h, header: includes(f.headers, base) ? null : rel };
  }
  return null;
}

/**
 * The indentation step right here: the block's statements against its opening line. Files mix
 * styles (tabs in one function, spaces in another), and the new lines must match their neighbours.
 */
export function localUnit(text: string, c: Creation): string {
  const step = c.fnUnit;
  // The block the new lines go into (not always an ancestor of the call: `if (fd >= 0) {` bodies).
  let block: Node | null = c.fn.descendantForIndex(c.insertAt, c.insertAt);
  while (block && !(block.type === 'compound_statement' && block.startIndex < c.insertAt && block.endIndex > c.insertAt)) block = block.parent;
  if (!block) return step;
  const outer = indentOf(text, block.startIndex);
  if (!(c.indent.length > outer.length && c.indent.startsWith(outer))) return step;
  const local = c.indent.slice(outer.length);
  // Several steps at once (a body without braces sits two levels in): one step it is.
  if (/^\t+$/.test(local)) return '\t';
  for (let k = 1; step.length * k <= local.length; k++) if (step.repeat(k) === local) return step;
  return local;
}

function emitContext(f: ParsedFile, c: Creation, options: KeepaliveOptions): EmitContext {
  const socketError = f.portable.has('SOCKET_ERROR');
  const windowsOnly = isWindowsOnly(c.call);
  return {
    closeCall: closeCallOf(f, windowsOnly),
    style: { ...f.style, unit: localUnit(f.text, c) },
    options,
    failTest: socketError ? '== SOCKET_ERROR' : c.failureTest === '== -1' ? '== -1' : '< 0',
    invalid: f.portable.has('INVALID_SOCKET') || (windowsOnly && /\bINVALID_SOCKET\b/.test(f.text)) ? 'INVALID_SOCKET' : c.failureTest === '== -1' ? '-1' : null,
  };
}

/** Included by the file, or brought in by a project header it includes. */
function hasHeader(f: ParsedFile, header: string): boolean {
  return includes(f.headers, header) || includes(f.brought, header);
}

/**
 * The branch for `log`: the logging of the project's own option failure (the evidence), else the
 * logging of the fitted model; never a logger that does not return (it would end the program
 * where the project goes on): then perror.
 */
function logOnly(f: ParsedFile, c: Creation, fitted: FittedBranch, choice: PolicyChoice, ctx: FitContext): FittedBranch {
  const calls = choice.logBranch ? loggingCalls(choice.logBranch, isLoggingCall) : [];
  // the evidence may sit in another function, or read variables set after the insertion point
  const evidence = calls.every((call) => readableAt(f, c, call)) ? calls.map((call) => loggingLine(call, indentOf(f.text, call.startIndex))) : [];
  const returns = (l: BranchLine): boolean => !l.exits && !f.noReturn.has(l.callee ?? '');
  const from = evidence.length ? evidence : fitted.logging;
  const kept = from.filter(returns);
  const dropped = from.length > kept.length;
  const logging = kept.length ? kept : [{ text: `perror${ctx.callSpace}("${KEEPALIVE_OPERATION}");`, from: '' }];
  const model = evidence.length && kept.length ? "the project's own logging of an option failure" : kept.length ? `logging of the ${fitted.model}` : dropped ? 'perror: the project logger does not return' : 'perror';
  return { statements: logging, logging, braceless: fitted.braceless && logging.length === 1, model };
}

/**
 * Can this call be copied to the insertion point: does every name its arguments read exist there
 * (the fd, errno, a macro, a parameter, a local declared before the point, a file-level name)?
 */
function readableAt(f: ParsedFile, c: Creation, call: Node): boolean {
  const fdBase = /^\w+/.exec(c.fd)?.[0] ?? '';
  const known = new Set<string>(['errno', fdBase]);
  for (const d of [...c.fn.descendantsOfType('parameter_declaration'), ...c.fn.descendantsOfType('declaration')]) {
    if (d.startIndex >= c.insertAt) continue;
    for (const id of d.descendantsOfType('identifier')) known.add(id.text);
  }
  for (const d of f.root.namedChildren) {
    if (d.type === 'declaration' || d.type.startsWith('preproc_')) for (const id of d.descendantsOfType('identifier')) known.add(id.text);
  }
  for (const arg of call.childForFieldName('arguments')?.namedChildren ?? []) {
    for (const id of walk(arg)) {
      if (id.type !== 'identifier') continue;
      if (id.parent?.type === 'call_expression' && sameNode(id.parent.childForFieldName('function'), id)) continue;
      if (id.parent?.type === 'field_expression' && !sameNode(id.parent.childForFieldName('argument'), id)) continue;
      if (/^[A-Z_][A-Z0-9_]*$/.test(id.text) || known.has(id.text)) continue;
      return false;
    }
  }
  return true;
}

/** Where the helper goes: before the top-level declaration holding the first site, above its comments. */
function helperInsertionPoint(f: ParsedFile, c: Creation, sites: readonly Creation[]): number {
  // Up through #if blocks only: an ERROR node may wrap intact functions and start at line 1.
  // ... but never above an #include the site relies on (a whole file wrapped in #ifdef HAVE_X),
  // and never out of an #if block that holds every site (`#ifdef DEBUG` code): outside it, a build
  // without DEBUG would get an unused static function (-Werror=unused-function).
  const lastInclude = Math.max(-1, ...ofType(f.root, 'preproc_include').filter((n) => n.startIndex < c.fn.startIndex).map((n) => n.startIndex));
  const holdsAll = (n: Node): boolean => n.type !== 'translation_unit' && n.type.startsWith('preproc_if') && sites.every((s) => s.call.startIndex >= n.startIndex && s.call.endIndex <= n.endIndex);
  let top = c.fn;
  while (top.parent && top.parent.type.startsWith('preproc_') && top.parent.startIndex > lastInclude && !holdsAll(top.parent)) top = top.parent;
  let start = top.startIndex;
  for (let p = top.previousNamedSibling; p && p.type === 'comment' && lineOf(f.text, p.endIndex) >= lineOf(f.text, start) - 1; p = p.previousNamedSibling) start = p.startIndex;
  return lineStartOf(f.text, start);
}

function summaryLine(f: ParsedFile, root: string, c: Creation, t: CFixTarget, how: string): string {
  const rel = relative(root, f.path).split('\\').join('/');
  const line = lineOf(f.text, t.callStartByte);
  return `${rel}:${line}: ${how} on ${c.fd} after ${calledIdentifier(c.call)}() in ${t.function ?? "?"} (${t.reason})`;
}

/** Where one target is in one parse, and the error path fitted there (see workOn). */
interface TargetWork {
  helpers: readonly CKeepaliveHelper[];
  options: KeepaliveOptions;
  root: string;
  place: { skipped: string; problem?: FileProblem } | { skipped?: undefined; c: Creation; pf: ParsedFile };
  fit?: ReturnType<typeof fitTarget>;
}

/**
 * Each target's place and fitted error path, worked out once per parsed file: planC plans a file's
 * targets together, then each site's own fix alone, and agreeingView plans a target on each view;
 * all of it depends only on the file, the target, the helpers and the options.
 */
const targetWork = new WeakMap<ParsedFile, Map<CFixTarget, TargetWork>>();

function workOn(f: ParsedFile, t: CFixTarget, helpers: readonly CKeepaliveHelper[], options: KeepaliveOptions, root: string, place: () => TargetWork['place']): TargetWork {
  let own = targetWork.get(f);
  if (!own) targetWork.set(f, (own = new Map()));
  let w = own.get(t);
  if (!w || w.helpers !== helpers || w.options !== options || w.root !== root) own.set(t, (w = { helpers, options, root, place: place() }));
  return w;
}

/** Where a target's creation is in the file's parse, or in an #if branch view of it; else why it is skipped. */
function locate(f: ParsedFile, t: CFixTarget, helpers: readonly CKeepaliveHelper[], options: KeepaliveOptions, root: string, rel: string, knownHelpers: readonly string[]): TargetWork['place'] {
  const call = nodeAt(f.root, t.callStartByte, t.callEndByte, 'call_expression');
  if (!call) return { skipped: 'no socket/accept call at the given byte range' };
  const c = call.hasError ? 'inside a region tree-sitter could not parse' : locateCreation(f.text, call, f.style.unit);
  // A function tree-sitter lost to an earlier error is not "outside a function": it is unparsed.
  const lost = typeof c === 'string' && ancestorOfType(call, 'ERROR') !== null;
  if (call.hasError || lost || (typeof c !== 'string' && damagedAround(f, c))) {
    const viewed = agreeingView(f, t, helpers, options, root);
    if (viewed) return alreadyEnabled(f, viewed.c, knownHelpers) ? { skipped: ALREADY } : { c: viewed.c, pf: viewed.f };
    const line = lineOf(f.text, t.callStartByte);
    const why = unparsedReason(f, call);
    return { skipped: why, problem: { file: rel, kind: 'parse-error', line, message: `${rel}:${line}: not rewritten: ${why}` } };
  }
  if (typeof c === 'string') return { skipped: c };
  if (alreadyEnabled(f, c, knownHelpers)) return { skipped: ALREADY };
  return { c, pf: f };
}

/** The failure policy, emit context and fitted error path of a located target. */
function fitTarget(f: ParsedFile, c: Creation, pf: ParsedFile, options: KeepaliveOptions) {
  const choice: PolicyChoice = options.onError === 'project' ? projectPolicy(c, pf.root, f.text, isLoggingCall) : { policy: options.onError, why: 'as --on-error asks' };
  const siteOptions: KeepaliveOptions = { ...options, onError: choice.policy };
  const ctx = emitContext(pf, c, siteOptions);
  const fitCtx: FitContext = { text: f.text, closeCall: ctx.closeCall, windows: f.style.windows, returnType: returnTypeOf(c.fn), hasStdio: hasHeader(f, HEADERS.stdio), invalidSocket: ctx.invalid === 'INVALID_SOCKET', callSpace: f.style.callSpace };
  return { choice, ctx, fitCtx, fitted: fitErrorPath(c, fitCtx) };
}

/**
 * Plans the edits for every target in one file: inline block for a lone site, a `static` helper
 * for several (or when tuning / the env switch make the code long), a project helper when one exists.
 */
export function planFile(f: ParsedFile, targets: readonly CFixTarget[], helpers: readonly CKeepaliveHelper[], options: KeepaliveOptions, root: string): FilePlan {
  const outcomes: TargetOutcome[] = [];
  const problems: FileProblem[] = [];
  // each target's parse: the file's, or an #if branch view where the file's is damaged around it
  const located: { t: CFixTarget; c: Creation; pf: ParsedFile }[] = [];
  const rel = relative(root, f.path).split('\\').join('/');
  // Our helper from an earlier run is reused; an unrelated function of that name is left alone.
  const existing = ofType(f.root, 'function_definition').find((d) => new RegExp(`\\b${HELPER_NAME}\\s*\\(`).test(d.childForFieldName('declarator')?.text ?? ''));
  const ownHelperDefined = !!existing && /\bSO_KEEPALIVE\b/.test(existing.text);
  const helperName = existing && !ownHelperDefined ? `ka_${HELPER_NAME}` : HELPER_NAME;
  const knownHelpers = [helperName, ...helpers.map((h) => h.name)];
  for (const t of targets) {
    const w = workOn(f, t, helpers, options, root, () => locate(f, t, helpers, options, root, rel, knownHelpers));
    if (w.place.skipped !== undefined) {
      if (w.place.problem) problems.push({ ...w.place.problem });
      outcomes.push({ target: t, skipped: w.place.skipped });
    } else located.push({ t, c: w.place.c, pf: w.place.pf });
  }
  if (located.length === 0) return { edits: [], outcomes, problems };
  located.sort((a, b) => a.c.insertAt - b.c.insertAt);

  const first = located[0]!.c;
  const project = usableHelper(f, helpers, first.insertAt);
  const ownHelper = !project && (located.length > 1 || needsHelper(options));
  const edits: Edit[] = [];
  let emitted = '';
  for (const { t, c, pf } of located) {
    const w = workOn(f, t, helpers, options, root, () => {
      throw new Error('planFile: a located target without its work');
    });
    w.fit ??= fitTarget(f, c, pf, options);
    const { choice, ctx, fitCtx, fitted } = w.fit;
    const branch = choice.policy === 'log' ? logOnly(f, c, fitted, choice, fitCtx) : fitted;
    let lines: string[];
    let how: string;
    if (c.returned) {
      const name = project?.helper.name ?? (ownHelper ? helperName : null);
      const returns = project?.helper.returns ?? 'int';
      const enable = name ? (i: string) => helperCall({ ...c, indent: i }, name, returns, returnedBranch(c, ctx), ctx) : null;
      lines = returnedBlock(c, enable, ctx);
      how = name ? `${name}()` : 'SO_KEEPALIVE';
      const text = lines.map((l) => l + f.style.eol).join('').replace(/[ \t]+(\r?\n)/g, '$1').slice(c.indent.length).replace(/\r?\n$/, '');
      emitted += text;
      edits.push({ start: c.returned.start, end: c.returned.end, text });
      outcomes.push({ target: t, change: `${summaryLine(f, root, c, t, how)}; the returned fd gets a name; on failure: ${choice.policy === 'fail' ? 'close it and return the invalid fd' : choice.policy === 'log' ? 'log and go on' : 'ignore'} (${choice.why})`, kind: choice.policy === 'fail' ? 'unsafe' : 'safe' });
      continue;
    }
    if (project) {
      lines = helperCall(c, project.helper.name, project.helper.returns, branch, ctx);
      how = `${project.helper.name}() (the project's keepalive helper)`;
    } else if (ownHelper) {
      lines = helperCall(c, helperName, 'int', branch, ctx);
      how = `${helperName}()`;
    } else {
      lines = inlineBlock(c, branch, ctx);
      how = 'SO_KEEPALIVE';
    }
    const text = lines.map((l) => (l === '' ? '' : l) + f.style.eol).join('').replace(/[ \t]+(\r?\n)/g, '$1');
    emitted += text;
    edits.push({ start: c.insertAt, end: c.insertAt, text });
    const onError = `on failure: ${choice.policy === 'fail' ? branch.model : choice.policy === 'log' ? `log (${branch.model}) and go on` : 'ignore'} (${choice.why})`;
    // Unsafe when a failing setsockopt now takes the fitted error branch (more than its logging).
    const leaves = choice.policy === 'fail' && branch.statements.length > branch.logging.length && (!project || project.helper.returns === 'int');
    outcomes.push({ target: t, change: `${summaryLine(f, root, c, t, how)}; ${onError}`, kind: leaves ? 'unsafe' : 'safe' });
  }

  const pre: Edit[] = [];
  if (ownHelper && !ownHelperDefined) {
    const ctx = emitContext(f, first, options);
    // the helper is compiled on every platform: take the descriptor type of a creation every
    // platform compiles (`MHD_socket fd`), not of a Windows-only one (`SOCKET listen_s`)
    const typed = located.find(({ c }) => !isWindowsOnly(c.call))?.c ?? first;
    const fdType = typed.fdType && /^[A-Za-z_]\w*$/.test(typed.fdType) ? typed.fdType : 'int';
    const fatal = located.every(({ t }) => t.tcp === 'yes');
    const def = helperDefinition(helperName, fdType, fatal, { ...ctx, style: f.style });
    const text = [...def, ''].map((l) => l + f.style.eol).join('');
    emitted += text;
    const at = helperInsertionPoint(f, first, located.map(({ c }) => c));
    pre.push({ start: at, end: at, text });
  }
  const wanted: string[] = [];
  const local: string[] = [];
  if (project?.header) local.push(project.header);
  if (!hasHeader(f, HEADERS.socket) && !f.style.windows) wanted.push(HEADERS.socket);
  if (ownHelper && tunings(options).length && !hasHeader(f, HEADERS.tcp)) wanted.push(HEADERS.tcp);
  if (new RegExp(`\\bclose\\s*\\(`).test(emitted) && !hasHeader(f, HEADERS.close) && !/\bclose\s*\(/.test(f.text)) wanted.push(HEADERS.close);
  if (/\bperror\s*\(/.test(emitted) && !hasHeader(f, HEADERS.stdio)) wanted.push(HEADERS.stdio);
  if (/\b(getenv|atoi|exit)\s*\(/.test(emitted) && !hasHeader(f, HEADERS.stdlib)) wanted.push(HEADERS.stdlib);
  if (/\bstrcmp\s*\(/.test(emitted) && !hasHeader(f, HEADERS.string)) wanted.push(HEADERS.string);
  if (wanted.length || local.length) {
    const at = includeInsertionPoint(f.text, f.root);
    const guard = f.style.windows;
    const quoting = includeQuoting(f.root);
    const sys = wanted.map((h) => includeLine(h, quoting.system));
    const block = guard && sys.length ? ['#ifndef _WIN32', ...sys, '#endif'] : sys;
    const lines = [...local.map((h) => includeLine(h, quoting.project)), ...block];
    // A file without a final line break must not get its include glued to the last line.
    const lead = at > 0 && at === f.text.length && !f.text.endsWith('\n') ? f.style.eol : '';
    pre.unshift({ start: at, end: at, text: lead + lines.map((l) => l + f.style.eol).join('') });
  }
  return { edits: [...pre, ...edits], outcomes, problems };
}
