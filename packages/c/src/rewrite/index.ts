// PLACEHOLDER (to be replaced by the C rewrite): the planner that turns fix targets into edits.
import type { AnalyzeRequest, PlanResult } from '@ka-codemod/core';
import type { CAnalysis } from '../contract.js';

export async function planC(analysis: CAnalysis, _request: AnalyzeRequest): Promise<PlanResult> {
  return { ...analysis.result, files: [] };
}
