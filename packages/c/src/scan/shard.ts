/**
 * The files one thread holds during an analysis. The main thread's shard reads every file once,
 * keeps its bytes and answers each prefilter round (which unparsed files a round wants); worker
 * threads' shards (shard-worker.ts) hold copies of the files they are given to parse, and keep
 * those they parsed. The coordinator (analyze.ts) asks every shard the same question at once.
 * Only plain data crosses threads: names, patterns and file bytes in, file facts out.
 */
import type { FileProblem } from '@ka-codemod/core';
// the reader alone: a worker thread need not load the rest of core (reports, the tree walk)
import { readSourceFileSync } from '@ka-codemod/core/source-file';
import { KEEPALIVE_OPTION, SEED_WORDS } from '../libc.js';
import type { FileFacts } from '../facts/model.js';
import type { SkippedRange } from './lite-tree.js';
import { scanDefines, type CallAlias, type MacroTable, type RawDefine } from '../macros.js';
import { factsOf, timings } from './parse-file.js';
import { byteWord, isWordByte } from './bytes.js';
import { callsAny, callsAnyIn, findCallIn, mentionsIn } from './prefilter.js';
import { scanTypedefs } from '../typedefs.js';

export interface ShardFile {
  path: string;
  /** Index of the project the file belongs to (projects.ts). */
  project: number;
}

/** What the first pass finds in a file: everything the coordinator needs before any parse. */
export interface LoadedFile {
  path: string;
  project: number;
  /** Set when the file was not read (binary, too large, unreadable): nothing else is. */
  problem?: FileProblem;
  size: number;
  /** Calls a seed word or names SO_KEEPALIVE: parsed in round 0. */
  seed: boolean;
  defines: Array<[string, RawDefine]>;
  typedefs: Array<[string, string]>;
}

/** A copy of a file another shard read (its bytes as read: never read twice). */
export interface CopiedFile {
  path: string;
  project: number;
  bytes: Uint8Array;
}

/** A project's macro table as plain data (Maps and Sets do not cross threads as such). */
export interface MacroPayload {
  constants: Array<[string, string]>;
  aliases: Array<[string, CallAlias]>;
  typedefs: Array<[string, string]>;
  statementMacros: string[];
}

export interface RoundRequest {
  project: number;
  round: number;
  /**
   * Names a file not parsed yet must call to be parsed now. Round 0 passes only the macro aliases:
   * the seed words were looked for while loading.
   */
  calls: string[];
  /** Naming SO_KEEPALIVE is enough too (beyond round 0; round 0 did it while loading). */
  keepaliveWord: boolean;
  /** Files demanded for the definitions they hold: parsed whatever they call. */
  definitions: string[];
  /**
   * Regex source, or '' for none: a file that stores a function in one of these fields
   * (`.setup = tcp_setup`) is parsed now (the targets of calls through the field).
   */
  fieldStores: string;
  /** Regex source: a function skipped in an earlier round that matches is extracted now. */
  fresh: string;
  /** Regex source: which functions of a newly parsed file are copied and extracted. */
  keep: string;
}

export interface ShardStats {
  filesParsed: number;
  macros: number;
  prefilter: number;
  parse: number;
  copy: number;
  extract: number;
  bytesParsed: number;
  reparsed: number;
  /** Files parsed by a shard that did not read them (parseClaimed). */
  filesShared: number;
}

const SEED_CALLS = SEED_WORDS.filter((w) => w !== KEEPALIVE_OPTION);

/** One file held by a shard. */
class HeldFile {
  /** Kept once the file is parsed; scans of the others use a string that dies with the scan. */
  private decoded: string | undefined;
  parsed = false;
  /** Top-level items skipped by earlier rounds, for a later round to extract if they come to matter. */
  skipped: SkippedRange[] = [];

  constructor(
    readonly path: string,
    readonly project: number,
    readonly bytes: Buffer,
    /** Calls a seed word or names SO_KEEPALIVE (found while loading): wanted in round 0. */
    readonly seed: boolean,
    /** A copy of a file another shard read (see parseClaimed). */
    readonly copied = false,
  ) {}

  /** latin1: one char per byte, so every tree-sitter index is a byte offset. */
  get text(): string {
    return (this.decoded ??= this.bytes.toString('latin1'));
  }

  /**
   * The text for one regex pass (many names). Keeping every file's text cost more in garbage
   * collection than decoding again.
   */
  scanText(): string {
    return this.decoded ?? this.bytes.toString('latin1');
  }
}

export class Shard {
  private files: HeldFile[] = [];
  private readonly macroTables = new Map<number, MacroTable>();
  private scanMs = 0;
  private prefilterMs = 0;
  private filesShared = 0;
  /** The parse timings are per thread (parse-file.ts): report what this shard added. */
  private readonly timingsAtStart = { ...timings };

