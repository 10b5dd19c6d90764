/**
 * Project macros, read from the text of every candidate file (a cheap scan, no parse): object-like
 * constants (`#define LISTEN_TYPE SOCK_STREAM`) and call aliases (`#define net_socket socket`,
 * `#define OPEN_SOCKET(fam, type) socket(fam, type, 0)`) that make a macro invocation a socket site.
 */
import { CREATION_CALLS, KNOWN_CALLS, isKnownCall, type KnownCall } from './libc.js';
import { ByteWord, onlyBlanksBeforeIn } from './scan/bytes.js';

/** One argument of the underlying call: the macro's k-th parameter, or fixed text from the body. */
export type MacroArg = { param: number } | { text: string };

export interface CallAlias {
  /** The libc call the macro expands to. */
  target: KnownCall;
  /** null: object-like alias, the invocation's arguments pass through unchanged. */
  args: MacroArg[] | null;
}

export interface MacroTable {
  /** Object-like macros with a short expression body. */
  constants: Map<string, string>;
  /** `typedef struct tag Name`: Name -> tag (filled by the caller; see typedefs.ts). */
  typedefs?: Map<string, string>;
  /** Macros that expand to a known call (directly or through other macros). */
  aliases: Map<string, CallAlias>;
  /**
   * A creation call the project substitutes with its own function (`#define socket(d, t, p)
   * dbg_socket(d, t, p, __LINE__, __FILE__)`): call name -> the function's name. Every call written
   * with the libc name in the project's build is a call of that function (see FlowGraph).
   */
  interposers?: Map<string, string>;
  /** Function-like macros some definition of which is empty (`#define TRACE(X)`): statement macros, often written without `;`. */
  statementMacros?: Set<string>;
}

export interface RawDefine {
  params: string[] | null;
  body: string;
}

/** A directive's logical line from `define` on: name, parameters (on the first line), body (all lines). */
const DEFINE = /define[ \t]+([A-Za-z_]\w*)(\([^)\n]*\))?([\s\S]*)/y;
const HASH = 0x23;
const DEFINE_WORD = new ByteWord('define');

