/**
 * Statement macros written without a semicolon (`TRACE(("enter %s", name))` on a line of its own,
 * where one build defines `#define TRACE(X)` as nothing): tree-sitter reads the invocation and the
 * next statement as one broken expression and loses the function around it. For a retry, such
 * invocations are blanked to spaces (offsets and line breaks unchanged) — only those of macros that
 * some definition makes empty, and only when nothing but a comment follows on the line.
 */
import { onlyBlanksBefore } from './text.js';

/** Blanks every bare invocation of the given macros; returns the text unchanged when there is none. */
export function blankBareStatementMacros(text: string, names: ReadonlySet<string>): string {
  let out: string[] | null = null;
  for (const name of names) {
    for (let at = text.indexOf(name); at >= 0; at = text.indexOf(name, at + name.length)) {
      if (!onlyBlanksBefore(text, at) || isWordChar(text.charCodeAt(at + name.length))) continue;
      let open = at + name.length;
      while (text[open] === ' ' || text[open] === '\t') open++;
      if (text[open] !== '(') continue;
      const close = matchingParen(text, open);
      if (close < 0 || !restOfLineIsBlank(text, close + 1)) continue;
      out ??= text.split('');
      for (let i = at; i <= close; i++) if (out[i] !== '\n' && out[i] !== '\r') out[i] = ' ';
    }
  }
  return out ? out.join('') : text;
}

function isWordChar(c: number): boolean {
  return (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95;
}


/** The `)` closing the `(` at `open`, skipping string and character literals; -1 if none nearby. */
function matchingParen(text: string, open: number): number {
  let depth = 0;
  const limit = Math.min(text.length, open + 4000);
  for (let i = open; i < limit; i++) {
    const ch = text[i];
    if (ch === '"' || ch === "'") {
      for (i++; i < limit && text[i] !== ch && text[i] !== '\n'; i++) if (text[i] === '\\') i++;
    } else if (ch === '(') depth++;
    else if (ch === ')' && --depth === 0) return i;
  }
  return -1;
}

/** Nothing but spaces, a comment or the line end after `from` (no `;`, no operator, no `{`). */
function restOfLineIsBlank(text: string, from: number): boolean {
  for (let i = from; i < text.length; i++) {
    const ch = text[i];
    if (ch === '\n' || ch === '\r') return true;
    if (ch === ' ' || ch === '\t') continue;
    return ch === '/' && (text[i + 1] === '/' || text[i + 1] === '*');
  }
  return true;
}
