/** Small pure helpers over the latin1-decoded file text (one character per byte), for the analysis and the rewrite. */

export function lineStartOf(text: string, at: number): number {
  return text.lastIndexOf('\n', at - 1) + 1;
}

/** The run of spaces and tabs that opens the line holding `at`. */
export function indentOf(text: string, at: number): string {
  const start = lineStartOf(text, at);
  return /^[ \t]*/.exec(text.slice(start, start + 200))![0];
}

export function lineOf(text: string, at: number): number {
  let line = 1;
  for (let i = text.indexOf('\n'); i !== -1 && i < at; i = text.indexOf('\n', i + 1)) line++;
  return line;
}

export function sameLine(text: string, a: number, b: number): boolean {
  const [lo, hi] = a < b ? [a, b] : [b, a];
  return !text.slice(lo, hi).includes('\n');
}

/**
 * Where a new line may start after the statement ending at `end`: past trailing blanks and a
 * trailing comment on the same line, after its line break. Null when code follows on that line.
 */
export function nextLineStart(text: string, end: number): number | null {
  let i = end;
  while (i < text.length && (text[i] === ' ' || text[i] === '\t')) i++;
  if (text.startsWith('//', i)) {
    const nl = text.indexOf('\n', i);
    return nl === -1 ? text.length : nl + 1;
  }
  if (text.startsWith('/*', i)) {
    const close = text.indexOf('*/', i + 2);
    if (close !== -1 && !text.slice(i, close).includes('\n')) return nextLineStart(text, close + 2);
  }
  if (i >= text.length) return text.length;
  if (text[i] === '\r' && text[i + 1] === '\n') return i + 2;
  if (text[i] === '\n') return i + 1;
  return null;
}

/**
 * Re-indents a copied multi-line fragment: its first line goes to `to`, continuation lines keep
 * their offset relative to the fragment's original indentation `from`.
 */
export function reindent(fragment: string, from: string, to: string): string[] {
  return fragment.split(/\r?\n/).map((line, i) => {
    if (i === 0) return to + line.trimStart();
    return line.startsWith(from) ? to + line.slice(from.length) : to + line.trimStart();
  });
}

export function hasWord(text: string, word: string): boolean {
  return new RegExp(`\\b${word.replace(/[^\w]/g, '\\$&')}\\b`).test(text);
}