  /** Reads the files (in the order given) and makes the first pass over each. */
  load(files: readonly ShardFile[], root: string, onProgress?: (done: number) => void): LoadedFile[] {
    const out: LoadedFile[] = [];
    let done = 0;
    for (const { path, project } of files) {
      if (++done % 64 === 0) onProgress?.(done);
      // one open, fstat, read and close: binary (a NUL byte: an object file with a .c name), too
      // large, unreadable or not a regular file is one line, and the file is skipped
      const read = readSourceFileSync(path, root);
      if (!read.ok) {
        out.push({ path, project, problem: read.problem, size: 0, seed: false, defines: [], typedefs: [] });
        continue;
      }
      const t = performance.now();
      // searched as bytes: most files are never decoded (bytes.ts)
      const bytes = read.content;
      const typedefs = new Map<string, string>();
      scanTypedefs(bytes, typedefs);
      const seed = callsAnyIn(bytes, SEED_CALLS) || mentionsIn(bytes, KEEPALIVE_OPTION);
      out.push({ path, project, size: bytes.length, seed, defines: scanDefines(bytes), typedefs: [...typedefs] });
      this.files.push(new HeldFile(path, project, read.content, seed));
      this.scanMs += performance.now() - t;
    }
    onProgress?.(done);
    return out;
  }

  /** Copies of these files' bytes, for the other shards to hold while a round shares out the parsing (parseClaimed). */
  copies(paths: readonly string[]): CopiedFile[] {
    const wanted = new Set(paths);
    // copied: the bytes may share an allocation, and posting a view posts its whole buffer
    return this.files.filter((f) => wanted.has(f.path)).map((f) => ({ path: f.path, project: f.project, bytes: new Uint8Array(f.bytes) }));
  }

  /** Holds copies of files read by another shard (a worker's bytes arrive as a plain Uint8Array). */
  adopt(files: readonly CopiedFile[]): void {
    for (const { path, project, bytes } of files) {
      this.files.push(new HeldFile(path, project, Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength), false, true));
    }
  }

  private macroTable(project: number): MacroTable {
    const macros = this.macroTables.get(project);
    if (!macros) throw new Error(`shard: no macro table for project ${project}`);
    return macros;
  }

  useMacros(project: number, table: MacroTable): void {
    this.macroTables.set(project, table);
  }

  setMacros(project: number, payload: MacroPayload): void {
    this.macroTables.set(project, {
      constants: new Map(payload.constants),
      aliases: new Map(payload.aliases),
      typedefs: new Map(payload.typedefs),
      statementMacros: new Set(payload.statementMacros),
    });
  }

  /**
   * One prefilter round over this shard's files of a project: the unparsed files the round wants
   * (they are parsed next, shared out between threads: parseClaimed), and the facts of functions
   * skipped in earlier rounds of parsed files that the round's names now make relevant.
   */
  select(request: RoundRequest): { wanted: Array<[string, number]>; refreshed: FileFacts[] } {
    const t = performance.now();
    const macros = this.macroTable(request.project);
    const demanded = new Set(request.definitions);
    const fresh = new RegExp(request.fresh);
    const fieldStores = request.fieldStores ? new RegExp(request.fieldStores) : null;
    const wants = (f: HeldFile): boolean => {
      if (demanded.has(f.path) || (request.round === 0 && f.seed)) return true;
      if (request.keepaliveWord && mentionsIn(f.bytes, KEEPALIVE_OPTION)) return true;
      if (fieldStores?.test(f.scanText())) return true;
      // a few names: one native search of the bytes each; many: one regex pass over the decoded text
      return request.calls.length <= FEW_NAMES ? callsAnyIn(f.bytes, request.calls) : callsAny(f.scanText(), request.calls);
    };
    const wanted: Array<[string, number]> = [];
    const again: Array<{ f: HeldFile; only: SkippedRange[] }> = [];
    for (const f of this.files) {
      if (f.project !== request.project) continue;
      if (!f.parsed) {
        if (wants(f)) wanted.push([f.path, f.bytes.length]);
        continue;
      }
      // a function skipped in an earlier round that calls one of the new names, or is a demanded definition
      const only = f.skipped.filter((r) => fresh.test(f.text.slice(r.start, r.end)) || !!fieldStores?.test(f.text.slice(r.start, r.end)));
      if (only.length === 0) continue;
      f.skipped = f.skipped.filter((r) => !only.includes(r));
      again.push({ f, only });
    }
    this.prefilterMs += performance.now() - t;
    return { wanted, refreshed: again.map(({ f, only }) => factsOf({ path: f.path, text: f.text, only, reportProblems: false }, macros).facts) };
  }

  /**
   * Parses files a round wants, shared out as the threads come free: every shard holds every one
   * of them (the main thread's shard read them, the others hold copies: adopt), and each claims
   * the next, largest first, from a counter all threads share, until none is left. Parsing is most
   * of the analysis and the cost of a file is not its size (one with parse errors is parsed again
   * in other views), so a split made in advance left one thread waiting for the other. Afterwards
   * a shard keeps only those it parsed: each file is parsed once, and later rounds find it in
   * exactly one shard.
   */
  parseClaimed(project: number, paths: readonly string[], claims: SharedArrayBuffer, keep: string): FileFacts[] {
    const macros = this.macroTable(project);
    const next = new Int32Array(claims);
    const held = new Map(this.files.filter((f) => f.project === project && !f.parsed).map((f) => [f.path, f]));
    const out: FileFacts[] = [];
    for (let i = Atomics.add(next, 0, 1); i < paths.length; i = Atomics.add(next, 0, 1)) {
      const f = held.get(paths[i]!);
      if (!f) throw new Error(`shard: ${paths[i]} is not held here`);
      f.parsed = true;
      const parsed = factsOf({ path: f.path, text: f.text, keep, reportProblems: true }, macros);
      f.skipped.push(...parsed.skipped);
      out.push(parsed.facts);
      if (f.copied) this.filesShared++;
    }
    const claimed = new Set(paths);
    this.files = this.files.filter((f) => f.parsed || f.project !== project || !claimed.has(f.path));
    return out;
  }

  /**
   * Which files of the project (`among` these, if given) define which of these functions: a
   * call-shaped `name(` whose parameter list holds no `;` or `{`, followed by a body, and not
   * preceded by an operator.
   */
  defining(project: number, names: readonly string[], among?: readonly string[]): Array<[string, string[]]> {
    const t = performance.now();
    const found: Array<[string, string[]]> = [];
    const amongPaths = among ? new Set(among) : null;
    if (names.length > 0) {
      for (const f of this.files) {
        if (f.project !== project || (amongPaths && !amongPaths.has(f.path))) continue;
        const defined = names.filter((name) => definesFunction(f.bytes, name));
        if (defined.length > 0) found.push([f.path, defined]);
      }
    }
    this.prefilterMs += performance.now() - t;
    return found;
  }

  /** Headers of the project (other than `definedIn`) that declare the function, so a caller elsewhere can include one. */
  declaring(project: number, name: string, definedIn: string): string[] {
    const declaration = new RegExp(`\\b${escapeRegExp(name)}\\s*\\([^;{]*\\)\\s*;`);
    return this.files
      .filter((f) => f.project === project && f.path !== definedIn && f.path.endsWith('.h') && byteWord(name).indexIn(f.bytes) >= 0 && declaration.test(f.scanText()))
      .map((f) => f.path);
  }

  stats(): ShardStats {
    return {
      filesParsed: this.files.filter((f) => f.parsed).length,
      macros: this.scanMs,
      prefilter: this.prefilterMs,
      parse: timings.parse - this.timingsAtStart.parse,
      copy: timings.copy - this.timingsAtStart.copy,
      extract: timings.extract - this.timingsAtStart.extract,
      bytesParsed: timings.bytesParsed - this.timingsAtStart.bytesParsed,
      reparsed: timings.reparsed - this.timingsAtStart.reparsed,
      filesShared: this.filesShared,
    };
  }
}

