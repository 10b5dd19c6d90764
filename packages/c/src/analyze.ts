/**
 * The C analysis: read every candidate file once, keep only the files that can matter (a text
 * prefilter on the socket calls, the project macros that expand to them and, round by round, the
 * project functions that carry sockets), parse those, extract their facts, drop the trees, and
 * decide the whole project at once. The files are spread over shards (shard.ts), one per thread;
 * this coordinator asks them all each question and merges the answers in path order, so the
 * result does not depend on how many threads there were.
 */
import type { AnalyzeRequest, FileProblem } from '@ka-codemod/core';
import { relativePath } from '@ka-codemod/core';
import { SEED_WORDS } from './libc.js';
import type { CAnalysis } from './contract.js';
import type { FileFacts } from './facts/model.js';
import { buildMacroTable, type MacroTable, type RawDefine } from './macros.js';
import { decideProject, type ProjectDecision } from './decide/verdicts.js';
import { groupByProject } from './projects.js';
import { Relevance } from './relevance.js';
import type { LoadedFile, MacroPayload, ShardFile, ShardStats } from './scan/shard.js';
import { escapeRegExp } from './scan/shard.js';
import { Shards, threadLimit } from './scan/shards.js';

const byPath = (a: { path: string }, b: { path: string }) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0);

export async function analyzeC(request: AnalyzeRequest): Promise<CAnalysis> {
  const started = Date.now();
  const problems: FileProblem[] = [];
  // projects are told from directories alone, before any file is read
  const projectFiles = [...groupByProject(request.root, [...request.files].sort()).values()];
  const files: ShardFile[] = projectFiles.flatMap((list, project) => list.map((path) => ({ path, project }))).sort(byPath);
  const shards = new Shards();
  try {
    // the main thread reads every file: a second thread does not read faster (shards.ts)
    const total = files.length;
    const loaded = shards.local.load(files, request.root, (done) => request.onProgress?.(done, total));
    request.onProgress?.(total, total);
    const readMs = Date.now() - started;
    const readable = loaded.filter((f) => !f.problem);
    for (const f of loaded) if (f.problem) problems.push(f.problem);
    // workers join for the parsing when asked for (--jobs) or when there is enough of it
    const limit = threadLimit(request.jobs);
    const seedBytes = readable.reduce((n, f) => n + (f.seed ? f.size : 0), 0);
    if (limit > 1 && (request.jobs !== undefined || seedBytes >= PARALLEL_SEED_BYTES)) shards.grow(limit);

    const decisions: ProjectDecision[] = [];
    const statementMacros = new Set<string>();
    let macroAliases = 0;
    let flowFacts = 0;
    const spent = { macros: 0, decide: 0 };
    for (let project = 0; project < projectFiles.length; project++) {
      const own = readable.filter((f) => f.project === project);
      if (own.length === 0) continue;
      const { decision, facts, macros } = await analyzeProject(shards, project, own, request.root, spent);
      for (const m of macros.statementMacros ?? []) statementMacros.add(m);
      macroAliases += macros.aliases.size;
      for (const f of facts) flowFacts += f.events.length + f.edges.length;
      for (const f of facts) for (const p of f.problems) problems.push({ ...p, file: relativePath(request.root, f.path) });
      for (const helper of decision.keepaliveHelpers) {
        const found = await shards.all('declaring', () => [project, helper.name, helper.definedIn]);
        helper.declaredIn = found.flat().sort();
      }
      decisions.push(decision);
    }
    const stats = sumStats(await shards.all('stats', () => []));
    const sites = decisions.flatMap((d) => d.sites);
    sites.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : a.line - b.line || a.column - b.column));
    problems.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0));
    return {
      result: {
        sites,
        problems,
        stats: {
          threads: shards.size,
          readMs,
          // summed over threads: with several, they add up to more than the wall time
          scanMs: Math.round(stats.macros),
          macroMs: Math.round(spent.macros),
          prefilterMs: Math.round(stats.prefilter),
          decideMs: Math.round(spent.decide),
          parseMs: Math.round(stats.parse),
          copyMs: Math.round(stats.copy),
          factsMs: Math.round(stats.extract),
          bytesParsed: stats.bytesParsed,
          bytesReparsed: stats.reparsed,
          filesRead: readable.length,
          bytesRead: readable.reduce((n, f) => n + f.size, 0),
          filesParsed: stats.filesParsed,
          filesShared: stats.filesShared,
          macroAliases,
          // events and edges the project-wide flow works on: the measure its cost should grow with
          flowFacts,
          sites: sites.length,
          ms: Date.now() - started,
        },
      },
      targets: decisions.flatMap((d) => d.targets),
      keepaliveHelpers: decisions.flatMap((d) => d.keepaliveHelpers),
      statementMacros: [...statementMacros].sort(),
    };
  } finally {
    await shards.close();
  }
}

