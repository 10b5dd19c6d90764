import { existsSync, readFileSync } from 'node:fs';
import { mkdir, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { flaggedFindings, newFindings, parseBaseline, snippetReader, type BaselineFinding } from './baseline.js';
import type { Context } from './context.js';
import { problemLine } from './diagnostics.js';
import { UsageError } from './io.js';
import { skippedCopiesLine } from '@ka-codemod/core';
import type { ScanResult } from './scan.js';

/** One clear line per file that could not be read or parsed, or that no engine reads; the run goes on. */
export function printProblems(ctx: Context, result: Pick<ScanResult, 'problems' | 'root' | 'unsupported'> & Partial<Pick<ScanResult, 'skippedCopies'>>, base = ctx.io.cwd): void {
  // one line for every copy left out (quilt's .pc/, *.orig, backup trees), not one per file
  const copies = result.skippedCopies && skippedCopiesLine(result.skippedCopies);
  if (copies && !ctx.settings.quiet) ctx.warn(`ka-codemod: ${copies}`);
  for (const file of result.unsupported) {
    ctx.warn(`${ctx.err.bold(`${file}:`)} ${ctx.err.yellow(ctx.err.bold('warning:'))} not a ${ctx.settings.languages.map((l) => (l === 'c' ? 'C (.c, .h)' : 'TS/JS')).join(' or ')} file; skipped`);
  }
  for (const p of result.problems) ctx.warn(problemLine(p, result.root, base, ctx.err));
}

export function readBaseline(file: string): BaselineFinding[] {
  if (!existsSync(file)) throw new UsageError(`baseline not found: ${file} (record one with: ka-codemod check --baseline FILE --update-baseline PATH…)`);
  return parseBaseline(readFileSync(file, 'utf8'), file).findings;
}

/** Writes a report or baseline; a path that cannot be written is the caller's to fix: one line, exit 2. */
export async function writeOutput(file: string, content: string): Promise<void> {
  try {
    await makeParents(path.dirname(file));
    await writeFile(file, content);
  } catch (error) {
    throw new UsageError(`cannot write ${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
}

/** A predicate "is this flagged site new relative to the baseline?" plus the findings it was computed from. */
export function baselineComparison(root: string, sites: Parameters<typeof flaggedFindings>[0], baseline: BaselineFinding[]) {
  const snippet = snippetReader(root);
  const current = flaggedFindings(sites, snippet);
  const fresh = newFindings(
    current.map((c) => c.finding),
    baseline,
  );
  const newSites = new Set(current.filter((_, i) => fresh[i]).map((c) => c.site));
  return { current, isNew: (site: (typeof current)[number]['site']) => newSites.has(site), newCount: newSites.size };
}

/**
 * Creates the missing directories above a report, one level at a time. Node's recursive mkdir
 * retries forever where mkdir says ENOENT under an existing directory (/proc/nope): here that is
 * an error like any other.
 */
async function makeParents(dir: string): Promise<void> {
  const missing: string[] = [];
  for (let cur = dir; ; ) {
    try {
      if (!(await stat(cur)).isDirectory()) throw Object.assign(new Error(`${cur} is not a directory`), { code: 'ENOTDIR' });
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
      missing.push(cur);
      const up = path.dirname(cur);
      if (up === cur) break;
      cur = up;
    }
  }
  for (const d of missing.reverse()) {
    try {
      await mkdir(d);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
  }
}
