import { isFlagged, isUnknown } from '@ka-codemod/core';
import { flaggedFindings, serializeBaseline, snippetReader } from '../baseline.js';
import type { Context } from '../context.js';
import { diagnosticLine } from '../diagnostics.js';
import { inGitHubActions, workflowCommand } from '../github-actions.js';
import { EXIT } from '../io.js';
import { baselineComparison, printProblems, readBaseline, writeOutput } from '../report-io.js';
import { scan } from '../scan.js';
import { summaryLine } from '../summary.js';

/** `ka-codemod check PATH…`: no writes; exit 1 when a TCP site lacks keepalive (and is not in the baseline). */
export async function runCheck(ctx: Context): Promise<number> {
  const { settings, io } = ctx;
  const started = Date.now();
  const result = await scan(ctx.engines, settings, io.cwd, 'analyze', ctx.progress);
  ctx.scanned = result;
  ctx.progress.stop();
  printProblems(ctx, result);
  const sites = [...result.sites].sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : a.line - b.line || a.column - b.column));

  if (settings.baseline && settings.updateBaseline) {
    const findings = flaggedFindings(sites, snippetReader(result.root)).map((f) => f.finding);
    await writeOutput(settings.baseline, serializeBaseline(findings));
    ctx.say(`recorded ${findings.length} finding${findings.length === 1 ? '' : 's'} in ${settings.baseline}; later runs of check --baseline fail only on new ones`);
    return EXIT.ok;
  }

  let isNew: (site: (typeof sites)[number]) => boolean = () => true;
  let baselined = 0;
  if (settings.baseline) {
    const cmp = baselineComparison(result.root, sites, readBaseline(settings.baseline));
    isNew = cmp.isNew;
    baselined = cmp.current.length - cmp.newCount;
  }
  let failing = 0;
  let unknown = 0;
  for (const site of sites) {
    const flagged = isFlagged(site);
    if (flagged && !isNew(site)) continue;
    // An unknown verdict is a note (the engine lost the socket, it did not see it go without
    // keepalive); --strict makes it fail the run like a finding.
    const fails = flagged || (settings.strict && isUnknown(site));
    if (isUnknown(site)) unknown++;
    if (fails) failing++;
    else if (settings.quiet) continue; // --quiet keeps the warnings that fail the run, drops the notes
    const line = diagnosticLine(site, result.root, io.cwd, ctx.out, settings.strict);
    if (line) io.stdout.write(`${line}\n`);
    // In a GitHub Actions job, also as a workflow command: an annotation on the pull request's diff.
    const annotation = inGitHubActions(io.env) ? workflowCommand(site, result.root, io.cwd, settings.strict) : undefined;
    if (annotation) io.stdout.write(`${annotation}\n`);
  }
  ctx.say(summaryLine({ filesScanned: result.filesScanned, sites, problems: result.problems, baselined, elapsedMs: Date.now() - started }, ctx.out));
  if (failing > 0) {
    const strictNote = settings.strict && unknown > 0 ? ` (${unknown} of them not followed: --strict)` : '';
    ctx.say(`${failing} TCP site${failing === 1 ? '' : 's'} without keepalive${strictNote}${settings.baseline ? ' not in the baseline' : ''}: see them rewritten with ka-codemod fix --dry-run ${settings.paths.join(' ')}`);
    return EXIT.findings;
  }
  return EXIT.ok;
}
