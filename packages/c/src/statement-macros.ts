/**
 * Statement macros written without a semicolon (`TRACE(("enter %s", name))` on a line of its own,
 * where one build defines `#define TRACE(X)` as nothing): tree-sitter reads the invocation and the
 * next statement as one broken expression and loses the function around it. For a retry, such
 * invocations are blanked to spaces (offsets and line breaks unchanged) — only those of macros that
 * some definition makes empty, and only when nothing but a comment follows on the line.
 */
/**
 * An identifier opening a line (blanks before it) and followed by `(`: one regex pass finds every
 * candidate invocation, whatever the number of macros (a search per name went over the whole file
 * once for each of PostgreSQL's 136).
 */
const LINE_CALL = /(?<![^\n])[ \t]*([A-Za-z_]\w*)[ \t]*\(/g;

/** Blanks every bare invocation of the given macros; returns the text unchanged when there is none. */
export function blankBareStatementMacros(text: string, names: ReadonlySet<string>): string {
  if (names.size === 0) return text;
  const blanked: Array<[number, number]> = [];
  LINE_CALL.lastIndex = 0;
  for (let m = LINE_CALL.exec(text); m; m = LINE_CALL.exec(text)) {
    if (!names.has(m[1]!)) continue;
    const close = matchingParen(text, m.index + m[0].length - 1);
    if (close < 0 || !restOfLineIsBlank(text, close + 1)) continue;
    // from the name (past the blanks that open the line) to the closing parenthesis
    blanked.push([m.index + m[0].indexOf(m[1]!), close]);
  }
  if (blanked.length === 0) return text;
  // spaces over each invocation (overlaps merged), its line breaks kept: every offset unchanged
  blanked.sort((a, b) => a[0] - b[0]);
  let out = '';
  let done = 0;
  for (const [from, to] of blanked) {
    const start = Math.max(from, done);
    if (start > to) continue;
    out += text.slice(done, start) + text.slice(start, to + 1).replace(/[^\r\n]/g, ' ');
    done = to + 1;
  }
  return out + text.slice(done);
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
