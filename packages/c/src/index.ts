// PLACEHOLDER (to be replaced by the C analysis): the C engine entry point.
import type { AnalyzeRequest, Engine } from '@ka-codemod/core';
import type { CAnalysis } from './contract.js';
import { planC } from './rewrite/index.js';

export type * from './contract.js';

export async function analyzeC(_request: AnalyzeRequest): Promise<CAnalysis> {
  return { result: { sites: [], problems: [], stats: {} }, targets: [], keepaliveHelpers: [] };
}

export const cEngine: Engine = {
  language: 'c',
  extensions: ['.c', '.h'],
  analyze: async (request) => (await analyzeC(request)).result,
  plan: async (request) => planC(await analyzeC(request), request),
};
