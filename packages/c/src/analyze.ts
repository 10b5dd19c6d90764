/**
 * The C analysis: read every candidate file as bytes, keep only the files that can matter (a text
 * prefilter on the socket calls, the project macros that expand to them and, round by round, the
 * project functions that carry sockets), parse those, extract their facts, drop the trees, and
 * decide the whole project at once.
 */
import type { AnalyzeRequest, FileProblem } from '@ka-codemod/core';
import { readSourceFileSync, relativePath } from '@ka-codemod/core';
import { KEEPALIVE_OPTION, SEED_WORDS } from './api.js';
import { callsAny, findCall, mentions } from './prefilter.js';
import type { CAnalysis } from './contract.js';
import type { FileFacts } from './facts.js';
import { buildMacroTable, scanDefines, type MacroTable } from './macros.js';
import { decideProject, type ProjectDecision } from './project.js';
import { groupByProject } from './projects.js';
import { scanTypedefs } from './typedefs.js';
import { relevantFunctions } from './relevance.js';
import { ParsePool, parseFiles, timings, type ParseJob } from './parse-pool.js';
import type { SkippedRange } from './lite-tree.js';

/**
 * One candidate file: its bytes, and its text kept only once it is parsed. Most files of a big
 * tree are only scanned (#defines, typedefs, the prefilter rounds): each scan decodes them into a
 * string that dies with the scan, so the heap never holds the whole tree's text (keeping it cost
 * more in garbage collection than decoding again; scanning the bytes with one native search per
 * name cost more than one regex pass over a fresh string).
 */
class SourceFile {
  private decoded: string | undefined;
  constructor(
    readonly path: string,
    readonly bytes: Buffer,
  ) {}

  /** latin1: one char per byte, so every tree-sitter index is a byte offset. Kept. */
  get text(): string {
    return (this.decoded ??= this.bytes.toString('latin1'));
  }

  /** The text for one scan: the kept one when there is one, else a copy for this scan only. */
  scanText(): string {
    return this.decoded ?? this.bytes.toString('latin1');
  }
}

export async function analyzeC(request: AnalyzeRequest): Promise<CAnalysis> {
  const started = Date.now();
  const problems: FileProblem[] = [];
  const sources: SourceFile[] = [];
  let bytesRead = 0;
  let done = 0;
  const total = request.files.length;
  // one synchronous read after the other: faster than many small async reads in flight
  for (const file of request.files) {
    // reading is the one step every file goes through: it drives the CLI's progress bar
    if (++done % 64 === 0 || done === total) request.onProgress?.(done, total);
    // one open, fstat, read and close: binary (a NUL byte: an object file with a .c name), too
    // large, unreadable or not a regular file are reported in one line and skipped
    const read = readSourceFileSync(file, request.root);
    if (!read.ok) {
      problems.push(read.problem);
      continue;
    }
    bytesRead += read.content.length;
    sources.push(new SourceFile(file, read.content));
  }
  sources.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  const readMs = Date.now() - started;

  const parsed = new Set<string>();
  const decisions: ProjectDecision[] = [];
  const statementMacros = new Set<string>();
  let macroAliases = 0;
  const pool = new ParsePool(Math.max(1, request.jobs ?? 1));
  try {
  for (const files of groupByProject(request.root, sources.map((s) => s.path)).values()) {
    const inProject = new Set(files);
    const projectSources = sources.filter((s) => inProject.has(s.path));
    const { decision, facts, aliases, statementMacros: projectStatementMacros } = await analyzeProject(projectSources, request.root, parsed, pool);
    for (const m of projectStatementMacros) statementMacros.add(m);
    macroAliases += aliases;
    for (const f of facts) for (const p of f.problems) problems.push({ ...p, file: relativePath(request.root, f.path) });
    for (const helper of decision.keepaliveHelpers) helper.declaredIn = declaringHeaders(helper.name, helper.definedIn, projectSources);
    decisions.push(decision);
  }
  } finally {
    await pool.close();
  }
  const sites = decisions.flatMap((d) => d.sites);
  sites.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : a.line - b.line || a.column - b.column));
  problems.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0));
  return {
    result: {
      sites,
      problems,
      stats: { readMs, macroMs: Math.round(timings.macros), prefilterMs: Math.round(timings.prefilter), decideMs: Math.round(timings.decide), parseMs: Math.round(timings.parse), copyMs: Math.round(timings.copy), extractMs: Math.round(timings.extract), bytesParsed: timings.bytesParsed, bytesReparsed: timings.reparsed, filesRead: sources.length, bytesRead, filesParsed: parsed.size, macroAliases, sites: sites.length, ms: Date.now() - started },
    },
    targets: decisions.flatMap((d) => d.targets),
    keepaliveHelpers: decisions.flatMap((d) => d.keepaliveHelpers),
    statementMacros: [...statementMacros].sort(),
  };
}

