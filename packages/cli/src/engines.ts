import type { AnalyzeRequest, Engine } from '@ka-codemod/core';
import { cEngine } from '@ka-codemod/c';
// The engine's constants alone: discovery needs no TypeScript.
import { TS_EXTENSIONS } from '@ka-codemod/ts/constants';

let loading: Promise<Engine> | null = null;
const tsEngine = (): Promise<Engine> => (loading ??= import('@ka-codemod/ts/engine').then((m) => m.tsEngine));

/**
 * The TS engine, loaded on first use; the CLI only calls an engine when its language has files.
 * Its project-mode entry loads TypeScript (about 9 MB of JavaScript, most of a small audit's
 * time) only when a file passes its first prefilter, so a C-only run, `--help`, `--version` or
 * a tree whose JS files hold no socket code never pays for it.
 */
export const lazyTsEngine: Engine = {
  language: 'ts',
  extensions: TS_EXTENSIONS,
  analyze: async (request: AnalyzeRequest) => (await tsEngine()).analyze(request),
  plan: async (request: AnalyzeRequest) => (await tsEngine()).plan(request),
};

export const DEFAULT_ENGINES: readonly Engine[] = [cEngine, lazyTsEngine];
