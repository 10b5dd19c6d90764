/**
 * Top-level chunks of a C file found by a byte scan (braces outside comments, strings, character
 * literals and preprocessor lines), so that only the functions that can matter are handed to the
 * parser (tree-sitter's included ranges keep every offset exact). Braces are counted in the first
 * branch of each `#if` only (`#else` branches often repeat an opening line), as a preprocessor
 * taking that branch would. When the braces still do not balance the caller parses the whole file.
 */
export interface Chunk {
  start: number;
  end: number;
}

export function topLevelChunks(text: string): Chunk[] | null {
  const chunks: Chunk[] = [];
  let depth = 0;
  let chunkStart = 0;
  let lineStart = true;
  let conditionals = 0;
  let pendingClose = false;
  /** Nesting level of the `#if` whose `#else`/`#elif` branch we are in (braces not counted), or 0. */
  let skippingFrom = 0;
  const n = text.length;
  for (let i = 0; i < n; i++) {
    const ch = text.charCodeAt(i);
    if (ch === 10 /* \n */) {
      lineStart = true;
      continue;
    }
    if (ch === 32 || ch === 9 || ch === 13 || ch === 12) continue;
    if (lineStart && ch === 35 /* # */) {
      // a preprocessor line, with its continuations (comments inside are rare enough to ignore);
      // a chunk never ends inside #if ... #endif, so each chunk parses on its own
      const directive = /^#\s*(\w+)/.exec(text.slice(i, i + 40))?.[1] ?? '';
      while (i < n && !(text.charCodeAt(i) === 10 && text.charCodeAt(i - 1) !== 92 && !(text.charCodeAt(i - 1) === 13 && text.charCodeAt(i - 2) === 92))) i++;
      if (directive === 'if' || directive === 'ifdef' || directive === 'ifndef') conditionals++;
      else if ((directive === 'else' || directive === 'elif') && skippingFrom === 0 && conditionals > 0) skippingFrom = conditionals;
      else if (directive === 'endif' && conditionals > 0) {
        if (skippingFrom === conditionals) skippingFrom = 0;
        if (--conditionals === 0 && depth === 0 && pendingClose) {
          chunks.push({ start: chunkStart, end: i });
          chunkStart = i;
          pendingClose = false;
        }
      }
      lineStart = true;
      continue;
    }
    lineStart = false;
    if (ch === 47 /* / */ && text.charCodeAt(i + 1) === 42 /* * */) {
      const close = text.indexOf('*/', i + 2);
      if (close < 0) return null;
      i = close + 1;
    } else if (ch === 47 && text.charCodeAt(i + 1) === 47) {
      while (i < n && text.charCodeAt(i) !== 10) i++;
      lineStart = true;
    } else if (ch === 34 /* " */ || ch === 39 /* ' */) {
      const open = i;
      for (i++; i < n && text.charCodeAt(i) !== ch; i++) {
        if (text.charCodeAt(i) === 92) i++;
        else if (text.charCodeAt(i) === 10) {
          if (ch === 34) return null;
          i = open; // a stray apostrophe (prose under #if 0): not a character literal
          break;
        }
      }
    } else if (skippingFrom > 0) {
      continue;
    } else if (ch === 123 /* { */) depth++;
    else if (ch === 125 /* } */) {
      if (--depth < 0) return null;
      if (depth === 0 && conditionals > 0) pendingClose = true;
      else if (depth === 0) {
        let end = i + 1;
        // `struct x {...} name;` and initializers end at the semicolon
        const semi = /^[^;{}()#/\n]*;/.exec(text.slice(end, end + 200));
        if (semi) end += semi[0].length;
        chunks.push({ start: chunkStart, end });
        chunkStart = end;
        i = end - 1;
      }
    }
  }
  if (depth !== 0) return null;
  if (chunkStart < n && text.slice(chunkStart).trim() !== '') chunks.push({ start: chunkStart, end: n });
  return chunks;
}
