import { readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { dirname, join, relative } from 'node:path';
import { applyTextEdits, type AnalyzeRequest, type Edit, type FileProblem, type PlannedFile, type PlanResult, type Site } from '@ka-codemod/core';
import type { CAnalysis, CFixTarget } from '../contract.js';
import { ALREADY, parseFile, planFile, type FileContext, type FilePlan, type ParsedFile } from './plan-file.js';
import { outOfScope } from './scope.js';

const ACCEPT_CALLS: readonly string[] = ['accept', 'accept4'];

/** Byte offset of a 1-based line and column in latin1 text. */
function offsetOf(text: string, line: number, column: number): number {
  let at = 0;
  for (let l = 1; l < line && at !== -1; l++) at = text.indexOf('\n', at) + 1 || -1;
  return at < 0 ? -1 : at + column - 1;
}

/** The accept sites a declined listener target covers, as targets of their own. */
function acceptTargets(t: CFixTarget, root: string, why: string): CFixTarget[] {
  const out: CFixTarget[] = [];
  for (const s of t.covers) {
    if (!ACCEPT_CALLS.includes(s.call)) continue;
    const path = join(root, s.file);
    let text: string;
    try {
      text = readFileSync(path, 'latin1');
    } catch {
      continue;
    }
    const start = offsetOf(text, s.line, s.column);
    const open = text.indexOf('(', start);
    if (start < 0 || open < 0 || !text.startsWith(s.call, start)) continue;
    // the call's extent: to the parenthesis that closes its argument list
    let depth = 0;
    let end = -1;
    for (let i = open; i < text.length; i++) {
      if (text[i] === '(') depth++;
      else if (text[i] === ')' && --depth === 0) {
        end = i + 1;
        break;
      }
    }
    if (end < 0) continue;
    out.push({ path, callStartByte: start, callEndByte: end, function: s.function, tcp: s.tcp === 'yes' ? 'yes' : 'maybe', reason: `accept in ${s.function ?? '?'}, since its listener was not rewritten: ${why}`, covers: [s] });
  }
  return out;
}

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
  const markers = new Map<string, string | null>();
  const projectFiles = request.files.map((f) => f.split('\\').join('/'));
  type Planned = { f: ParsedFile; before: Buffer; plan: FilePlan };
  const planned = new Map<string, Planned>();
  const planPath = async (path: string, targets: CFixTarget[]): Promise<void> => {
    const rel = relative(request.root, path).split('\\').join('/');
    // vendored copies and test programs: left alone unless asked, and said so on every site
    const scope = outOfScope(request.root, path, request.options, markers);
    if (scope) {
      for (const t of targets) {
        stats.rewriteSkipped++;
        for (const s of t.covers.map((x) => byKey.get(siteKey(x))).filter((x): x is Site => !!x)) {
          s.fixable = false;
          s.notes = [...(s.notes ?? []), `not rewritten: ${scope.why} (${scope.flag} rewrites it)`];
        }
      }
      return;
    }
    let before: Buffer;
    try {
      before = await readFile(path);
    } catch (e) {
      problems.push({ file: rel, kind: 'unreadable', message: `${rel}: not rewritten: ${(e as Error).message}` });
      return;
    }
    const text = before.toString('latin1');
    const f = parseFile(path, text, analysis.statementMacros, fileContext(text, path, projectFiles, headerCache));
    planned.set(path, { f, before, plan: planFile(f, targets, analysis.keepaliveHelpers, request.options, request.root) });
  };
  for (const [path, targets] of groups) await planPath(path, targets);

  // A listener the rewrite declines (code it cannot parse): its accepted connections get keepalive
  // at their accept sites instead.
  const fallback = new Map<string, CFixTarget[]>();
  const replaced = new Set<CFixTarget>();
  for (const { plan } of planned.values()) {
    for (const o of plan.outcomes) {
      if (!o.skipped || o.skipped.startsWith(ALREADY)) continue;
      const accepts = acceptTargets(o.target, request.root, o.skipped);
      if (accepts.length === 0) continue;
      replaced.add(o.target);
      for (const a of accepts) fallback.set(a.path, [...(fallback.get(a.path) ?? []), a]);
    }
  }
  for (const [path, extra] of fallback) {
    const own = groups.get(path) ?? [];
    groups.set(path, [...own, ...extra]);
    await planPath(path, groups.get(path)!);
  }

  for (const [path, { f, before, plan }] of planned) {
    problems.push(...plan.problems);
    for (const o of plan.outcomes) {
      const covered = o.target.covers.map((s) => byKey.get(siteKey(s))).filter((s): s is Site => !!s);
      if (o.skipped) {
        stats.rewriteSkipped++;
        // planned for real: a site the rewrite declines is not fixable, whatever the analysis hoped;
        // a listener's accepts that got their own edit keep theirs
        const moved = replaced.has(o.target);
        for (const s of covered) {
          if (moved && ACCEPT_CALLS.includes(s.call)) continue;
          s.fixable = false;
          s.notes = [...(s.notes ?? []), `not rewritten: ${o.skipped}${moved ? ' (its accept sites are rewritten instead)' : ''}`];
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
