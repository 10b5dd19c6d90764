import type { Edit } from './site.js';

/** Thrown when two edits overlap: a bug in whoever produced them, never silently merged. */
export class OverlappingEditsError extends Error {
  constructor(a: Edit, b: Edit) {
    super(`overlapping edits [${a.start},${a.end}) and [${b.start},${b.end})`);
    this.name = 'OverlappingEditsError';
  }
}

function sortedChecked(edits: readonly Edit[]): Edit[] {
  // Stable sort keeps the producer's order for several insertions at one offset.
  const sorted = [...edits].sort((a, b) => a.start - b.start || a.end - b.end);
  for (let i = 1; i < sorted.length; i++) {
    const prev = sorted[i - 1]!;
    const cur = sorted[i]!;
    if (cur.start < prev.end) throw new OverlappingEditsError(prev, cur);
  }
  return sorted;
}

/** Applies edits whose offsets are UTF-16 code units of `text`. */
export function applyTextEdits(text: string, edits: readonly Edit[]): string {
  let out = '';
  let at = 0;
  for (const e of sortedChecked(edits)) {
    out += text.slice(at, e.start) + e.text;
    at = e.end;
  }
  return out + text.slice(at);
}

/** Applies edits whose offsets are byte offsets of `content`; inserted text is encoded as UTF-8. */
export function applyByteEdits(content: Buffer, edits: readonly Edit[]): Buffer {
  const parts: Buffer[] = [];
  let at = 0;
  for (const e of sortedChecked(edits)) {
    parts.push(content.subarray(at, e.start), Buffer.from(e.text, 'utf8'));
    at = e.end;
  }
  parts.push(content.subarray(at));
  return Buffer.concat(parts);
}

/** 1-based line and column of a UTF-16 offset. */
export function positionOf(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = text.indexOf('\n'); i !== -1 && i < offset; i = text.indexOf('\n', i + 1)) {
    line++;
    lineStart = i + 1;
  }
  return { line, column: offset - lineStart + 1 };
}
