/**
 * The text prefilter: does a file call one of these names (`name (` with a word boundary before)?
 * Native indexOf scans, because a regex walked over every byte of a large tree costs more than
 * the parse it saves.
 */
export function callsAny(text: string, names: readonly string[]): boolean {
  if (names.length === 0) return false;
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
export function findCall(text: string, name: string, from: number): number {
  for (let at = text.indexOf(name, from); at >= 0; at = text.indexOf(name, at + 1)) {
    if (at > 0 && isIdentifierChar(text.charCodeAt(at - 1))) continue;
    let i = at + name.length;
    if (i < text.length && isIdentifierChar(text.charCodeAt(i))) continue;
    while (i < text.length && (text[i] === ' ' || text[i] === '\t' || text[i] === '\r' || text[i] === '\n')) i++;
    if (text[i] === '(') return at;
  }
  return -1;
}

/** Does the text name this identifier at all (word boundaries on both sides)? */
export function mentions(text: string, name: string): boolean {
  for (let at = text.indexOf(name); at >= 0; at = text.indexOf(name, at + 1)) {
    if (at > 0 && isIdentifierChar(text.charCodeAt(at - 1))) continue;
    const after = at + name.length;
    if (after < text.length && isIdentifierChar(text.charCodeAt(after))) continue;
    return true;
  }
  return false;
}

function isIdentifierChar(code: number): boolean {
  return (code >= 48 && code <= 57) || (code >= 65 && code <= 90) || (code >= 97 && code <= 122) || code === 95 || code >= 128;
}
