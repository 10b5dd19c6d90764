/**
 * One file judged as `ka-codemod` judges it when run on the file's package, for the single-file
 * faces (the jscodeshift transform; the ESLint rule with `crossFile`): the other files of the
 * package are read from disk.
 *
 * Why the package, and not the file's import closure or typescript-eslint's Program:
 * - A verdict depends on the files that import the linted one as much as on those it imports: a
 *   factory's socket gets keepalive (or an 'error' listener) in the caller's file, a promise of it is
 *   settled in a client class elsewhere. The import closure only holds the second kind.
 * - typescript-eslint's Program exists only under typed linting, and holds no JS project without a
 *   tsconfig. It still only sharpens types here, as in analyzeTsSource.
 * - A neighbourhood of the file (its importers and what they import) is not what the CLI sees either
 *   (a caller's caller, a callback found by name elsewhere in the package), and analysed per file it
 *   cost more than the whole package analysed once (on the public JS corpus: 19 s against 7 s).
 * So, in two steps:
 *   1. The file alone (typed by the package's tsconfig.json, as the CLI types it). When every socket
 *      it creates stays in sight inside the file (no flow `escaped`: not returned, exported, stored
 *      where another file reads it, handed to a function it does not hold) and it imports no module
 *      that may export a creator, no other file can change its sites: that is the answer.
 *   2. Otherwise the whole package, analysed once as the CLI analyses it (the directory of the
 *      nearest package.json, engines-lookup.ts, listed as the CLI lists a tree: .gitignore honoured,
 *      no node_modules, no backup copies), and kept for the package's other files.
 * A file in no package is analysed alone. The package is read once per process and per settings;
 * a file whose text is not the one analysed (an editor's unsaved buffer, an ESLint --fix pass) has
 * its package analysed again with that text, the other files as read before.
 */
import path from 'node:path';
import { walkTreeSync, type FileProblem } from '@ka-codemod/core';
import { analyzeSources, canHoldSiteAlone, importedPackages, type SourceInput, type TypeInfo } from './analyze-sources.js';
import { TS_EXTENSIONS } from './constants.js';
import { nearestPackageDir, packageManifest } from './engines-lookup.js';
import { load, typeInfo } from './engine.js';
import type { AnalyzedSite, TsSourceInput, TsSourceResult } from './model.js';
import { resolveCandidates } from './module-graph.js';
import { SOCKET_CALLS } from './node-api.js';
import { worthParsing } from './prefilter.js';

/**
 * The directory a file's sites are judged in, or null (the file alone): its package, or the
 * workspace its package belongs to, whose packages import one another by name (module-graph.ts).
 */
export function packageRootOf(fileName: string): string | null {
  const dir = nearestPackageDir(fileName);
  return dir === null ? null : (packageManifest(dir)?.workspace ?? dir);
}

/** Is the file in a workspace (judged with all its packages) and may it import one of them? */
function importsWorkspacePackage(file: string, text: string, root: string): boolean {
  return root !== nearestPackageDir(file) && importedPackages(text).some((name) => !name.startsWith('node:'));
}

/**
 * Can a file hold a site when judged with its package? Text tests, and the texts of the modules it
 * imports: it can alone (analyze-sources.ts); or a tsconfig.json governs it and it is worth parsing
 * (the checker recognises sockets of any origin, as in the CLI); or a module it imports may export
 * a creator.
 */
export function mayHoldSitesInPackage(fileName: string, text: string, root: string): boolean {
  if (canHoldSiteAlone(text)) return true;
  const pkg = packageOf(root);
  if (worthParsing(text) && pkg.tsconfig(path.resolve(fileName)) !== null) return true;
  return importsCreatorModule(pkg, path.resolve(fileName), text) || importsWorkspacePackage(path.resolve(fileName), text, root);
}

/** Forget every package read (tests that change files on disk between analyses). */
export function clearPackageRuns(): void {
  packages.clear();
}

