/**
 * From per-site fixes to one complete edit list per file, in one pass.
 *
 * Each site's fix is planned on the original text as if no other site were fixed (the ESLint rule
 * offers them one by one). Fixes of one file can meet at one offset: a server's expression-bodied
 * connection listener gets wrapped in a block (`{ …; return EXPR; }`) while a client created by
 * EXPR gets a chained `.setKeepAlive(…)` where the wrap closes; two declarators of one statement
 * both insert lines after it. Concatenated in the wrong order such edits do not parse, so the
 * order at a shared offset is decided here (completeFixes), once, without analysing the rewritten
 * text again: one `fix` run, one jscodeshift call and one `eslint --fix` give the same, complete
 * result.
 */
import type { Edit } from '@ka-codemod/core';
import type { AnalyzedSite } from './model.js';

/** The range a fix touches, from its first edit to its last (ESLint merges a fix's edits into this one range). */
function fixRange(edits: readonly Edit[]): { start: number; end: number } {
  let start = Infinity;
  let end = -Infinity;
  for (const e of edits) {
    start = Math.min(start, e.start);
    end = Math.max(end, e.end);
  }
  return { start, end };
}

function sameEdit(a: Edit, b: Edit): boolean {
  return a.start === b.start && a.end === b.end && a.text === b.text;
}

export interface CompleteFixes {
  /** Per path: edits on the original text giving every fix that could be composed. */
  editsByPath: Map<string, Edit[]>;
  changesByPath: Map<string, string[]>;
  /** Fixes whose edits overlap a replacement already taken: left for a later run. */
  unfinished: number;
}

/** An edit taken, with the fix it belongs to (its order and first offset decide ties at one offset). */
interface Taken {
  edit: Edit;
  order: number;
  /** Where the fix's first edit is: a fix with an edit before a shared offset closes something there. */
  first: number;
}

/**
 * Every site's fix (each planned on the original text alone), composed in one pass into one edit
 * list per file; no second analysis. The engine's edits are insertions (and the inside of an
 * empty `{}`), so fixes meet only at shared offsets: there the fix that began later, inside the
 * other, writes first (a chain on the expression a wrapped listener body ends with goes before
 * the wrap's `; }`); otherwise the later site's edit comes first (lines after a statement with
 * two declarators), as `eslint --fix` leaves them. Edits already taken are taken once (a TLS socket reusing the
 * fix of the socket it wraps), without a change line. A fix that would overlap a replacement
 * already taken is left for a later run.
 */
export function completeFixes(sites: readonly AnalyzedSite[]): CompleteFixes {
  const byPath = new Map<string, { taken: Taken[]; changes: string[] }>();
  let unfinished = 0;
  sites.forEach((a, order) => {
    const fix = a.site.fix;
    if (!fix) return;
    const file = byPath.get(fix.path) ?? { taken: [], changes: [] };
    byPath.set(fix.path, file);
    const fresh = fix.edits.filter((e) => !file.taken.some((t) => sameEdit(t.edit, e)));
    if (fresh.length === 0) return;
    if (fresh.some((e) => file.taken.some((t) => overlaps(t.edit, e)))) {
      unfinished++;
      return;
    }
    const first = fixRange(fix.edits).start;
    for (const edit of fresh) file.taken.push({ edit, order, first });
    file.changes.push(`${a.site.file}:${a.site.line}: ${fix.description}`);
  });
  const editsByPath = new Map<string, Edit[]>();
  const changesByPath = new Map<string, string[]>();
  for (const [path, file] of byPath) {
    if (file.taken.length === 0) continue;
    editsByPath.set(path, [...file.taken].sort(atOneOffset).map((t) => t.edit));
    changesByPath.set(path, file.changes);
  }
  return { editsByPath, changesByPath, unfinished };
}

/** Does a fresh edit overlap a taken one in a way no order of insertion can settle? */
function overlaps(taken: Edit, e: Edit): boolean {
  if (taken.end > taken.start && taken.start < e.end && e.start < taken.end) return true; // inside a replacement
  if (e.end > e.start && e.start < taken.end && taken.start < e.end) return true;
  return taken.end > taken.start && e.start > taken.start && e.start < taken.end;
}

/**
 * Edits by offset. At one offset: insertions before a replacement; a fix that began earlier (a
 * wrapped listener body: options, `{ …; return ` … `; }`) closes after the fix that began inside
 * it (the chain on the expression the body ends with); else the later site first.
 */
function atOneOffset(a: Taken, b: Taken): number {
  const x = a.edit.start;
  if (x !== b.edit.start) return x - b.edit.start;
  const aInsert = a.edit.end === a.edit.start;
  const bInsert = b.edit.end === b.edit.start;
  if (aInsert !== bInsert) return aInsert ? -1 : 1;
  if (a.order === b.order) return 0;
  // The fix whose edits begin later sits inside the other: it writes before the other closes.
  if (a.first !== b.first) return b.first - a.first;
  // Lines inserted after one statement: the later site's first, as eslint --fix leaves them (each
  // pass inserts at the statement's end, before what earlier passes wrote).
  return b.order - a.order;
}
