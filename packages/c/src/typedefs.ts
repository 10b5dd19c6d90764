/**
 * `typedef struct tag Name` spellings, so that `struct conn *c` and `conn_t *c` key the same
 * struct fields. Read from the text of every file by an indexOf scan (no parse).
 */
import { codeAt, sliceText, type SourceText } from './prefilter.js';

const ONE_LINE = /typedef\s+(?:const\s+)?(?:struct|union)\s+(\w+)\s+(\w+)\s*;/y;
const WITH_BODY = /typedef\s+(?:struct|union)\s+(\w+)\s*\{/y;

/** How much text after `typedef` the head patterns may span. */
const HEAD = 1024;
const OPEN_BRACE = 123;
const CLOSE_BRACE = 125;

/** Adds `Name -> tag` for every typedef of a tagged struct or union in the text (or bytes). */
export function scanTypedefs(text: SourceText, into: Map<string, string>): void {
  for (let at = text.indexOf('typedef'); at >= 0; at = text.indexOf('typedef', at + 7)) {
    // only the head of each typedef is decoded; the body is walked as codes
    const head = sliceText(text, at, at + HEAD);
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
    for (; i < text.length && i < at + 200_000; i++) {
      const code = codeAt(text, i);
      if (code === OPEN_BRACE) depth++;
      else if (code === CLOSE_BRACE && --depth === 0) break;
    }
    const name = /^\s*(\w+)\s*;/.exec(sliceText(text, i + 1, i + 200));
    if (name && name[1] !== body[1]) into.set(name[1]!, body[1]!);
  }
}
