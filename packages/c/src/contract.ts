/**
 * The boundary between the C analysis (sites, verdicts, project-wide facts) and the C rewrite
 * (edits). The analysis decides *what* must get keepalive and *where* one edit fixes the most;
 * the rewrite decides *how* the inserted code looks in that spot. Both are plain data.
 */
import type { AnalyzeRequest, AnalyzeResult, Site } from '@ka-codemod/core';

/**
 * One place where inserting keepalive fixes one or more flagged sites with one edit:
 * the creation call itself, the helper that creates and returns the fd (fix it once, not in every
 * caller), or the listening socket whose accepted connections inherit SO_KEEPALIVE on Linux.
 */
export interface CFixTarget {
  /** Absolute path of the file holding the creation call. */
  path: string;
  /** Byte range of the call expression (`socket(...)`, `accept(...)`, `accept4(...)`) whose resulting fd gets keepalive. */
  callStartByte: number;
  callEndByte: number;
  /** Name of the function holding that call, or null. */
  function: string | null;
  /** `maybe`: family only known at run time, so tuning failures must not be fatal (AF_UNIX rejects TCP_KEEPIDLE). */
  tcp: 'yes' | 'maybe';
  /** Why this spot was chosen, for the summary: "listener in server_init covers 2 accepts". */
  reason: string;
  /** The flagged sites this one edit fixes (the target's own site included when it is flagged). */
  covers: Site[];
}

/** A project function that enables keepalive on one of its parameters; the rewrite calls it instead of inventing code. */
export interface CKeepaliveHelper {
  name: string;
  /** Absolute path of the file that defines it. */
  definedIn: string;
  /** Headers (absolute paths) that declare it, so a call from another file can include one. */
  declaredIn: string[];
  /** 0-based index of the fd parameter and the number of parameters. */
  fdParam: number;
  arity: number;
  /** True when it only enables keepalive under a condition (a flag argument or global config). */
  conditional: boolean;
  /** How it reports failure: `int` (returns <0 / -1 on error), `void`, or `unknown`. */
  returns: 'int' | 'void' | 'unknown';
}

export interface CAnalysis {
  result: AnalyzeResult;
  /** Every flagged, fixable site is covered by exactly one target. */
  targets: CFixTarget[];
  keepaliveHelpers: CKeepaliveHelper[];
  /** Function-like macros some build defines as nothing (`TRACE(X)`): the rewrite blanks their bare, semicolon-less invocations before parsing. */
  statementMacros?: string[];
}

export type AnalyzeC = (request: AnalyzeRequest) => Promise<CAnalysis>;