export function analyzeInPackage(input: Omit<TsSourceInput, 'scope'>, root: string): TsSourceResult {
  const file = path.resolve(input.fileName);
  const pkg = packageOf(root);
  const complete = input.edits ?? true;
  const key = JSON.stringify([file, input.options, input.nodeRange ?? null, complete]);
  const hit = pkg.results.get(key);
  if (hit && hit.text === input.text && hit.program === input.program) return asCaller(hit.result, input.fileName);
  const own: SourceInput = { path: file, relFile: pkg.relFile(file), text: input.text };
  if (input.tree !== undefined) own.tree = input.tree;
  const types: TypeInfo = input.program !== undefined ? { program: input.program } : { tsconfig: pkg.tsconfig };
  if (input.nodeRange !== undefined) own.nodeRange = input.nodeRange;
  const result = analyzeSources([own], input.options, types, complete);
  if (result.analyzed.some(escapes) || importsCreatorModule(pkg, file, input.text) || importsWorkspacePackage(file, input.text, root)) {
    const whole = packageRun(pkg, input, own, types, complete);
    pkg.results.set(key, { text: input.text, program: input.program, result: whole });
    return whole;
  }
  const out: TsSourceResult = asCaller({ sites: result.sites, problems: result.problems, edits: result.editsByPath.get(file) ?? [] }, input.fileName);
  pkg.results.set(key, { text: input.text, program: input.program, result: out });
  return out;
}

/**
 * The package analysed once as the CLI analyses it, with `own` as the caller has it; every file's
 * share of it kept, so the package's other files are a lookup.
 */
function packageRun(pkg: PackageFiles, input: Omit<TsSourceInput, 'scope'>, own: SourceInput, types: TypeInfo, complete: boolean): TsSourceResult {
  const sources = [own];
  for (const f of pkg.files()) {
    if (f === own.path) continue;
    const s = pkg.source(f);
    if (s) sources.push(s);
  }
  if (input.nodeRange !== undefined) for (const s of sources) s.nodeRange = input.nodeRange;
  const result = analyzeSources(sources, input.options, types, complete);
  const byRel = new Map(sources.map((s) => [s.relFile, s]));
  const parts = new Map<SourceInput, TsSourceResult>();
  const partOf = (rel: string): TsSourceResult | null => {
    const s = byRel.get(rel);
    if (!s) return null;
    let part = parts.get(s);
    if (!part) parts.set(s, (part = { sites: [], problems: [], edits: result.editsByPath.get(s.path) ?? [] }));
    return part;
  };
  for (const site of result.sites) partOf(site.file)?.sites.push(site);
  for (const problem of result.problems) partOf(problem.file)?.problems.push(problem);
  // Other files of the package, as this run judged them, unless asked with another text.
  const key = (s: SourceInput) => JSON.stringify([s.path, input.options, input.nodeRange ?? null, complete]);
  for (const s of sources) {
    if (s === own) continue;
    const part = parts.get(s) ?? { sites: [], problems: [], edits: [] };
    pkg.results.set(key(s), { text: s.text, program: input.program, result: { ...part, problems: [...(pkg.problems.get(s.path) ?? []), ...part.problems] } });
  }
  return asCaller(parts.get(own) ?? { sites: [], problems: [], edits: [] }, input.fileName);
}

/** A file's share with the file named as the caller names it (messages keep the CLI's relative names). */
function asCaller(part: TsSourceResult, fileName: string): TsSourceResult {
  return {
    sites: part.sites.map((s) => ({ ...s, file: fileName })),
    problems: part.problems.map((p) => ({ ...p, file: fileName })),
    edits: part.edits,
  };
}

/** Did the socket (or one a server accepts, or the one a TLS socket wraps) go where this file cannot see? */
function escapes(a: AnalyzedSite): boolean {
  return a.flow.escaped || a.listeners.some((l) => l.flow.escaped) || (a.underlying !== null && escapes(a.underlying));
}

/** How many import levels a creator may be re-exported through (module-graph.ts follows as many). */
const CREATOR_DEPTH = 4;

/**
 * A module that can hand out a creator names a socket call without calling it: `net.connect` as a
 * value, `extends net.Socket`, `{ tcp: net.createConnection }` (module-graph.ts creatorExports).
 */
