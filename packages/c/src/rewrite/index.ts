import { readFile } from 'node:fs/promises';
import { relative } from 'node:path';
import { applyTextEdits, type AnalyzeRequest, type Edit, type FileProblem, type PlannedFile, type PlanResult, type Site } from '@ka-codemod/core';
import type { CAnalysis, CFixTarget } from '../contract.js';
import { parseFile, planFile } from './plan-file.js';

/** Edits are computed on the latin1 view; inserted text is re-encoded so faces applying bytes get the same bytes. */
function toByteEdit(e: Edit): Edit {
  const bytes = Buffer.from(e.text, 'latin1');
  const utf8 = bytes.toString('utf8');
  return Buffer.from(utf8, 'utf8').equals(bytes) ? { ...e, text: utf8 } : e;
}

function siteKey(s: Pick<Site, 'file' | 'line' | 'column' | 'call'>): string {
  return `${s.file}:${s.line}:${s.column}:${s.call}`;
}

/**
 * Turns the analysis' fix targets into whole-file rewrites (PlannedFile) and gives each flagged
 * site covered by a target the edit that fixes it alone (Site.fix). Reads files; never writes.
 */
export async function planC(analysis: CAnalysis, request: AnalyzeRequest): Promise<PlanResult> {
  const sites = analysis.result.sites.map((s) => ({ ...s }));
  const byKey = new Map(sites.map((s) => [siteKey(s), s]));
  const problems: FileProblem[] = [...analysis.result.problems];
  const files: PlannedFile[] = [];
  const stats = { ...analysis.result.stats, rewriteTargets: analysis.targets.length, rewriteEdits: 0, rewriteSkipped: 0 };
  const groups = new Map<string, CFixTarget[]>();
  for (const t of analysis.targets) groups.set(t.path, [...(groups.get(t.path) ?? []), t]);

  for (const [path, targets] of groups) {
    const rel = relative(request.root, path).split('\\').join('/');
    let before: Buffer;
    try {
      before = await readFile(path);
    } catch (e) {
      problems.push({ file: rel, kind: 'unreadable', message: `${rel}: not rewritten: ${(e as Error).message}` });
      continue;
    }
    const f = parseFile(path, before.toString('latin1'), analysis.statementMacros);
    const plan = planFile(f, targets, analysis.keepaliveHelpers, request.options, request.root);
    problems.push(...plan.problems);
    for (const o of plan.outcomes) {
      const covered = o.target.covers.map((s) => byKey.get(siteKey(s))).filter((s): s is Site => !!s);
      if (o.skipped) {
        stats.rewriteSkipped++;
        // planned for real: a site the rewrite declines is not fixable, whatever the analysis hoped
        for (const s of covered) {
          s.fixable = false;
          s.notes = [...(s.notes ?? []), `not rewritten: ${o.skipped}`];
        }
        continue;
      }
      stats.rewriteEdits++;
      const alone = planFile(f, [o.target], analysis.keepaliveHelpers, request.options, request.root);
      const description = o.change!.replace(/^[^:]*:\d+: /, '');
      for (const s of covered) s.fix = { description, path, unit: 'byte', edits: alone.edits.map(toByteEdit), kind: o.kind ?? 'unsafe', addsErrorListener: false };
    }
    if (plan.edits.length === 0) continue;
    const after = Buffer.from(applyTextEdits(f.text, plan.edits), 'latin1');
    if (after.equals(before)) continue;
    files.push({ path, before, after, changes: plan.outcomes.flatMap((o) => (o.change ? [o.change] : [])) });
  }
  return { sites, problems, stats, files };
}
