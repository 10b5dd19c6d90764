/**
 * The text prefilter: does a file call one of these names (`name (` with a word boundary before)?
 * Native indexOf scans, because a regex walked over every byte of a large tree costs more than
 * the parse it saves.
 */
export function callsAny(text: string, names: readonly string[]): boolean {
  for (const name of names) if (findCall(text, name, 0) >= 0) return true;
  return false;
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
