/**
 * Line numbers of positions, as TypeScript counts lines (a break is CRLF, CR, LF, U+2028 or
 * U+2029). TypeScript builds its line table char by char on first use, about 6 % of a cold
 * single-file analysis (an ESLint run) in a CPU profile; this one is built with native searches
 * and kept per source file.
 */
import { lfLineStarts, positionIn } from '@ka-codemod/core';
import type { ts } from './typescript.js';

const tables = new WeakMap<ts.SourceFile, number[]>();

/** Offsets where each line starts (the first is 0). */
export function lineStarts(text: string): number[] {
  if (!/[\r\u2028\u2029]/.test(text)) return lfLineStarts(text);
  const starts = [0];
  const breaks = /\r\n|[\r\n\u2028\u2029]/g;
  for (let m = breaks.exec(text); m; m = breaks.exec(text)) starts.push(m.index + m[0].length);
  return starts;
}

/** 0-based line and character of a position, like `sf.getLineAndCharacterOfPosition`. */
export function lineAndCharacter(sf: ts.SourceFile, pos: number): { line: number; character: number } {
  let starts = tables.get(sf);
  if (!starts) tables.set(sf, (starts = lineStarts(sf.text)));
  const { line, column } = positionIn(starts, pos);
  return { line, character: column };
}
