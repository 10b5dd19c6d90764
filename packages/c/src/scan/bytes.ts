/**
 * Searching a file's raw bytes without decoding it. The C engine reads every candidate file of a
 * tree (45 MB for PostgreSQL) but parses a handful; decoding all of them to strings only to look
 * for a few words cost more than the searches themselves. The bytes are latin1 text (one
 * character per byte), so an index here is the same index in the decoded text.
 *
 * Node's Buffer#indexOf finds a needle of up to six bytes by memchr on its first byte, then
 * compares the rest; a longer needle takes a Boyer-Moore-Horspool search, two to four times
 * slower on C text, and a needle that starts with a common letter stops memchr all the time. So a
 * word is looked for by the stretch of up to six of its bytes that starts with its rarest byte,
 * and each hit is checked whole: `SO_KEEPALIVE` by `KEEPAL`, `typedef` by `ypedef`, `socket` by
 * `ket` (measured on PostgreSQL: 12 → 3, 20 → 7, 17 → 5 ms per pass over the tree).
 */

/** Bytes of C source text, most frequent first: those above about 4 per mille in PostgreSQL and the C corpus. */
const COMMON = ' et\trnasi\nolc,_dupf*h-m)(;gbE0y1T=/RLNSIvOA2".xCwP';
/** How common a byte is: 0 for the rare ones, COMMON.length for a space. */
const COMMONNESS = new Uint8Array(256);
for (let i = 0; i < COMMON.length; i++) COMMONNESS[COMMON.charCodeAt(i)] = COMMON.length - i;

/** Longest needle that still gets the memchr search. */
const SHORT_NEEDLE = 6;
/** Shortest needle worth taking when the word is longer: fewer hits to check. */
const MIN_NEEDLE = 3;

/** A word to find in raw bytes. */
export class ByteWord {
  readonly bytes: Buffer;
  private readonly needle: Buffer;
  /** Where the needle starts within the word. */
  private readonly offset: number;

  constructor(readonly word: string) {
    this.bytes = Buffer.from(word, 'latin1');
    const n = this.bytes.length;
    let best = 0;
    for (let s = 1; s <= n - Math.min(n, MIN_NEEDLE); s++) {
      if (COMMONNESS[this.bytes[s]!]! < COMMONNESS[this.bytes[best]!]!) best = s;
    }
    this.offset = best;
    this.needle = this.bytes.subarray(best, best + SHORT_NEEDLE);
  }

  get length(): number {
    return this.bytes.length;
  }

  /** Index of the first occurrence at or after `from`, or -1. */
  indexIn(buf: Buffer, from = 0): number {
    const n = this.bytes.length;
    if (n === 0) return -1;
    for (let at = buf.indexOf(this.needle, from + this.offset); at >= 0; at = buf.indexOf(this.needle, at + 1)) {
      const start = at - this.offset;
      if (start + n > buf.length) return -1;
      if (this.isAt(buf, start)) return start;
    }
    return -1;
  }

  /** Are these the bytes at `start`? */
  isAt(buf: Buffer, start: number): boolean {
    const word = this.bytes;
    for (let i = 0; i < word.length; i++) if (buf[start + i] !== word[i]) return false;
    return true;
  }
}

const words = new Map<string, ByteWord>();
/** The (cached) ByteWord for a name: the same few names are looked for in every file. */
export function byteWord(word: string): ByteWord {
  let found = words.get(word);
  if (!found) {
    if (words.size > 4096) words.clear();
    found = new ByteWord(word);
    words.set(word, found);
  }
  return found;
}

/** [A-Za-z0-9_]: what a regex's `\w` matches. */
export function isWordByte(b: number): boolean {
  return (b >= 48 && b <= 57) || (b >= 65 && b <= 90) || (b >= 97 && b <= 122) || b === 95;
}

/** A word byte or any byte from 128 up (part of an identifier for the prefilter: never a boundary). */
export function isIdentifierByte(b: number): boolean {
  return isWordByte(b) || b >= 128;
}

/** What `\s` matches in latin1 text: space, \t, \n, \v, \f, \r and the no-break space. */
export function isSpaceByte(b: number): boolean {
  return b === 32 || (b >= 9 && b <= 13) || b === 0xa0;
}

/** Only spaces and tabs between the start of the line and `at`. */
export function onlyBlanksBeforeIn(buf: Buffer, at: number): boolean {
  for (let i = at - 1; i >= 0; i--) {
    const b = buf[i];
    if (b === 10) return true;
    if (b !== 32 && b !== 9) return false;
  }
  return true;
}