/** One project: its macros, the prefilter rounds (seed names, then the functions that carry sockets), the decision. */
async function analyzeProject(shards: Shards, project: number, files: readonly LoadedFile[], root: string, spent: { macros: number; decide: number }) {
  let t = performance.now();
  // in path order, as each file was read: a later definition does not override an earlier alias
  const defines: Array<[string, RawDefine]> = [];
  const typedefs = new Map<string, string>();
  for (const f of files) {
    for (const d of f.defines) defines.push(d);
    for (const [name, tag] of f.typedefs) typedefs.set(name, tag);
  }
  const macros = buildMacroTable(defines);
  macros.typedefs = typedefs;
  // the main thread's shard takes the table as it is; workers get it as plain data
  shards.local.useMacros(project, macros);
  if (shards.size > 1) {
    const payload = macroPayload(macros);
    await shards.workers('setMacros', () => [project, payload]);
  }
  spent.macros += performance.now() - t;

  const facts: FileFacts[] = [];
  let words = [...SEED_WORDS, ...macros.aliases.keys()];
  const knownWords = new Set(words);
  let definitions: string[] = []; // files demanded for the definitions they hold
  const demandedNames = new Set<string>(); // functions whose definitions were demanded this round
  const demandedDefinitions = new Set<string>();
  let newFields: string[] = []; // fields called through with a socket, found last round
  const knownFields = new Set<string>();
  const relevance = new Relevance(); // the facts so far, added round by round
  for (let round = 0; (words.length > 0 || definitions.length > 0 || newFields.length > 0) && round < 50; round++) {
    const fresh = prefilterPattern([...words, ...demandedNames]);
    // every word so far decides which functions of a newly read file are copied and extracted
    const keep = prefilterPattern([...knownWords, ...demandedDefinitions]);
    // round 0: the shards looked for the seed words while loading; macro aliases still need a scan
    const calls = words.filter((w) => !SEED_WORDS.includes(w) || round > 0).filter((w) => w !== 'SO_KEEPALIVE');
    const fieldStores = fieldStorePattern(newFields);
    const request = { project, round, calls, keepaliveWord: round > 0 && words.includes('SO_KEEPALIVE'), definitions, fieldStores, fresh: fresh.source, keep: keepWithFields(keep.source, knownFields) };
    const selected = await shards.all('select', () => [request]);
    const parsed = await parseShared(shards, project, selected.flatMap((s) => s.wanted), keep.source);
    const added = [...selected.flatMap((s) => s.refreshed), ...parsed].sort(byPath);
    facts.push(...added);
    t = performance.now();
    relevance.add(added);
    const demand = relevance.demand();
    newFields = demand.fieldsCalled.filter((f) => !knownFields.has(f));
    for (const f of newFields) knownFields.add(f);
    words = demand.callersOf.filter((name) => !knownWords.has(name));
    for (const w of words) knownWords.add(w);
    const newDefinitions = demand.definitionsOf.filter((name) => !demandedDefinitions.has(name) && !knownWords.has(name));
    for (const d of newDefinitions) demandedDefinitions.add(d);
    spent.decide += performance.now() - t;
    const defining = (await shards.all('defining', () => [project, newDefinitions])).flat().sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
    definitions = defining.map(([path]) => path);
    demandedNames.clear();
    for (const [, names] of defining) for (const name of names) demandedNames.add(name);
  }
  // programs matter only for fixed descriptors (fd 0 after dup2); look for main() only then
  const usesFixedFds = facts.some((f) => f.events.some((e) => e.carrier.startsWith('D:')) || f.edges.some((e) => e.to.startsWith('D:') || e.from.startsWith('D:')));
  // only a parsed file's main() can scope a fixed descriptor (FlowModel asks about the files
  // whose facts hold one): the parsed files are searched, not the whole tree
  const parsed = [...new Set(facts.map((f) => f.path))];
  const programs = usesFixedFds ? new Set((await shards.all('defining', () => [project, ['main'], parsed])).flat().map(([path]) => path)) : new Set<string>();
  t = performance.now();
  const decision = decideProject(facts, root, programs, macros.interposers);
  spent.decide += performance.now() - t;
  return { decision, facts, macros };
}

