import type { AnalyzeRequest, Engine } from '@ka-codemod/core';
import { cEngine } from '@ka-codemod/c';
// The engine's constants alone: discovery needs no TypeScript.
import { TS_EXTENSIONS } from '@ka-codemod/ts/constants';

let loading: Promise<Engine> | null = null;
const tsEngine = (): Promise<Engine> => (loading ??= import('@ka-codemod/ts').then((m) => m.tsEngine));

/**
 * The TS engine, loaded on first use. Importing it loads TypeScript (about 9 MB of JavaScript,
 * most of the CLI's start-up time), which a C-only run, `--help` or `--version` should not pay;
 * the CLI only calls an engine when its language has files.
 */
export const lazyTsEngine: Engine = {
  language: 'ts',
  extensions: TS_EXTENSIONS,
  analyze: async (request: AnalyzeRequest) => (await tsEngine()).analyze(request),
  plan: async (request: AnalyzeRequest) => (await tsEngine()).plan(request),
};

export const DEFAULT_ENGINES: readonly Engine[] = [cEngine, lazyTsEngine];
