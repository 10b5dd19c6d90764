import { existsSync } from 'node:fs';
import path from 'node:path';
import { buildAuditReport, relativePath } from '@ka-codemod/core';
import { fingerprint, snippetReader, toFinding } from '../baseline.js';
import type { Context } from '../context.js';
import { renderHtml } from '../format/html.js';
import { renderJson } from '../format/json.js';
import { renderMarkdown } from '../format/markdown.js';
import { renderSarif } from '../format/sarif.js';
import { renderText } from '../format/text.js';
import { EXIT } from '../io.js';
import { baselineComparison, printProblems, readBaseline, writeOutput } from '../report-io.js';
import { scan } from '../scan.js';
import { summaryLine } from '../summary.js';

/** `ka-codemod audit PATH… --format …`: every site, its keepalive state and tuning, coverage and time to notice. */
export async function runAudit(ctx: Context): Promise<number> {
  const { settings, io } = ctx;
  const started = Date.now();
  const result = await scan(ctx.engines, settings, io.cwd, 'analyze', ctx.progress);
  ctx.scanned = result;
  ctx.progress.stop();
  // One base for the whole run: the report's paths are relative to the audited directory, and so are these lines.
  printProblems(ctx, result, result.root);
  const report = buildAuditReport({ rootDir: result.root, sites: result.sites, problems: result.problems, filesScanned: result.filesScanned, machine: ctx.machineTimers() });
  const toFile = settings.output !== undefined;
  let content: string;
  switch (settings.format) {
    case 'json':
      content = renderJson(report);
      break;
    case 'markdown':
      content = renderMarkdown(report);
      break;
    case 'html':
      content = renderHtml(report);
      break;
    case 'sarif': {
      const snippet = snippetReader(result.root);
      if (settings.baseline && !existsSync(settings.baseline)) ctx.warn(`ka-codemod: baseline ${settings.baseline} not found; SARIF results carry no baselineState`);
      const baseline = settings.baseline && existsSync(settings.baseline) ? baselineComparison(result.root, report.sites, readBaseline(settings.baseline)) : undefined;
      content = renderSarif(report, {
        version: ctx.version,
        rootDir: result.root,
        srcRoot: io.cwd,
        fingerprint: (site) => fingerprint(toFinding(site, snippet(site))),
        ...(baseline ? { isNew: baseline.isNew } : {}),
      });
      break;
    }
    default:
      content = renderText(report, {
        colors: toFile ? ctx.plain : ctx.out,
        width: toFile ? 100 : io.stdout.isTTY && io.stdout.columns ? io.stdout.columns : 80,
        base: relativePath(io.cwd, result.root) || '.',
      });
  }
  if (toFile) {
    await writeOutput(settings.output!, content);
    const shown = path.relative(io.cwd, settings.output!);
    ctx.say(`wrote the ${settings.format} report to ${shown.startsWith('..') || path.isAbsolute(shown) ? settings.output : shown}`);
    ctx.say(summaryLine({ filesScanned: result.filesScanned, sites: result.sites, problems: result.problems, elapsedMs: Date.now() - started }, ctx.out));
  } else {
    io.stdout.write(content);
  }
  return EXIT.ok;
}
