/**
 * Lines of a text: where each starts, and which line an offset falls on. One binary search for
 * every engine; the line breaks differ (tree-sitter counts LF only, TypeScript also CR, U+2028 and
 * U+2029), so each engine builds its own table.
 */

/** Offsets where lines start when only LF breaks a line (tree-sitter's rows). */
export function lfLineStarts(text: string): number[] {
  const starts = [0];
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
  return starts;
}

/** The 0-based line holding `offset`, and its 0-based column, in a table of line starts. */
export function positionIn(starts: readonly number[], offset: number): { line: number; column: number } {
  let lo = 0;
  let hi = starts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (starts[mid]! <= offset) lo = mid;
    else hi = mid - 1;
  }
  return { line: lo, column: offset - starts[lo]! };
}
