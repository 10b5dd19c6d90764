import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The engine's shared TS/JS fixtures (layout: fixtures/ts/README.md). */
export const sharedFixtures = fileURLToPath(new URL('../../../fixtures/ts/', import.meta.url));

/** One rewrite case: `<case>.input.<ext>` with `<case>.output.<ext>`, or a `no-transform-*` file that must not change. */
export interface FixturePair {
  /** Path of the input relative to the listed folder, for test names. */
  name: string;
  inputPath: string;
  /** The expected rewrite (a missing one fails the case); the input itself for `no-transform-*` cases. */
  outputPath: string;
  /** `<case>.options.json` beside the input, when present (transform/rule options). */
  options: Record<string, unknown>;
  /** `<case>.sites.json` beside the input, when present (the engine's expected sites). */
  sitesPath: string | undefined;
  /** A `no-transform-*` case. */
  noTransform: boolean;
}

const INPUT = /^(?<base>.+)\.input\.(?<ext>[cm]?[jt]sx?)$/u;
const NO_TRANSFORM = /^no-transform-.+\.(?:input\.)?[cm]?[jt]sx?$/u;
/** Folders that hold runnable programs and multi-file projects, not rewrite cases (fixtures/ts/README.md). */
const SKIP_DIRS = new Set(['node_modules', 'run', 'project']);

/** Every pair under `dir`, found by listing it: adding a case needs no code. */
export function listFixturePairs(dir: string): FixturePair[] {
  if (!existsSync(dir)) return [];
  const pairs: FixturePair[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (!entry.isFile()) continue;
    const folder = entry.parentPath;
    if (relative(dir, folder).split(/[\\/]/u).some((part) => SKIP_DIRS.has(part))) continue;
    const inputPath = join(folder, entry.name);
    const match = INPUT.exec(entry.name);
    const noTransform = NO_TRANSFORM.test(entry.name);
    if (!match && !noTransform) continue;
    const base = match?.groups?.['base'] ?? entry.name.replace(/(?:\.input)?\.[cm]?[jt]sx?$/u, '');
    const outputPath = match && !noTransform ? join(folder, `${base}.output.${match.groups?.['ext'] ?? ''}`) : inputPath;
    const optionsPath = join(folder, `${base}.options.json`);
    const sitesPath = join(folder, `${base}.sites.json`);
    pairs.push({
      name: relative(dir, inputPath),
      inputPath,
      outputPath,
      options: existsSync(optionsPath) ? (JSON.parse(readFileSync(optionsPath, 'utf8')) as Record<string, unknown>) : {},
      sitesPath: existsSync(sitesPath) ? sitesPath : undefined,
      noTransform,
    });
  }
  return pairs.sort((a, b) => a.name.localeCompare(b.name));
}
