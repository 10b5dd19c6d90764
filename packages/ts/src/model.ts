/**
 * What the analysis hands to the rewrite and the faces: a judged site with the flow that decided
 * it. Types only (no code), so any module may name them without importing the analysis.
 */
import type { ts } from './typescript.js';
import type { Edit, FileProblem, KeepaliveOptions, Site } from '@ka-codemod/core';
import type { SocketFlow } from './flow.js';
import type { Version } from './node-api.js';
import type { SiteCandidate } from './sites.js';
import type { KeepaliveJudgement } from './verdict.js';

/** A server's connection listener and the flow of the accepted socket inside it. */
export interface AcceptedListener {
  fn: ts.FunctionLikeDeclaration;
  param: ts.ParameterDeclaration | null;
  flow: SocketFlow;
  /** An http(s) server's 'upgrade' / 'connect' listener: the event whose requests' sockets alone reach it. */
  only?: string;
}

export interface AnalyzedSite {
  candidate: SiteCandidate;
  flow: SocketFlow;
  /** Servers: their connection listeners. */
  listeners: AcceptedListener[];
  /** tls.connect({ socket }): the site whose socket it wraps, when traced. */
  underlying: AnalyzedSite | null;
  minNode: Version;
  judgement: KeepaliveJudgement;
  site: Site;
}

/** One file for analyzeTsSource, the single-file faces' entry (index.ts). */
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
