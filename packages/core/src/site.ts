/**
 * The site model every part of ka-codemod shares: what the engines return and what the faces
 * translate. Field names and vocabularies are the JSON contract of `ka-codemod audit --format json`
 * (see ../shared/DESIGN.md and ../shared/corpus/SCHEMA.md); change them only with the contract.
 */

export type Language = 'c' | 'ts';

/** Is the socket TCP? `maybe` when family or type is only known at run time. */
export type TcpClass = 'yes' | 'no' | 'maybe';

/**
 * `yes`: enabled on every normal path; `conditional`: only under a configuration flag or argument,
 * or only on some callers' paths; `no`: never, and every place the socket goes was seen;
 * `unknown`: no keepalive was seen, but the socket escapes into code the engine cannot follow
 * (`how` names the escape point), so it is never reported as `no`; `n/a`: not TCP.
 */
export type KeepaliveVerdict = 'yes' | 'no' | 'conditional' | 'unknown' | 'n/a';

/** Every verdict, in the order reports list them. */
export const KEEPALIVE_VERDICTS: readonly KeepaliveVerdict[] = ['yes', 'conditional', 'no', 'unknown', 'n/a'];

/** TS/JS: does the socket have an 'error' listener. C sites are always `n/a`. */
export type ErrorHandlerState = 'yes' | 'no' | 'unknown' | 'n/a';

export const TUNING_OPTIONS = [
  'TCP_KEEPIDLE',
  'TCP_KEEPALIVE',
  'TCP_KEEPINTVL',
  'TCP_KEEPCNT',
  'TCP_USER_TIMEOUT',
  'keepAliveInitialDelay',
] as const;
export type TuningOption = (typeof TUNING_OPTIONS)[number];

/** Tuning values known statically (literals, constants); used for time-to-notice estimates. */
export interface TuningValues {
  idleSeconds?: number;
  intervalSeconds?: number;
  count?: number;
  userTimeoutMs?: number;
}

/** One text replacement. Offsets index the content the engine was given (see {@link OffsetUnit}). */
export interface Edit {
  start: number;
  end: number;
  text: string;
}

/**
 * C engines work on raw bytes (files need not be UTF-8), so their offsets are byte offsets.
 * The TS engine works on the decoded text without its BOM, so its offsets are UTF-16 code units.
 */
export type OffsetUnit = 'byte' | 'utf16';

/**
 * How far a fix reaches, as Biome's analyzer marks fixes (safe fixes keep the program's meaning,
 * unsafe ones may change it). Turning keepalive on changes run-time behaviour by design (a peer
 * that goes silent is eventually declared dead), which is why no face applies a fix unasked; the
 * kind says whether the fix may change anything *besides* that:
 * - `safe`: it only turns keepalive on (and tunes it) for the sockets of the site, at most logging
 *   a failed setsockopt. While every peer answers, the program does exactly what it did before.
 * - `unsafe`: it may also change behaviour the program already has: it adds an 'error' listener
 *   (an error that crashed the process is now logged), or, in C under `--on-error fail` (the
 *   default), a failure branch fitted from the code around it that does more than log (a failing
 *   setsockopt can now make the function fail, close the socket or exit). Review it first.
 */
export type FixKind = 'safe' | 'unsafe';

/** A rewrite that gives one site keepalive, on its own (as if no other site were fixed). */
export interface SiteFix {
  /** One sentence for people: what the edit does, e.g. "set SO_KEEPALIVE on the listener in server_init". */
  description: string;
  /** Absolute path of the file the edits apply to (a helper may live in another file than the site). */
  path: string;
  unit: OffsetUnit;
  edits: Edit[];
  /** See {@link FixKind}. */
  kind: FixKind;
  /** TS/JS: the edits also add an 'error' listener to the socket (its `errorHandler` was `no`). C: always false. */
  addsErrorListener: boolean;
}

export interface Site {
  /** Path relative to the audit root, `/`-separated. */
  file: string;
  /** 1-based position of the call's name. */
  line: number;
  column: number;
  /**
   * 1-based position just past the end of the call's name (the column after its last character,
   * as SARIF's endColumn): with `line`/`column` the span faces underline, e.g. `connect` of
   * `net.connect(...)`, `new net.Socket` of `new net.Socket(...)`, the `'connection'` of
   * `server.on('connection', ...)`, `accept` of `accept(fd, ...)`. Columns count what `column`
   * counts (bytes in C, UTF-16 code units in TS/JS).
   */
  endLine: number;
  endColumn: number;
  language: Language;
  /** C: socket, accept, accept4. TS/JS: net.connect, net.createConnection, tls.connect, new net.Socket, ... */
  call: string;
  /** Name of the enclosing function, or null at top level. */
  function: string | null;
  tcp: TcpClass;
  keepalive: KeepaliveVerdict;
  /** One sentence of evidence: where keepalive is (or is not) applied. */
  how: string;
  tuning: TuningOption[];
  errorHandler: ErrorHandlerState;
  /**
   * Whether `ka-codemod fix` rewrites it, from `analyze` (audit, check) and `plan` (fix) alike:
   * flagged, and the rewrite planned for it (the C engine plans in memory during an audit too; a
   * site the rewrite declines is not fixable and says why in `notes`). A fixable site carries `fix`
   * from `plan` and from the TS engine's `analyze`; the C engine's `analyze` leaves `fix` out.
   */
  fixable: boolean;
  /** Statically known tuning values, when any. */
  tuningValues?: TuningValues;
  /** Extra findings about the site, e.g. keepalive on with a delay that means the OS default of 2 h. */
  notes?: string[];
  /** The edit that fixes this site alone, when the site is flagged and fixable. */
  fix?: SiteFix;
}

/** Why a file was skipped or only partly analysed. One clear line for people in `message`. */
export interface FileProblem {
  /** Path relative to the audit root, `/`-separated. */
  file: string;
  /** `minified`: minified or generated code (lines average thousands of characters): not analysed, its sources are. */
  kind: 'unreadable' | 'binary' | 'encoding' | 'too-large' | 'minified' | 'parse-error' | 'symlink-outside-root' | 'changed-on-disk' | 'write-failed';
  message: string;
  /** 1-based line, where the problem has one (e.g. the first parse error). */
  line?: number;
}

/** A whole file's rewrite, as planned by an engine; faces diff it or write it. */
export interface PlannedFile {
  /** Absolute path. */
  path: string;
  /** Exactly the bytes the plan was computed from; a writer refuses to write if the disk differs. */
  before: Buffer;
  after: Buffer;
  /** One line per change for the summary, e.g. "server.c:42: SO_KEEPALIVE on listener fd (covers 2 accepts)". */
  changes: string[];
}

/** Is this a TCP site whose keepalive the engine could not follow? A note, never a finding, unless `check --strict`. */
export function isUnknown(site: Pick<Site, 'tcp' | 'keepalive'>): boolean {
  return (site.tcp === 'yes' || site.tcp === 'maybe') && site.keepalive === 'unknown';
}

/** Is this site one that lacks keepalive and should be flagged? */
export function isFlagged(site: Pick<Site, 'tcp' | 'keepalive'>): boolean {
  return (site.tcp === 'yes' || site.tcp === 'maybe') && site.keepalive === 'no';
}
