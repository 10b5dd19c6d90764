/**
 * From per-site fixes to one complete edit list per file.
 *
 * Each site's fix is planned on the original text as if no other site were fixed (the ESLint rule
 * offers them one by one). Two fixes can collide: a server's expression-bodied connection listener
 * gets wrapped in a block (`{ …; return EXPR; }`) while a client created by EXPR gets a chained
 * `.setKeepAlive(…)` at the very same offset; two declarators of one statement both insert lines
 * after it. Concatenated, such edits give the wrong order (code that does not parse). So the fixes
 * of a file are merged the way `eslint --fix` merges fixes — sorted by range, a fix whose range
 * starts at or before the end of one already taken waits — and the waiting ones are planned again
 * on the text the taken ones produce, round after round (bounded, like ESLint's passes). The rounds
 * are folded into one list of edits on the original text (edit-compose.ts), so one `fix` run, one
 * jscodeshift call and one `eslint --fix` give the same, complete result.
 */
import { applyTextEdits, type Edit, type SiteFix } from '@ka-codemod/core';
import type { AnalyzedSite } from './model.js';
import { composeEdits, originalOffset } from './edit-compose.js';

/** ESLint's own bound on --fix passes: a fix waiting more rounds than this is left for the next run. */
export const MAX_FIX_ROUNDS = 10;

/** A site's fix with what identifies the site across rounds. */
export interface PlannedFix {
  /** The site: path and offset of its called name in the ORIGINAL text, and its call. */
  key: string;
  /** `file:line` of the site in the original text, for change lines. */
  where: string;
  fix: SiteFix;
}

export interface MergedFile {
  /** Non-overlapping edits, in application order. */
  edits: Edit[];
  /** Change lines (`file:line: description`) of the fixes taken that changed something. */
  changes: string[];
}

export interface RoundMerge {
  byPath: Map<string, MergedFile>;
  /** Keys of the fixes that collided with one taken before them. */
  waiting: Set<string>;
}

/** The range a fix touches, from its first edit to its last (ESLint merges a fix's edits into this one range). */
export function fixRange(edits: readonly Edit[]): { start: number; end: number } {
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

/**
 * One round: per file, take the fixes in range order; a fix already fully present (a TLS socket
 * reusing the fix of the socket it wraps) is taken for free; one starting at or before the end of
 * the last taken fix waits (an insertion at the same offset included: their order would be a guess).
 */
export function mergeRound(fixes: readonly PlannedFix[]): RoundMerge {
  const byPath = new Map<string, MergedFile>();
  const waiting = new Set<string>();
  const lastEnd = new Map<string, number>();
  const ranked = fixes
    .map((f, order) => ({ f, order, range: fixRange(f.fix.edits) }))
    .sort((a, b) => a.range.start - b.range.start || a.range.end - b.range.end || a.order - b.order);
  for (const { f } of ranked) {
    const file = byPath.get(f.fix.path) ?? { edits: [], changes: [] };
    byPath.set(f.fix.path, file);
    const fresh = f.fix.edits.filter((e) => !file.edits.some((taken) => sameEdit(taken, e)));
    if (fresh.length === 0) continue;
    const range = fixRange(fresh);
    if (range.start <= (lastEnd.get(f.fix.path) ?? -Infinity)) {
      waiting.add(f.key);
      continue;
    }
    file.edits.push(...fresh);
    file.changes.push(`${f.where}: ${f.fix.description}`);
    lastEnd.set(f.fix.path, range.end);
  }
  return { byPath, waiting };
}

export interface CompleteFixes {
  /** Per path: edits on the original text giving every fix that could be composed. */
  editsByPath: Map<string, Edit[]>;
  changesByPath: Map<string, string[]>;
  /** Analysis rounds run (1 when no fixes collided). */
  rounds: number;
  /** Fixes still waiting when the rounds ended (a later run would apply them). */
  unfinished: number;
}

/**
 * The fixes of `first` (analysed on `originals`), completed: waiting fixes are planned again by
 * `replan` on the current texts of every file (null: it could not, the rounds stop) until none
 * waits. Only the sites that waited are taken from a later round — a site whose fix did not take
 * effect is never fixed twice.
 */
export function completeFixes(
  originals: ReadonlyMap<string, string>,
  first: readonly AnalyzedSite[],
  replan: (texts: ReadonlyMap<string, string>) => readonly AnalyzedSite[] | null,
  maxRounds = MAX_FIX_ROUNDS,
): CompleteFixes {
  const where = new Map<string, string>();
  const planned: PlannedFix[] = [];
  for (const a of first) {
    const key = siteKey(a, (offset) => offset)!;
    where.set(key, `${a.site.file}:${a.site.line}`);
    if (a.site.fix) planned.push({ key, where: where.get(key)!, fix: a.site.fix });
  }
  let merged = mergeRound(planned);
  const editsByPath = new Map<string, Edit[]>();
  const changesByPath = new Map<string, string[]>();
  const take = (round: RoundMerge): void => {
    for (const [path, file] of round.byPath) {
      if (file.edits.length === 0) continue;
      const original = originals.get(path);
      const before = editsByPath.get(path) ?? [];
      editsByPath.set(path, original === undefined || before.length === 0 ? file.edits : composeEdits(original, before, file.edits));
      changesByPath.set(path, [...(changesByPath.get(path) ?? []), ...file.changes]);
    }
  };
  take(merged);
  let rounds = 1;
  while (merged.waiting.size > 0 && rounds < maxRounds) {
    const texts = new Map(originals);
    for (const [path, edits] of editsByPath) {
      const original = originals.get(path);
      if (original !== undefined) texts.set(path, applyTextEdits(original, edits));
    }
    const analyzed = replan(texts);
    rounds++;
    if (!analyzed) break;
    const again: PlannedFix[] = [];
    for (const a of analyzed) {
      if (!a.site.fix) continue;
      const edits = editsByPath.get(a.candidate.ctx.path) ?? [];
      const key = siteKey(a, (offset) => originalOffset(edits, offset));
      if (key && merged.waiting.has(key)) again.push({ key, where: where.get(key)!, fix: a.site.fix });
    }
    merged = mergeRound(again);
    take(merged);
  }
  return { editsByPath, changesByPath, rounds, unfinished: merged.waiting.size };
}

/** The site across rounds: its file, call and the original offset of its called name (null: inside inserted text). */
function siteKey(a: AnalyzedSite, toOriginal: (offset: number) => number | null): string | null {
  const c = a.candidate;
  const at = toOriginal(c.nameNode.getStart(c.ctx.sf));
  return at === null ? null : `${c.ctx.path}\0${at}\0${a.site.call}`;
}