/** One project: its macros, the prefilter rounds (seed names, then the functions that carry sockets), the decision. */
async function analyzeProject(sources: readonly SourceFile[], root: string, parsed: Set<string>, pool: ParsePool) {
  let t = performance.now();
  // one pass over every file: its #defines, its typedefs, and whether it names a seed word (the
  // first prefilter round, apart from macro aliases, which are only known once every file is read)
  const defines: ReturnType<typeof scanDefines> = [];
  const typedefs = new Map<string, string>();
  const seedCalls = SEED_WORDS.filter((w) => w !== KEEPALIVE_OPTION);
  const namesSeed = new Set<string>();
  for (const s of sources) {
    const text = s.scanText();
    for (const d of scanDefines(text)) defines.push(d);
    scanTypedefs(text, typedefs);
    if (callsAny(text, seedCalls) || mentions(text, KEEPALIVE_OPTION)) namesSeed.add(s.path);
  }
  const macros = buildMacroTable(defines);
  macros.typedefs = typedefs;
  timings.macros += performance.now() - t;
  const facts: FileFacts[] = [];
  let words = [...SEED_WORDS, ...macros.aliases.keys()];
  const knownWords = new Set(words);
  let definitions = new Map<string, Set<string>>(); // path -> function names demanded from it
  const demandedDefinitions = new Set<string>();
  const skipped = new Map<string, SkippedRange[]>();
  for (let round = 0; (words.length > 0 || definitions.size > 0) && round < 50; round++) {
    t = performance.now();
    const fresh = prefilterPattern([...words, ...new Set([...definitions.values()].flatMap((d) => [...d]))]);
    // every word so far decides which functions of a newly read file are copied and extracted
    const keep = prefilterPattern([...knownWords, ...demandedDefinitions]);
    // round 0: the seed words were looked for in the first pass; macro aliases still need a scan
    const calls = words.filter((w) => w !== KEEPALIVE_OPTION && !(round === 0 && SEED_WORDS.includes(w)));
    const keepaliveWord = round > 0 && words.includes(KEEPALIVE_OPTION);
    const wantedFile = (s: SourceFile) => {
      if (round === 0 && namesSeed.has(s.path)) return true;
      if (calls.length === 0 && !keepaliveWord) return false;
      const text = s.scanText();
      return callsAny(text, calls) || (keepaliveWord && mentions(text, KEEPALIVE_OPTION));
    };
    const batch: ParseJob[] = [];
    for (const s of sources) {
      if (!parsed.has(s.path)) {
        if (!(definitions.has(s.path) || wantedFile(s))) continue;
        parsed.add(s.path);
        batch.push({ path: s.path, text: s.text, keep: keep.source, reportProblems: true });
        continue;
      }
      // a function skipped in an earlier round that calls one of the new names, or is a demanded definition
      const ranges = skipped.get(s.path) ?? [];
      const wanted = ranges.filter((r) => fresh.test(s.text.slice(r.start, r.end)));
      if (wanted.length === 0) continue;
      skipped.set(s.path, ranges.filter((r) => !wanted.includes(r)));
      batch.push({ path: s.path, text: s.text, only: wanted, reportProblems: false });
    }
    timings.prefilter += performance.now() - t;
    for (const out of await parseFiles(batch, macros, pool)) {
      facts.push(out.facts);
      if (out.skipped.length > 0) skipped.set(out.facts.path, [...(skipped.get(out.facts.path) ?? []), ...out.skipped]);
    }
    t = performance.now();
    const demand = relevantFunctions(facts);
    words = demand.callersOf.filter((name) => !knownWords.has(name));
    for (const w of words) knownWords.add(w);
    const newDefinitions = demand.definitionsOf.filter((name) => !demandedDefinitions.has(name) && !knownWords.has(name));
    for (const d of newDefinitions) demandedDefinitions.add(d);
    definitions = definingFiles(sources, newDefinitions);
    timings.prefilter += performance.now() - t;
  }
  t = performance.now();
  // programs matter only for fixed descriptors (fd 0 after dup2); look for main() only then
  const usesFixedFds = facts.some((f) => f.events.some((e) => e.carrier.startsWith('D:')) || f.edges.some((e) => e.to.startsWith('D:') || e.from.startsWith('D:')));
  const programs = usesFixedFds ? new Set(definingFiles(sources, ['main']).keys()) : new Set<string>();
  const decision = decideProject(facts, root, programs);
  timings.decide += performance.now() - t;
  return { decision, facts, aliases: macros.aliases.size, statementMacros: macros.statementMacros ?? new Set<string>() };
}

