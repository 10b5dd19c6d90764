/**
 * The text prefilter: does a file call one of these names (`name (` with a word boundary before)?
 * Native indexOf scans, because a regex walked over every byte of a large tree costs more than
 * the parse it saves.
 *
 * Every scan takes the file's bytes as well as its text: most files of a tree are only ever
 * scanned, never parsed, and decoding all of them to strings cost more (copies, then garbage
 * collection) than the scans themselves. C names are ASCII, so a byte offset is a char offset.
 */
export type SourceText = string | Buffer;

/** The char (string) or byte (Buffer) code at i; NaN past the end. */
export function codeAt(text: SourceText, i: number): number {
  return typeof text === 'string' ? text.charCodeAt(i) : (text[i] ?? Number.NaN);
}

/** Chars [start, end) as a string (bytes read as latin1: one char per byte). */
export function sliceText(text: SourceText, start: number, end: number): string {
  return typeof text === 'string' ? text.slice(start, end) : text.toString('latin1', Math.max(0, start), Math.min(text.length, end));
}

export function callsAny(text: SourceText, names: readonly string[]): boolean {
  if (names.length === 0) return false;
  // bytes: one native scan per name (a regex needs a string)
  if (typeof text !== 'string') return names.some((name) => findCall(text, name, 0) >= 0);
  // one pass over the text for all names (longest first, so `accept4(` is not read as `accept`)
  const pattern = callPattern(names);
  pattern.lastIndex = 0;
  for (let m = pattern.exec(text); m; m = pattern.exec(text)) {
    if (m.index === 0 || !isIdentifierChar(text.charCodeAt(m.index - 1))) return true;
  }
  return false;
}

const patterns = new Map<string, RegExp>();
function callPattern(names: readonly string[]): RegExp {
  const key = names.join('|');
  let re = patterns.get(key);
  if (!re) {
    const alternatives = [...names].sort((a, b) => b.length - a.length).map((n) => n.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
    re = new RegExp(`(?:${alternatives.join('|')})\\s*\\(`, 'g');
    if (patterns.size > 256) patterns.clear();
    patterns.set(key, re);
  }
  return re;
}

/** Index of the first `name(` (blanks allowed before the parenthesis) at or after `from`, or -1. */
export function findCall(text: SourceText, name: string, from: number): number {
  for (let at = text.indexOf(name, from); at >= 0; at = text.indexOf(name, at + 1)) {
    if (at > 0 && isIdentifierChar(codeAt(text, at - 1))) continue;
    let i = at + name.length;
    if (i < text.length && isIdentifierChar(codeAt(text, i))) continue;
    while (i < text.length && isBlank(codeAt(text, i))) i++;
    if (codeAt(text, i) === OPEN_PAREN) return at;
  }
  return -1;
}

const OPEN_PAREN = 40;

/** Space, tab, CR or LF. */
function isBlank(code: number): boolean {
  return code === 32 || code === 9 || code === 13 || code === 10;
}

/** Does the text name this identifier at all (word boundaries on both sides)? */
export function mentions(text: SourceText, name: string): boolean {
  for (let at = text.indexOf(name); at >= 0; at = text.indexOf(name, at + 1)) {
    if (at > 0 && isIdentifierChar(codeAt(text, at - 1))) continue;
    const after = at + name.length;
    if (after < text.length && isIdentifierChar(codeAt(text, after))) continue;
    return true;
  }
  return false;
}

function isIdentifierChar(code: number): boolean {
  return (code >= 48 && code <= 57) || (code >= 65 && code <= 90) || (code >= 97 && code <= 122) || code === 95 || code >= 128;
}
