import { stat } from 'node:fs/promises';
import path from 'node:path';
import { isFlagged, writeIfUnchanged } from '@ka-codemod/core';
import type { Context } from '../context.js';
import { diagnosticLine, displayPath } from '../diagnostics.js';
import { dirtyPaths } from '../git.js';
import { EXIT } from '../io.js';
import { printProblems } from '../report-io.js';
import { scan } from '../scan.js';
import { summaryLine } from '../summary.js';
import { colorizeDiff, unifiedDiff } from '../unified-diff.js';

async function gitDirectory(cwd: string, first: string): Promise<string> {
  const abs = path.resolve(cwd, first);
  return (await stat(abs)).isDirectory() ? abs : path.dirname(abs);
}

/** `ka-codemod [fix] PATH…`: plan every rewrite, then show it (--dry-run) or write it. */
export async function runFix(ctx: Context): Promise<number> {
  const { settings, io } = ctx;
  const started = Date.now();
  const result = await scan(ctx.engines, settings, io.cwd, 'plan', ctx.progress);
  ctx.scanned = result;
  ctx.progress.stop(); // before any line on stderr, so lines and bar do not interleave
  printProblems(ctx, result);
  const planned = result.files;
  const show = (file: string) => displayPath(path.dirname(file), path.basename(file), io.cwd);

  if (settings.dryRun) {
    for (const file of planned) {
      const patch = unifiedDiff(show(file.path), file.before, file.after);
      io.stdout.write(colorizeDiff(patch, ctx.out));
    }
    // stdout carries only the patch (`--dry-run > keepalive.patch` then `git apply`); the rest goes to stderr.
    for (const file of planned) for (const change of file.changes) if (!settings.quiet) ctx.warn(`would change ${change}`);
    if (!settings.quiet) {
      ctx.warn(
        summaryLine({ filesScanned: result.filesScanned, sites: result.sites, problems: result.problems, filesChanged: 0, elapsedMs: Date.now() - started }, ctx.err) +
          ` (dry run: ${planned.length} file${planned.length === 1 ? '' : 's'} would change)`,
      );
    }
    return EXIT.ok;
  }

  if (planned.length > 0 && !settings.force) {
    // Only the files the rewrite would write: an untracked build artifact or another edited file does not block it.
    const dirty = await dirtyPaths(await gitDirectory(io.cwd, settings.paths[0]!), planned.map((file) => file.path));
    if (dirty.length > 0) {
      ctx.warn(
        `ka-codemod: files the rewrite would change have uncommitted changes (${dirty.length} file${dirty.length === 1 ? '' : 's'}, e.g. ${dirty.slice(0, 3).join(', ')}). ` +
          'Commit or stash them first so the rewrite can be reviewed and undone on its own, or pass --force. Nothing was written.',
      );
      return EXIT.error;
    }
  }

  let changed = 0;
  let failed = 0;
  for (const file of planned) {
    const outcome = await writeIfUnchanged(file.path, file.before, file.after, { within: result.within });
    if (outcome.ok) {
      changed++;
      ctx.say(`${ctx.out.green('rewrote')} ${show(file.path)}`);
      for (const change of file.changes) ctx.say(`  ${change}`);
    } else {
      failed++;
      ctx.warn(`${ctx.err.bold(`${show(file.path)}:`)} ${ctx.err.red(ctx.err.bold('error:'))} ${outcome.message} (${outcome.reason})`);
    }
  }
  // What a rewrite could not fix stays visible, as warnings.
  for (const site of result.sites) {
    if (isFlagged(site) && !site.fixable) {
      const line = diagnosticLine(site, result.root, io.cwd, ctx.out);
      if (line) ctx.say(line);
    }
  }
  ctx.say(summaryLine({ filesScanned: result.filesScanned, sites: result.sites, problems: result.problems, filesChanged: changed, elapsedMs: Date.now() - started }, ctx.out));
  return failed > 0 ? EXIT.error : EXIT.ok;
}
