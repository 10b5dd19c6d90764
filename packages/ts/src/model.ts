/**
 * What the analysis hands to the rewrite and the faces: a judged site with the flow that decided
 * it. Types only (no code), so any module may name them without importing the analysis.
 */
import type { ts } from './typescript.js';
import type { Site } from '@ka-codemod/core';
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
