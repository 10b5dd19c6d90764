// PLACEHOLDER (to be replaced by the TS engine): the TS/JS engine entry point.
import type { Edit, Engine, FileProblem, KeepaliveOptions, Site } from '@ka-codemod/core';

export interface TsSourceInput {
  /** Path as the caller knows it; becomes Site.file. */
  fileName: string;
  /** File text with any BOM removed; edit offsets are UTF-16 offsets into it. */
  text: string;
  options: KeepaliveOptions;
  /** engines.node of the project; looked up from the nearest package.json when omitted. */
  nodeRange?: string;
  /** A type-checked program that contains fileName (typescript-eslint's, with type information). */
  program?: unknown;
}

export interface TsSourceResult {
  /** Every site; flagged fixable ones carry `fix` (unit 'utf16'). */
  sites: Site[];
  problems: FileProblem[];
  /** All fixes of the file merged, non-overlapping: applying them gives the rewritten file. */
  edits: Edit[];
}

/** Synchronous on purpose: ESLint rules and jscodeshift transforms are synchronous. */
export function analyzeTsSource(_input: TsSourceInput): TsSourceResult {
  return { sites: [], problems: [], edits: [] };
}

export const TS_EXTENSIONS = ['.ts', '.tsx', '.mts', '.cts', '.js', '.jsx', '.mjs', '.cjs'] as const;

export const tsEngine: Engine = {
  language: 'ts',
  extensions: TS_EXTENSIONS,
  analyze: async () => ({ sites: [], problems: [], stats: {} }),
  plan: async () => ({ sites: [], problems: [], stats: {}, files: [] }),
};
