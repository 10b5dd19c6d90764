/**
 * Copies of source files that are not part of the build: what patch tools, editors and people
 * leave beside the real files. Analysing them multiplies the work (a Debian source tree keeps a
 * pre-patch copy of every patched file under `.pc/`) and reports sockets no build compiles, so
 * discovery skips them unless asked (`includeCopies`) and says how many it skipped. What counts as
 * such a copy is this table, and only this table.
 */

export interface CopyRule {
  /** Stable id, for counts and tests. */
  kind: string;
  /** What the skip line calls the files skipped under this rule (plural). */
  label: string;
  /** Directories: an exact name (`.pc`) or a name ending (`.orig`, `~`). */
  dir?: { name?: string; suffix?: string; holds?: readonly string[] };
  /** Files: a marker right before the file's extension (`x.orig.c`; `x.c.orig` is no source file anyway). */
  file?: { suffix: string };
}

/**
 * quilt keeps the pre-patch version of every file a patch touches under `.pc/<patch>/` (a directory
 * with `.version` and the series state); patch(1) and merge tools leave `*.orig` and `*.rej`;
 * editors leave `*~`; people copy trees aside as `src.orig`, `src.bak`, `src~`.
 */
export const BUILD_COPIES: readonly CopyRule[] = [
  { kind: 'quilt', label: 'quilt patch copies under .pc/', dir: { name: '.pc', holds: ['.version', 'applied-patches', '.quilt_patches', '.quilt_series'] } },
  { kind: 'orig', label: '*.orig copies', dir: { suffix: '.orig' }, file: { suffix: '.orig' } },
  { kind: 'rej', label: '*.rej patch rejects', file: { suffix: '.rej' } },
  { kind: 'bak', label: '*.bak backups', dir: { suffix: '.bak' }, file: { suffix: '.bak' } },
  { kind: 'backup', label: 'editor backups (*~)', dir: { suffix: '~' }, file: { suffix: '~' } },
];

/**
 * The rule a directory falls under, or undefined. `has(name)`: does the directory hold an entry of
 * that name (asked only for a rule that needs a marker, so ordinary directories cost nothing).
 */
export function copyDirRule(name: string, has: (entry: string) => boolean): CopyRule | undefined {
  for (const rule of BUILD_COPIES) {
    const d = rule.dir;
    if (!d) continue;
    const named = d.name !== undefined ? name === d.name : d.suffix !== undefined && name.length > d.suffix.length && name.endsWith(d.suffix);
    if (named && (!d.holds || d.holds.some(has))) return rule;
  }
  return undefined;
}

/**
 * The rule a file name falls under: the copy marker right before its extension (`x.orig.c`,
 * `x~.c`). Names that end with the marker (`x.c.orig`) have no source extension: discovery never
 * lists them in the first place.
 */
export function copyFileRule(name: string): CopyRule | undefined {
  const dot = name.lastIndexOf('.');
  const stem = dot > 0 ? name.slice(0, dot) : name;
  for (const rule of BUILD_COPIES) {
    const f = rule.file;
    if (f && stem.length > f.suffix.length && stem.endsWith(f.suffix)) return rule;
  }
  return undefined;
}

/** Files skipped as copies, by rule, in BUILD_COPIES order. */
export interface SkippedCopies {
  kind: string;
  label: string;
  /** Candidate files (of the languages asked for) skipped. */
  files: number;
  /** Where, relative to the root: the skipped directories, or the files skipped one by one. */
  paths: string[];
}

/** The one line a face prints: "skipped 67 quilt patch copies under .pc/ (10 directories); --include-copies to analyse them". */
export function skippedCopiesLine(skipped: readonly SkippedCopies[], option = '--include-copies'): string | null {
  const parts = skipped.filter((s) => s.files > 0).map((s) => `${s.files} ${s.label}`);
  if (parts.length === 0) return null;
  const list = parts.length === 1 ? parts[0] : `${parts.slice(0, -1).join(', ')} and ${parts.at(-1)}`;
  return `skipped ${list}, not part of the build; ${option} to analyse them`;
}
