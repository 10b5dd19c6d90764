/** The C engine: tree-sitter analysis of sockets and keepalive, and the C rewrite. */
import type { Engine } from '@ka-codemod/core';
import { analyzeC as analyze } from './analyze.js';
import type { AnalyzeC } from './contract.js';
import { planC } from './rewrite/index.js';

export type * from './contract.js';

export const analyzeC: AnalyzeC = analyze;

export const cEngine: Engine = {
  language: 'c',
  extensions: ['.c', '.h'],
  analyze: async (request) => (await analyzeC(request)).result,
  plan: async (request) => planC(await analyzeC(request), request),
};
