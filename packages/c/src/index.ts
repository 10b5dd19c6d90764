/** The C engine: tree-sitter analysis of sockets and keepalive, and the C rewrite. */
import type { AnalyzeRequest, Engine } from '@ka-codemod/core';
import { analyzeC as analyze } from './analyze.js';
import type { AnalyzeC, CAnalysis } from './contract.js';

export type * from './contract.js';

/**
 * `fixable` means what `fix` will do: when the analysis finds sites to fix, the rewrite is planned
 * (in memory; nothing is written) and a site it declines is not fixable, with the reason in its
 * notes; targets cover the fixable sites only.
 */
async function settleFixable(analysis: CAnalysis, request: AnalyzeRequest): Promise<CAnalysis> {
  if (!analysis.result.sites.some((s) => s.fixable)) return analysis;
  // the rewrite's modules load only when there is something to rewrite
  const planned = await (await import('./rewrite/index.js')).planC(analysis, request);
  const declined = new Set<number>();
  const sites = analysis.result.sites.map((s, i) => {
    const p = planned.sites[i]!;
    if (!s.fixable || p.fixable) return s;
    declined.add(i);
    return { ...s, fixable: false, ...(p.notes ? { notes: p.notes } : {}) };
  });
  if (declined.size === 0) return analysis;
  const replaced = new Map(analysis.result.sites.map((s, i) => [s, sites[i]!]));
  const targets = analysis.targets
    .map((t) => ({ ...t, covers: t.covers.map((s) => replaced.get(s) ?? s).filter((s) => s.fixable) }))
    .filter((t) => t.covers.length > 0);
  return { ...analysis, result: { ...analysis.result, sites }, targets };
}

export const analyzeC: AnalyzeC = async (request) => settleFixable(await analyze(request), request);

export const cEngine: Engine = {
  language: 'c',
  extensions: ['.c', '.h'],
  analyze: async (request) => (await analyzeC(request)).result,
  // the rewrite plans from the analysis as it is: its own answer is the fixable it reports
  plan: async (request) => (await import('./rewrite/index.js')).planC(await analyze(request), request),
};
