/**
 * Edits on edits: a file fixed in rounds (fix-rounds.ts) gets edits on its original text, then edits
 * on the text those produced, and so on. The faces want ONE list of edits on the original text, so
 * later rounds are folded into the first: where a later edit does not touch an earlier one it keeps
 * its own small range, mapped back to original offsets; where it touches or falls inside an earlier
 * insertion, the two become one edit whose text is the composed result. Pure, no TypeScript.
 */
import { applyTextEdits, type Edit } from '@ka-codemod/core';

/** Where an edit of `edits` (on some text) lands in the text they produce. */
interface Placed {
  edit: Edit;
  /** Range of its new text in the produced text. */
  from: number;
  to: number;
}

/** The edits sorted as applyTextEdits applies them (stable), with their ranges in the produced text. */
function placed(edits: readonly Edit[]): Placed[] {
  const sorted = [...edits].sort((a, b) => a.start - b.start || a.end - b.end);
  let shift = 0;
  return sorted.map((edit) => {
    const from = edit.start + shift;
    shift += edit.text.length - (edit.end - edit.start);
    return { edit, from, to: from + edit.text.length };
  });
}

/**
 * The offset in the original text of an offset in the text `edits` produced, or null when it lies
 * strictly inside text an edit wrote (it has no original position). An offset at either end of an
 * edit's new text maps to that end of the range it replaced.
 */
export function originalOffset(edits: readonly Edit[], offset: number): number | null {
  let shift = 0;
  for (const p of placed(edits)) {
    if (offset < p.from) break;
    if (offset === p.from) return p.edit.start;
    if (offset < p.to) return null;
    if (offset === p.to) return p.edit.end;
    shift = p.to - p.edit.end;
  }
  return offset - shift;
}

/**
 * One list of edits on `original` with the effect of applying `first` (on `original`) and then
 * `second` (on the text `first` produced). Both lists must be free of overlaps, as applyTextEdits
 * requires. Edits of `first` that `second` does not touch are returned as they are.
 */
export function composeEdits(original: string, first: readonly Edit[], second: readonly Edit[]): Edit[] {
  if (second.length === 0) return [...first];
  if (first.length === 0) return [...second];
  const middle = applyTextEdits(original, first);
  const earlier = placed(first);
  const later = [...second].sort((a, b) => a.start - b.start || a.end - b.end);
  const out: Edit[] = [];
  let i = 0;
  let j = 0;
  while (i < earlier.length || j < later.length) {
    const e = earlier[i];
    const l = later[j];
    // Ranges in the middle text; touching counts (an insertion at the edge of earlier text has no
    // original offset of its own that keeps its order), so closed intervals.
    if (e && (!l || e.to < l.start)) {
      out.push(e.edit);
      i++;
      continue;
    }
    if (l && (!e || l.end < e.from)) {
      out.push({ start: originalOffset(first, l.start)!, end: originalOffset(first, l.end)!, text: l.text });
      j++;
      continue;
    }
    // A cluster: grow [from, to] in the middle text while earlier or later edits touch it; its
    // original range spans the earlier edits in it and the original offsets of the later ones' ends
    // that lie in kept text.
    let from = Math.min(e!.from, l!.start);
    let to = Math.max(e!.to, l!.end);
    const olds: Placed[] = [];
    const members: Edit[] = [];
    for (;;) {
      const ne = earlier[i];
      const nl = later[j];
      if (ne && ne.from <= to && ne.to >= from) {
        from = Math.min(from, ne.from);
        to = Math.max(to, ne.to);
        olds.push(ne);
        i++;
      } else if (nl && nl.start <= to && nl.end >= from) {
        from = Math.min(from, nl.start);
        to = Math.max(to, nl.end);
        members.push(nl);
        j++;
      } else break;
    }
    const kept = (offset: number) => !olds.some((o) => o.from <= offset && offset <= o.to);
    const starts = [...olds.map((o) => o.edit.start), ...members.filter((m) => kept(m.start)).map((m) => originalOffset(first, m.start)!)];
    const ends = [...olds.map((o) => o.edit.end), ...members.filter((m) => kept(m.end)).map((m) => originalOffset(first, m.end)!)];
    const local = members.map((m) => ({ start: m.start - from, end: m.end - from, text: m.text }));
    out.push({ start: Math.min(...starts), end: Math.max(...ends), text: applyTextEdits(middle.slice(from, to), local) });
  }
  return out;
}