/**
 * Seed files (round 0) of all projects together, in bytes, from which parsing is shared with worker
 * threads by default: about a second of parsing in one thread. Below, the workers' start-up and
 * their own warm-up cost what they would save (PostgreSQL: 0.8 MB of seeds, two threads no faster).
 */
export const PARALLEL_SEED_BYTES = 2 * 1024 * 1024;

/**
 * The files a round wants, parsed by every shard together (see Shard.parseClaimed): the workers
 * get copies of them (the main thread read every file), then each thread claims the next, largest
 * first. Their facts, in no particular order.
 */
async function parseShared(shards: Shards, project: number, wanted: ReadonlyArray<[string, number]>, keep: string): Promise<FileFacts[]> {
  const order = [...wanted].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).map(([path]) => path);
  const claims = new SharedArrayBuffer(4);
  // one file (or one thread): the main thread parses it, no copy is made
  if (shards.size < 2 || order.length < 2) return shards.local.parseClaimed(project, order, claims, keep);
  const copies = shards.local.copies(order);
  await shards.all('adopt', (i) => [i === 0 ? [] : copies]);
  return (await shards.all('parseClaimed', () => [project, order, claims, keep])).flat();
}

function macroPayload(macros: MacroTable): MacroPayload {
  return {
    constants: [...macros.constants],
    aliases: [...macros.aliases],
    typedefs: [...(macros.typedefs ?? [])],
    statementMacros: [...(macros.statementMacros ?? [])],
  };
}

function sumStats(all: readonly ShardStats[]): ShardStats {
  const sum: ShardStats = { filesParsed: 0, macros: 0, prefilter: 0, parse: 0, copy: 0, extract: 0, bytesParsed: 0, reparsed: 0, filesShared: 0 };
  for (const s of all) for (const key of Object.keys(sum) as Array<keyof ShardStats>) sum[key] += s[key];
  return sum;
}

/**
 * A file can hold a site or a keepalive fact only if it calls one of these names (or names
 * SO_KEEPALIVE): sound for direct calls and macro invocations.
 */
/** `.setup = f` / `->setup = f`: a function stored in one of these fields ('' for none). */
function fieldStorePattern(fields: readonly string[]): string {
  return fields.length === 0 ? '' : `(?:\\.|->)\\s*(?:${fields.map(escapeRegExp).join('|')})\\s*=[^=]`;
}

/** Functions of a newly parsed file are extracted when they name a wanted word or store into a called field. */
function keepWithFields(keep: string, fields: ReadonlySet<string>): string {
  return fields.size === 0 ? keep : `${keep}|${fieldStorePattern([...fields])}`;
}

export function prefilterPattern(words: readonly string[]): RegExp {
  const calls = words.filter((w) => w !== 'SO_KEEPALIVE').map(escapeRegExp);
  const parts = [];
  if (calls.length > 0) parts.push(`\\b(?:${calls.join('|')})\\s*\\(`);
  if (words.includes('SO_KEEPALIVE')) parts.push('\\bSO_KEEPALIVE\\b');
  return new RegExp(parts.join('|'));
}

export { startsDefinition } from './scan/shard.js';
export type { MacroTable };
