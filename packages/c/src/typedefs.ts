/**
 * `typedef struct tag Name` spellings, so that `struct conn *c` and `conn_t *c` key the same
 * struct fields. Read from the raw bytes of every file (no parse, no decoding of the file: only
 * each typedef's head is decoded; bytes.ts).
 */
import { byteWord, isSpaceByte, isWordByte } from './scan/bytes.js';

const ONE_LINE = /typedef\s+(?:const\s+)?(?:struct|union)\s+(\w+)\s+(\w+)\s*;/y;
const WITH_BODY = /typedef\s+(?:struct|union)\s+(\w+)\s*\{/y;
/**
 * Either pattern spans only words and blanks up to its `;` or `{`, so the head decoded for them
 * stops at the first other byte. Capped: a longer head is no typedef anybody wrote.
 */
const MAX_HEAD = 4096;
const MAX_BODY = 200_000;

/** Adds `Name -> tag` for every typedef of a tagged struct or union in the file. */
export function scanTypedefs(bytes: Buffer, into: Map<string, string>): void {
  const typedef = byteWord('typedef');
  for (let at = typedef.indexIn(bytes); at >= 0; at = typedef.indexIn(bytes, at + typedef.length)) {
    let stop = at + typedef.length;
    const cap = Math.min(bytes.length, at + MAX_HEAD);
    while (stop < cap && (isWordByte(bytes[stop]!) || isSpaceByte(bytes[stop]!))) stop++;
    const head = bytes.toString('latin1', at, Math.min(bytes.length, stop + 1));
    ONE_LINE.lastIndex = 0;
    const one = ONE_LINE.exec(head);
    if (one) {
      if (one[1] !== one[2]) into.set(one[2]!, one[1]!);
      continue;
    }
    WITH_BODY.lastIndex = 0;
    const body = WITH_BODY.exec(head);
    if (!body) continue;
    let depth = 0;
    let i = at + body[0].length - 1;
    for (; i < bytes.length && i < at + MAX_BODY; i++) {
      if (bytes[i] === 0x7b) depth++;
      else if (bytes[i] === 0x7d && --depth === 0) break;
    }
    const name = /^\s*(\w+)\s*;/.exec(bytes.toString('latin1', i + 1, Math.min(bytes.length, i + 200)));
    if (name && name[1] !== body[1]) into.set(name[1]!, body[1]!);
  }
}
