import type { FileProblem } from '../site.js';

/**
 * Files, not problems: how many were partly parsed (a parse error leaves the rest of the file
 * analysed) and how many were not read at all. A file can report several problems.
 */
export function problemFiles(problems: readonly Pick<FileProblem, 'file' | 'kind'>[]): { partial: number; skipped: number } {
  const partial = new Set(problems.filter((p) => p.kind === 'parse-error').map((p) => p.file));
  const skipped = new Set(problems.filter((p) => p.kind !== 'parse-error' && !partial.has(p.file)).map((p) => p.file));
  return { partial: partial.size, skipped: skipped.size };
}

/** " · 2 files partly parsed · 1 file skipped" (empty when none): a parse error leaves the rest of the file analysed. */
export function problemsNote(problems: readonly Pick<FileProblem, 'file' | 'kind'>[]): string {
  const { partial, skipped } = problemFiles(problems);
  const n = (k: number, what: string) => (k ? ` · ${k} file${k === 1 ? '' : 's'} ${what}` : '');
  return n(partial, 'partly parsed') + n(skipped, 'skipped');
}