/**
 * A file can hold a site or a keepalive fact only if it calls one of these names (or names
 * SO_KEEPALIVE): sound for direct calls and macro invocations.
 */
export function prefilterPattern(words: readonly string[]): RegExp {
  const calls = words.filter((w) => w !== 'SO_KEEPALIVE').map(escape);
  const parts = [];
  if (calls.length > 0) parts.push(`\\b(?:${calls.join('|')})\\s*\\(`);
  if (words.includes('SO_KEEPALIVE')) parts.push('\\bSO_KEEPALIVE\\b');
  return new RegExp(parts.join('|'));
}

/**
 * Which files define which of these functions: a call-shaped `name(` whose parameter list holds
 * no `;` or `{`, followed by a body, and not preceded by an operator (`if (close(fd)) {` is a call).
 */
function definingFiles(sources: readonly SourceFile[], names: readonly string[]): Map<string, Set<string>> {
  const found = new Map<string, Set<string>>();
  if (names.length === 0) return found;
  for (const s of sources) {
    const text = s.scanText();
    for (const name of names) {
      for (let at = findCall(text, name, 0); at >= 0; at = findCall(text, name, at + 1)) {
        if (!startsDefinition(text, at, text.indexOf('(', at + name.length))) continue;
        const set = found.get(s.path) ?? new Set<string>();
        set.add(name);
        found.set(s.path, set);
        break;
      }
    }
  }
  return found;
}

/** `open` is the index of the `(` after the name at `at`. */
export function startsDefinition(text: string, at: number, open: number): boolean {
  let i = at - 1;
  while (i >= 0 && (text[i] === ' ' || text[i] === '\t')) i--;
  if (i >= 0 && !/[\w*\n\r]/.test(text[i]!)) return false;
  const before = text.slice(Math.max(0, i - 7), i + 1);
  if (/\b(?:return|else|case|sizeof)$/.test(before)) return false;
  let depth = 0;
  let j = open;
  for (; j < text.length; j++) {
    const ch = text[j];
    if (ch === '(') depth++;
    else if (ch === ')' && --depth === 0) break;
    else if (ch === ';' || ch === '{' || ch === '}') return false;
  }
  for (j++; j < text.length; j++) {
    const ch = text[j]!;
    if (ch === ' ' || ch === '\t' || ch === '\r' || ch === '\n') continue;
    if (ch === '/' && text[j + 1] === '*') {
      const close = text.indexOf('*/', j + 2);
      if (close < 0) return false;
      j = close + 1;
      continue;
    }
    return ch === '{';
  }
  return false;
}

function escape(word: string): string {
  return word.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Headers that declare a helper, so a call from another file can include one. */
function declaringHeaders(name: string, definedIn: string, sources: readonly SourceFile[]): string[] {
  const declaration = new RegExp(`\\b${escape(name)}\\s*\\([^;{]*\\)\\s*;`);
  return sources.filter((s) => s.path !== definedIn && s.path.endsWith('.h') && s.bytes.includes(name) && declaration.test(s.scanText())).map((s) => s.path);
}


export type { MacroTable };