/**
 * Up to this many names, a round searches the bytes once per name (a few ms each over PostgreSQL);
 * beyond, decoding the file for one regex pass over all names costs less.
 */
const FEW_NAMES = 8;

function definesFunction(bytes: Buffer, name: string): boolean {
  for (let at = findCallIn(bytes, name); at >= 0; at = findCallIn(bytes, name, at + 1)) {
    if (startsDefinition(bytes, at, bytes.indexOf(0x28, at + name.length))) return true;
  }
  return false;
}

/** `open` is the index of the `(` after the name at `at`. */
export function startsDefinition(bytes: Buffer, at: number, open: number): boolean {
  let i = at - 1;
  while (i >= 0 && (bytes[i] === 32 || bytes[i] === 9)) i--;
  // a type, a `*` or a line start before the name: not an operator, an argument list or a cast
  if (i >= 0 && !(isWordByte(bytes[i]!) || bytes[i] === 0x2a || bytes[i] === 10 || bytes[i] === 13)) return false;
  const before = bytes.toString('latin1', Math.max(0, i - 7), i + 1);
  if (/\b(?:return|else|case|sizeof)$/.test(before)) return false;
  let depth = 0;
  let j = open;
  for (; j < bytes.length; j++) {
    const b = bytes[j];
    if (b === 0x28) depth++;
    else if (b === 0x29 && --depth === 0) break;
    else if (b === 0x3b || b === 0x7b || b === 0x7d) return false; // ; { }
  }
  for (j++; j < bytes.length; j++) {
    const b = bytes[j]!;
    if (b === 32 || b === 9 || b === 13 || b === 10) continue;
    if (b === 0x2f && bytes[j + 1] === 0x2a) {
      const close = bytes.indexOf(COMMENT_END, j + 2);
      if (close < 0) return false;
      j = close + 1;
      continue;
    }
    return b === 0x7b;
  }
  return false;
}

const COMMENT_END = Buffer.from('*/', 'latin1');

export function escapeRegExp(word: string): string {
  return word.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
