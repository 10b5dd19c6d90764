import { readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { dirname, join, relative } from 'node:path';
import { applyTextEdits, type AnalyzeRequest, type Edit, type FileProblem, type PlannedFile, type PlanResult, type Site } from '@ka-codemod/core';
import type { CAnalysis, CFixTarget } from '../contract.js';
import { parseFile, planFile, type FileContext } from './plan-file.js';
import { outOfScope } from './scope.js';

const INCLUDE = /^[ \t]*#[ \t]*include[ \t]*([<"])([^>"\n]+)[>"]/gm;

/**
 * The project headers a file includes (`#include "conf.h"`, or `<proj/conf.h>` when the project
 * has it), followed three levels: their text (for noreturn declarations) and what they include
 * themselves (a header they bring need not be added again).
 */
function fileContext(text: string, path: string, projectFiles: readonly string[], cache: Map<string, string | null>): FileContext {
  const headerTexts: string[] = [];
  const brought: string[] = [];
  const seen = new Set<string>([path]);
  const read = (p: string): string | null => {
    if (!cache.has(p)) {
      try {
        cache.set(p, readFileSync(p, 'latin1'));
      } catch {
        cache.set(p, null);
      }
    }
    return cache.get(p)!;
  };
  const resolve = (from: string, name: string): string | null => {
    const near = join(dirname(from), name);
    if (read(near) !== null) return near;
    return projectFiles.find((f) => f.endsWith(`/${name}`) && read(f) !== null) ?? null;
  };
  let level = [{ from: path, text }];
  for (let depth = 0; depth < 3 && level.length; depth++) {
    const next: { from: string; text: string }[] = [];
    for (const { from, text: t } of level) {
      for (const m of t.matchAll(INCLUDE)) {
        if (depth > 0) brought.push(m[2]!);
        const p = resolve(from, m[2]!);
        if (!p || seen.has(p)) continue;
        seen.add(p);
        const body = read(p)!;
        headerTexts.push(body);
        next.push({ from: p, text: body });
      }
    }
    level = next;
  }
  return { headerTexts, brought };
}

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

  const headerCache = new Map<string, string | null>();
  const projectFiles = request.files.map((f) => f.split('\\').join('/'));
  for (const [path, targets] of groups) {
    const rel = relative(request.root, path).split('\\').join('/');
    // vendored copies and test programs: left alone unless asked, and said so on every site
    const scope = outOfScope(request.root, path, request.options);
    if (scope) {
      for (const t of targets) {
        stats.rewriteSkipped++;
        for (const s of t.covers.map((x) => byKey.get(siteKey(x))).filter((x): x is Site => !!x)) {
          s.fixable = false;
          s.notes = [...(s.notes ?? []), `not rewritten: ${scope.why} (${scope.flag} rewrites it)`];
        }
      }
      continue;
    }
    let before: Buffer;
    try {
      before = await readFile(path);
    } catch (e) {
      problems.push({ file: rel, kind: 'unreadable', message: `${rel}: not rewritten: ${(e as Error).message}` });
      continue;
    }
    const text = before.toString('latin1');
    const f = parseFile(path, text, analysis.statementMacros, fileContext(text, path, projectFiles, headerCache));
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
      for (const s of covered) s.fix = { description, path, unit: 'byte', edits: alone.edits.map(toByteEdit) };
    }
    if (plan.edits.length === 0) continue;
    const after = Buffer.from(applyTextEdits(f.text, plan.edits), 'latin1');
    if (after.equals(before)) continue;
    files.push({ path, before, after, changes: plan.outcomes.flatMap((o) => (o.change ? [o.change] : [])) });
  }
  return { sites, problems, stats, files };
}