const UNCALLED_SOCKET_CALL = new RegExp(String.raw`\.\s*(?:${[...new Set(SOCKET_CALLS.map((c) => c.name))].join('|')})\b(?!\s*\()`);

function mayExportCreator(text: string): boolean {
  return canHoldSiteAlone(text) && UNCALLED_SOCKET_CALL.test(text);
}

function importsCreatorModule(pkg: PackageFiles, file: string, text: string): boolean {
  const seen = new Set([file]);
  let level = pkg.importsOf(file, text);
  for (let depth = 0; depth < CREATOR_DEPTH && level.length > 0; depth++) {
    const next: string[] = [];
    for (const f of level) {
      if (seen.has(f)) continue;
      seen.add(f);
      const t = pkg.text(f);
      if (t === null) continue;
      if (mayExportCreator(t)) return true;
      next.push(...pkg.importsOf(f, t));
    }
    level = next;
  }
  return false;
}


/** `from './x'`, `require('./x')`, `import('./x')`, `import './x'`: relative specifiers only. */
const RELATIVE_SPECIFIER = /(?:\bfrom\s*|\brequire\s*\(\s*|\bimport\s*\(\s*|\bimport\s+)['"](\.{1,2}(?:\/[^'"]*)?)['"]/g;

/** A package's files, read and parsed on demand, once per process. */
class PackageFiles {
  readonly results = new Map<string, { text: string; program: unknown; result: TsSourceResult }>();
  /** Files that could not be read (too large, binary), by path. */
  readonly problems = new Map<string, FileProblem[]>();
  readonly tsconfig: (file: string) => string | null;
  private listing: string[] | null = null;
  private readonly sources = new Map<string, SourceInput | null>();
  private readonly imports = new Map<string, { text: string; files: string[] }>();

  constructor(readonly root: string) {
    this.tsconfig = typeInfo({ root }).tsconfig;
  }

  relFile(file: string): string {
    return path.relative(this.root, file).split(path.sep).join('/');
  }

  /** The CLI's walk of the package, as `ka-codemod audit <root>` lists it. */
  files(): string[] {
    this.listing ??= walkTreeSync(this.root, { wanted: isSourceName, extensions: TS_EXTENSIONS, onCopy: () => undefined })
      .filter((e) => e.kind === 'file')
      .map((e) => e.path);
    return this.listing;
  }

  /** The file as the analysis takes it, read as the CLI reads it (a copy: the caller may set nodeRange). */
  source(file: string): SourceInput | null {
    let s = this.sources.get(file);
    if (s === undefined) {
      const loaded = load({ root: this.root, files: [file] });
      if (loaded.problems.length) this.problems.set(file, loaded.problems);
      this.sources.set(file, (s = loaded.sources[0] ?? null));
    }
    return s ? { ...s } : null;
  }

  text(file: string): string | null {
    return this.source(file)?.text ?? null;
  }

  /** The package's files a text names by relative specifier (`./x`, `./x.js` for x.ts, `./dir` for its index). */
  importsOf(file: string, text: string): string[] {
    const hit = this.imports.get(file);
    if (hit && hit.text === text) return hit.files;
    const files = new Set<string>();
    for (const m of text.matchAll(RELATIVE_SPECIFIER)) {
      const found = this.resolve(file, m[1]!);
      if (found) files.add(found);
    }
    const list = [...files];
    this.imports.set(file, { text, files: list });
    return list;
  }

  private listed: Set<string> | null = null;

  private resolve(from: string, spec: string): string | null {
    this.listed ??= new Set(this.files());
    return resolveCandidates(path.dirname(from), spec).find((c) => this.listed!.has(c)) ?? null;
  }
}

const packages = new Map<string, PackageFiles>();

function packageOf(root: string): PackageFiles {
  let pkg = packages.get(root);
  if (!pkg) packages.set(root, (pkg = new PackageFiles(root)));
  return pkg;
}

function isSourceName(name: string): boolean {
  return TS_EXTENSIONS.some((e) => name.endsWith(e));
}
