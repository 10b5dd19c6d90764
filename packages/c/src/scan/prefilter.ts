/**
 * The text prefilter: does a file call one of these names (`name (` with no identifier character
 * before)? On the raw bytes, one native search per name (bytes.ts), so most files are never
 * decoded; with many names, one regex pass over the decoded text (callsAny) costs less.
 */
import { byteWord, isIdentifierByte, isSpaceByte, type ByteWord } from './bytes.js';

/** {@link callsAnyIn} on decoded text, all names in one regex pass. */
export function callsAny(text: string, names: readonly string[]): boolean {
  if (names.length === 0) return false;
  // one pass over the text for all names (longest first, so `accept4(` is not read as `accept`)
  const pattern = callPattern(names);
  pattern.lastIndex = 0;
  for (let m = pattern.exec(text); m; m = pattern.exec(text)) {
    if (m.index === 0 || !isIdentifierByte(text.charCodeAt(m.index - 1))) return true;
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

/** Does the word at `at` (of length `n`) open a call: no identifier byte before it, then blanks, then `(`? */
function callsAt(buf: Buffer, at: number, n: number): boolean {
  if (at > 0 && isIdentifierByte(buf[at - 1]!)) return false;
  let i = at + n;
  while (i < buf.length && isSpaceByte(buf[i]!)) i++;
  return buf[i] === 40; // (
}

/** Index of the first `name(` (blanks allowed before the parenthesis) at or after `from`, or -1. */
export function findCallIn(buf: Buffer, name: string, from = 0): number {
  const word = byteWord(name);
  for (let at = word.indexIn(buf, from); at >= 0; at = word.indexIn(buf, at + 1)) {
    if (callsAt(buf, at, word.length)) return at;
  }
  return -1;
}

/**
 * Does the file call one of these names? One search per group of names that share a prefix
 * (`accept` and `accept4`, `dup2` and `dup3`: each hit of the prefix is checked for every name).
 */
export function callsAnyIn(buf: Buffer, names: readonly string[]): boolean {
  for (const { prefix, names: group } of prefixGroups(names)) {
    for (let at = prefix.indexIn(buf); at >= 0; at = prefix.indexIn(buf, at + 1)) {
      for (const name of group) if (name.isAt(buf, at) && callsAt(buf, at, name.length)) return true;
    }
  }
  return false;
}

/** Shortest shared prefix worth one search for several names. */
const MIN_SHARED_PREFIX = 3;
const groupsOf = new Map<string, Array<{ prefix: ByteWord; names: ByteWord[] }>>();

/** The names in groups with a shared prefix of at least three characters (sorted, so they are neighbours). */
function prefixGroups(names: readonly string[]): Array<{ prefix: ByteWord; names: ByteWord[] }> {
  const key = names.join('\n');
  let groups = groupsOf.get(key);
  if (groups) return groups;
  groups = [];
  let prefix = '';
  let members: string[] = [];
  const flush = () => {
    if (members.length > 0) groups!.push({ prefix: byteWord(prefix), names: members.map(byteWord) });
  };
  for (const name of [...new Set(names)].sort()) {
    const shared = members.length > 0 ? commonPrefix(prefix, name) : '';
    if (shared.length >= MIN_SHARED_PREFIX) {
      prefix = shared;
      members.push(name);
    } else {
      flush();
      prefix = name;
      members = [name];
    }
  }
  flush();
  if (groupsOf.size > 256) groupsOf.clear();
  groupsOf.set(key, groups);
  return groups;
}

function commonPrefix(a: string, b: string): string {
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i++;
  return a.slice(0, i);
}

/** Does the file name this identifier (word boundaries on both sides)? */
export function mentionsIn(buf: Buffer, name: string): boolean {
  const word = byteWord(name);
  for (let at = word.indexIn(buf); at >= 0; at = word.indexIn(buf, at + 1)) {
    if (at > 0 && isIdentifierByte(buf[at - 1]!)) continue;
    const after = at + word.length;
    if (after < buf.length && isIdentifierByte(buf[after]!)) continue;
    return true;
  }
  return false;
}
