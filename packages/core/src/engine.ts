import type { FileProblem, Language, PlannedFile, Site } from './site.js';

/** What the user asked for; every face builds one of these and hands it to the engines. */
export interface KeepaliveOptions {
  /** TS/JS: keepAliveInitialDelay / setKeepAlive delay in ms. Default 60000. */
  initialDelayMs: number;
  /** C: TCP_KEEPIDLE seconds (TCP_KEEPALIVE on macOS); undefined = do not tune. */
  idleSeconds?: number;
  /** C: TCP_KEEPINTVL seconds. */
  intervalSeconds?: number;
  /** C: TCP_KEEPCNT probes. */
  count?: number;
  /** C: TCP_USER_TIMEOUT ms. */
  userTimeoutMs?: number;
  /**
   * C: what the inserted code does when setsockopt fails. `project` (default) = what the code around
   * the site does when setting a socket option fails; `fail` = the fitted error branch.
   */
  onError: 'project' | 'fail' | 'log' | 'ignore';
  /** C: also rewrite vendored copies of other projects (vendor/, third_party/, deps/, …). */
  includeVendored?: boolean;
  /** C: also rewrite test and example programs. */
  includeTests?: boolean;
  /** C: generate a run-time switch (KEEPALIVE=off, KEEPIDLE/KEEPINTVL/KEEPCNT) — libkeepalive style. */
  toggle: 'none' | 'env';
}

export const DEFAULT_OPTIONS: KeepaliveOptions = {
  initialDelayMs: 60_000,
  onError: 'project',
  toggle: 'none',
};

export interface AnalyzeRequest {
  /** Absolute directory that site paths are made relative to. */
  root: string;
  /**
   * Absolute paths of the candidate files of this engine's language (already filtered by ignore
   * rules). The CLI does not open them beforehand: read each with `readSourceFileSync` (binary, too
   * large, unreadable and non-regular files come back as one-line problems to return).
   */
  files: readonly string[];
  options: KeepaliveOptions;
  /** Worker threads the engine may use; 1 = in-process. */
  jobs?: number;
  /**
   * Optional: engines may call it as files are read or parsed (`done` of `total` files), so the
   * CLI's progress bar moves during long runs. Engines that never call it are fine.
   */
  onProgress?: (done: number, total: number) => void;
}

export interface AnalyzeResult {
  sites: Site[];
  problems: FileProblem[];
  /** Figures for the summary and benchmarks (files read, files parsed, ...). */
  stats: Record<string, number>;
}

export interface PlanResult extends AnalyzeResult {
  /** Only files whose content changes. */
  files: PlannedFile[];
}

/** One engine per language; faces only ever talk to engines through this. */
export interface Engine {
  language: Language;
  /** File name endings this engine reads, with the dot: ['.c', '.h']. */
  extensions: readonly string[];
  analyze(request: AnalyzeRequest): Promise<AnalyzeResult>;
  /** Analyse, then plan the edits that give every flagged, fixable site keepalive. */
  plan(request: AnalyzeRequest): Promise<PlanResult>;
}
