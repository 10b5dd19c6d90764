/**
 * Line numbers of positions, as TypeScript counts lines (a break is CRLF, CR, LF, U+2028 or
 * U+2029). TypeScript builds its line table char by char on first use, which cost more than the
 * rest of the analysis of a mid-size file on a cold start (an ESLint run); this one is built with
 * native searches and kept per source file.
 */
import type { ts } from './typescript.js';

const tables = new WeakMap<ts.SourceFile, number[]>();

/** Offsets where each line starts (the first is 0). */
export function lineStarts(text: string): number[] {
  const starts = [0];
  if (!/[\r\u2028\u2029]/.test(text)) {
    for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
    return starts;
  }
  const breaks = /\r\n|[\r\n\u2028\u2029]/g;
  for (let m = breaks.exec(text); m; m = breaks.exec(text)) starts.push(m.index + m[0].length);
  return starts;
}

/** 0-based line and character of a position, like `sf.getLineAndCharacterOfPosition`. */
export function lineAndCharacter(sf: ts.SourceFile, pos: number): { line: number; character: number } {
  let starts = tables.get(sf);
  if (!starts) tables.set(sf, (starts = lineStarts(sf.text)));
  let lo = 0;
  let hi = starts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (starts[mid]! <= pos) lo = mid;
    else hi = mid - 1;
  }
  return { line: lo, character: pos - starts[lo]! };
}
