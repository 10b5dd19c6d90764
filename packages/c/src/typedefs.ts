/**
 * `typedef struct tag Name` spellings, so that `struct conn *c` and `conn_t *c` key the same
 * struct fields. Read from the text of every file by an indexOf scan (no parse).
 */
const ONE_LINE = /typedef\s+(?:const\s+)?(?:struct|union)\s+(\w+)\s+(\w+)\s*;/y;
const WITH_BODY = /typedef\s+(?:struct|union)\s+(\w+)\s*\{/y;

/** Adds `Name -> tag` for every typedef of a tagged struct or union in the text. */
export function scanTypedefs(text: string, into: Map<string, string>): void {
  for (let at = text.indexOf('typedef'); at >= 0; at = text.indexOf('typedef', at + 7)) {
    ONE_LINE.lastIndex = at;
    const one = ONE_LINE.exec(text);
    if (one) {
      if (one[1] !== one[2]) into.set(one[2]!, one[1]!);
      continue;
    }
    WITH_BODY.lastIndex = at;
    const body = WITH_BODY.exec(text);
    if (!body) continue;
    let depth = 0;
    let i = at + body[0].length - 1;
    for (; i < text.length && i < at + 200_000; i++) {
      if (text[i] === '{') depth++;
      else if (text[i] === '}' && --depth === 0) break;
    }
    const name = /^\s*(\w+)\s*;/.exec(text.slice(i + 1, i + 200));
    if (name && name[1] !== body[1]) into.set(name[1]!, body[1]!);
  }
}
