/**
 * The TS/JS engine: entry points for the faces. `analyzeTsSource` (one file, synchronous: ESLint
 * rules and jscodeshift transforms are synchronous; alone, or within its package read from disk)
 * and `tsEngine` (a set of files, project-wide flows, for the CLI). Both return plain data.
 */
import type { Edit, Engine, FileProblem, KeepaliveOptions, Site } from '@ka-codemod/core';
import { isDeclarationFile } from './file-kind.js';
import { analyzeSources, canHoldSiteAlone, type SourceInput } from './analyze-sources.js';
import { analyzeInPackage, mayHoldSitesInPackage, packageRootOf } from './in-package.js';

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
  /**
   * The ts.SourceFile already parsed from `text` (typescript-eslint's parser has one even without
   * type information): analysed as is, so the file is not parsed a second time.
   */
  tree?: unknown;
  /**
   * false: the caller uses each site's own `fix` only (ESLint reports per site), so the file-level
   * `edits` are not composed (they come back empty). Default true (jscodeshift applies them).
   */
  edits?: boolean;
  /**
   * 'file' (default): the file alone. 'package': the file judged with the files of its package
   * around it, read from disk, as `ka-codemod` run on the package judges it (creators re-exported
   * by other files, factories whose callers elsewhere add keepalive); see in-package.ts. The
   * jscodeshift transform passes 'package', the ESLint rule with its `crossFile` option.
   */
  scope?: 'file' | 'package';
}

export interface TsSourceResult {
  /** Every site; flagged fixable ones carry `fix` (unit 'utf16'). */
  sites: Site[];
  problems: FileProblem[];
  /** All fixes of the file merged, non-overlapping: applying them gives the rewritten file. */
  edits: Edit[];
}

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