/** Strips comments, line continuations and surrounding whitespace from a macro body. */
export function cleanMacroBody(body: string): string {
  if (!body.includes('/') && !body.includes('\\')) {
    const t = body.trim();
    return t.includes('  ') || t.includes('\t') ? t.replace(/\s+/g, ' ') : t;
  }
  return body
    .replace(/\\\r?\n/g, ' ')
    .replace(/\/\*[\s\S]*?\*\//g, ' ')
    .replace(/\/\/.*$/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

/**
 * All `#define`s in one file (raw latin1 bytes), in order, with continuation lines joined. The
 * bytes are searched for `#` (a memchr: rare in C text) and only each directive's logical line is
 * decoded; the file itself is not (bytes.ts).
 */
export function scanDefines(bytes: Buffer): Array<[string, RawDefine]> {
  const out: Array<[string, RawDefine]> = [];
  for (let hash = bytes.indexOf(HASH); hash >= 0; hash = bytes.indexOf(HASH, hash + 1)) {
    if (!onlyBlanksBeforeIn(bytes, hash)) continue;
    let at = hash + 1;
    while (bytes[at] === 32 || bytes[at] === 9) at++;
    if (!DEFINE_WORD.isAt(bytes, at)) continue;
    // the logical line: a line ending in a backslash (before an optional \r) goes on
    let end = bytes.indexOf(10, at);
    while (end >= 0 && (bytes[end - 1] === 92 || (bytes[end - 1] === 13 && bytes[end - 2] === 92))) end = bytes.indexOf(10, end + 1);
    const line = bytes.toString('latin1', at, end < 0 ? bytes.length : end);
    DEFINE.lastIndex = 0;
    const m = DEFINE.exec(line);
    if (!m) continue;
    const params = m[2] ? m[2].slice(1, -1).split(',').map((p) => p.trim()).filter((p) => p !== '') : null;
    out.push([m[1]!, { params, body: cleanMacroBody(m[3]!.replace(/\\\r?\n/g, ' ')) }]);
  }
  return out;
}

/** Splits `a, f(b, c), d` at top-level commas. */
export function splitTopLevel(text: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let current = '';
  for (const ch of text) {
    if (ch === '(' || ch === '[' || ch === '{') depth++;
    if (ch === ')' || ch === ']' || ch === '}') depth--;
    if (ch === ',' && depth === 0) {
      parts.push(current.trim());
      current = '';
    } else current += ch;
  }
  if (current.trim() !== '' || parts.length > 0) parts.push(current.trim());
  return parts;
}

function stripParens(text: string): string {
  let t = text.trim();
  while (t.startsWith('(') && t.endsWith(')') && balanced(t.slice(1, -1))) t = t.slice(1, -1).trim();
  return t;
}

function balanced(text: string): boolean {
  let depth = 0;
  for (const ch of text) {
    if (ch === '(') depth++;
    if (ch === ')' && --depth < 0) return false;
  }
  return depth === 0;
}

const CALL_BODY = /^([A-Za-z_]\w*)\s*\(([\s\S]*)\)$/;
const SIMPLE_EXPRESSION = /^[\w\s|()+-]*$/;

/** Builds the project-wide table from every file's defines; later definitions do not override earlier aliases. */
export function buildMacroTable(defines: Iterable<[string, RawDefine]>): MacroTable {
  const raw = new Map<string, RawDefine[]>();
  for (const [name, def] of defines) {
    const list = raw.get(name) ?? [];
    list.push(def);
    raw.set(name, list);
  }
  const constants = new Map<string, string>();
  const aliases = new Map<string, CallAlias>();
  const resolving = new Set<string>();

  const resolve = (name: string): CallAlias | null => {
    if (isKnownCall(name)) return { target: name, args: null };
    if (aliases.has(name)) return aliases.get(name)!;
    if (resolving.has(name) || !raw.has(name)) return null;
    resolving.add(name);
    let found: CallAlias | null = null;
    for (const def of raw.get(name)!) {
      found = aliasOf(def, resolve);
      if (found) break;
    }
    resolving.delete(name);
    if (found) aliases.set(name, found);
    return found;
  };

  // only macros whose body names a known call, or a macro found so far, can be aliases
  let wanted: RegExp | null = new RegExp(`\\b(?:${KNOWN_CALLS.join('|')})\\b`);
  while (wanted) {
    const before = aliases.size;
    for (const [name, defs] of raw) {
      if (isKnownCall(name) || aliases.has(name)) continue; // `#define socket(...)` shims keep the libc meaning
      if (defs.some((d) => wanted!.test(d.body))) resolve(name);
    }
    wanted = aliases.size > before ? new RegExp(`\\b(?:${[...aliases.keys()].map(escapeName).join('|')})\\b`) : null;
  }
  const statementMacros = new Set<string>();
  const interposers = new Map<string, string>();
  for (const name of CREATION_CALLS) {
    for (const def of raw.get(name) ?? []) {
      const call = def.params === null ? null : CALL_BODY.exec(stripParens(def.body));
      if (call && !isKnownCall(call[1]!) && !interposers.has(name)) interposers.set(name, call[1]!);
    }
  }
  for (const [name, defs] of raw) {
    if (isKnownCall(name)) continue;
    if (!aliases.has(name) && defs.some((d) => d.params !== null && d.body === '')) statementMacros.add(name);
    const objectLike = defs.find((d) => d.params === null && d.body !== '' && d.body.length <= 120 && SIMPLE_EXPRESSION.test(d.body));
    if (objectLike && !aliases.has(name)) constants.set(name, objectLike.body);
  }
  return { constants, aliases, statementMacros, interposers };
}

function escapeName(name: string): string {
  return name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function aliasOf(def: RawDefine, resolve: (name: string) => CallAlias | null): CallAlias | null {
  const body = stripParens(def.body);
  if (/^[A-Za-z_]\w*$/.test(body)) {
    // `#define net_socket socket` or `#define Sock(a, b, c) sock_impl` (rare): arguments pass through
    const inner = resolve(body);
    return inner ? { target: inner.target, args: inner.args } : null;
  }
  const call = CALL_BODY.exec(body);
  if (!call || !balanced(call[2]!)) return null;
  const inner = resolve(call[1]!);
  if (!inner) return null;
  const params = def.params ?? [];
  const ownArgs: MacroArg[] = splitTopLevel(call[2]!).map((text) => {
    const bare = stripParens(text);
    const index = params.indexOf(bare);
    return index >= 0 ? { param: index } : { text: bare };
  });
  if (inner.args === null) return { target: inner.target, args: ownArgs };
  // a macro over a macro: compose the argument maps
  return {
    target: inner.target,
    args: inner.args.map((a) => ('param' in a ? (ownArgs[a.param] ?? { text: '' }) : a)),
  };
}
