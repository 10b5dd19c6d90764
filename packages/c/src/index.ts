/** The C engine: tree-sitter analysis of sockets and keepalive, and the C rewrite. */
import type { Engine } from '@ka-codemod/core';
import { analyzeC as analyze } from './analyze.js';
import type { AnalyzeC } from './contract.js';

export type * from './contract.js';

export const analyzeC: AnalyzeC = analyze;

export const cEngine: Engine = {
  language: 'c',
  extensions: ['.c', '.h'],
  analyze: async (request) => (await analyzeC(request)).result,
  // the rewrite's modules load only when a rewrite is planned (an audit never needs them)
  plan: async (request) => (await import('./rewrite/index.js')).planC(await analyzeC(request), request),
};
