/**
 * The TS/JS engine: entry points for the faces. `analyzeTsSource` (one file, synchronous: ESLint
 * rules and jscodeshift transforms are synchronous; alone, or within its package read from disk)
 * and `tsEngine` (a set of files, project-wide flows, for the CLI). Both return plain data.
 */
import type { Engine } from '@ka-codemod/core';
import type { TsSourceInput, TsSourceResult } from './model.js';
import { isDeclarationFile } from './file-kind.js';
import { analyzeSources, canHoldSiteAlone, type SourceInput } from './analyze-sources.js';
import { analyzeInPackage, mayHoldSitesInPackage, packageRootOf } from './in-package.js';

export type { TsSourceInput, TsSourceResult } from './model.js';

/**
 * Can analyzeTsSource find anything in this file? Cheap text tests only, no parse: false for
 * declaration files, and (without a type-checked program) for files that load no socket module
 * the ways a site needs. A face that lints thousands of files asks this first and skips the rest.
 */
export function mayHoldSites(input: Pick<TsSourceInput, 'fileName' | 'text' | 'program' | 'scope'>): boolean {
  if (isDeclarationFile(input.fileName)) return false;
  if (input.program !== undefined) return true;
  const root = input.scope === 'package' ? packageRootOf(input.fileName) : null;
  if (root !== null) return mayHoldSitesInPackage(input.fileName, input.text, root);
  return canHoldSiteAlone(input.text);
}

/** Synchronous on purpose: ESLint rules and jscodeshift transforms are synchronous. */
export function analyzeTsSource(input: TsSourceInput): TsSourceResult {
  const nothing: TsSourceResult = { sites: [], problems: [], edits: [] };
  if (!mayHoldSites(input)) return nothing;
  const root = input.scope === 'package' ? packageRootOf(input.fileName) : null;
  if (root !== null) return analyzeInPackage(input, root);
  const source: SourceInput = { path: input.fileName, relFile: input.fileName, text: input.text };
  if (input.nodeRange !== undefined) source.nodeRange = input.nodeRange;
  if (input.tree !== undefined) source.tree = input.tree;
  const result = analyzeSources([source], input.options, { program: input.program }, input.edits ?? true);
  return { sites: result.sites, problems: result.problems, edits: result.editsByPath.get(input.fileName) ?? [] };
}

export { tsEngine } from './engine.js';
export { clearPackageRuns } from './in-package.js';
export { MIN_USEFUL_DELAY_MS, TS_EXTENSIONS } from './constants.js';
export { analyzeSources, type TypeInfo } from './analyze-sources.js';
export { checkerOracle, type TypeOracle, type NodeValueKind } from './type-oracle.js';
export { minNodeVersion } from './node-range.js';
export { isDeclarationFile, minifiedLineLength } from './file-kind.js';
export { SOCKET_CALLS } from './node-api.js';
export type { Engine };
