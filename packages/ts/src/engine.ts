/** tsEngine: the project-mode face of the engine for the CLI (reads files, never writes them). */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { applyTextEdits, decodeSource, encodeSource, readSourceFileSync, relativePath, type AnalyzeRequest, type DecodedSource, type AnalyzeResult, type Engine, type FileProblem, type PlannedFile, type PlanResult } from '@ka-codemod/core';
import { TS_EXTENSIONS } from './constants.js';
import { isDeclarationFile } from './file-kind.js';
import { worthParsing } from './prefilter.js';
import type { SourceInput, SourcesResult, TypeInfo } from './analyze-sources.js';

/** Files above this size are minified bundles or generated code: reported, not parsed. */
const MAX_FILE_BYTES = 4 * 1024 * 1024;

export interface Loaded {
  sources: SourceInput[];
  raw: Map<string, { before: Buffer; decoded: DecodedSource }>;
  problems: FileProblem[];
}

/** Reads the request's files as the analysis takes them (synchronous: the package scope of in-package.ts reads the same way). */
export function load(request: Pick<AnalyzeRequest, 'root' | 'files'>): Loaded {
  const sources: SourceInput[] = [];
  const raw = new Map<string, { before: Buffer; decoded: DecodedSource }>();
  const problems: FileProblem[] = [];
  for (const file of request.files) {
    const rel = relativePath(request.root, file);
    // one checked read (never blocks on a FIFO): too large, binary or unreadable is one line, skipped
    const read = readSourceFileSync(file, request.root, { maxFileBytes: MAX_FILE_BYTES, utf16: true });
    if (!read.ok) {
      problems.push(read.problem);
      continue;
    }
    const buf = read.content;
    // Lossless: BOM and UTF-16 kept, invalid UTF-8 (Latin-1 comments) read byte for byte, so a rewrite gives every other byte back.
    const decoded = decodeSource(buf);
    // UTF-16 text is full of NUL bytes; decoded, it is text like any other
    if (decoded.encoding !== 'utf16le' && decoded.encoding !== 'utf16be' && buf.includes(0)) {
      // a NUL byte past the first block: not source text either
      problems.push({ file: rel, kind: 'binary', message: `${rel}: binary content; skipped` });
      continue;
    }
    raw.set(file, { before: buf, decoded });
    sources.push({ path: file, relFile: rel, text: decoded.text });
  }
  return { sources, raw, problems };
}

/**
 * With a tsconfig.json under the root (the nearest one above each file, not above the root), the
 * type checker sharpens verdicts; without one, syntax only.
 */
export function typeInfo(request: Pick<AnalyzeRequest, 'root'>): { tsconfig: (file: string) => string | null } {
  const root = path.resolve(request.root);
  const cache = new Map<string, string | null>();
  const lookup = (dir: string): string | null => {
    const hit = cache.get(dir);
    if (hit !== undefined) return hit;
    const candidate = path.join(dir, 'tsconfig.json');
    const parent = path.dirname(dir);
    const found = existsSync(candidate) ? candidate : dir === root || parent === dir || !dir.startsWith(root) ? null : lookup(parent);
    cache.set(dir, found);
    return found;
  };
  return { tsconfig: (file) => lookup(path.dirname(path.resolve(file))) };
}

/**
 * The analysis (run.ts, which loads TypeScript), or, when no file passes the first prefilter pass
 * (the later passes only add files linked to ones that did), its empty result without loading it.
 */
async function analyzeLoaded(sources: readonly SourceInput[], request: AnalyzeRequest, complete: boolean): Promise<Pick<SourcesResult, 'sites' | 'problems' | 'editsByPath' | 'changesByPath' | 'stats'>> {
  if (!sources.some((s) => !isDeclarationFile(s.path) && worthParsing(s.text))) {
    return { sites: [], problems: [], editsByPath: new Map(), changesByPath: new Map(), stats: { filesGiven: sources.length, filesParsed: 0, sites: 0 } };
  }
  const { analyzeSources } = await import('./analyze-sources.js');
  const info: TypeInfo = typeInfo(request);
  return analyzeSources(sources, request.options, info, complete);
}

async function analyze(request: AnalyzeRequest): Promise<AnalyzeResult> {
  const started = performance.now();
  const { sources, problems } = load(request);
  const readMs = Math.round(performance.now() - started);
  // Sites only: no file-level edit list to compose (audit and check never write).
  const r = await analyzeLoaded(sources, request, false);
  return { sites: r.sites, problems: [...problems, ...r.problems], stats: { filesRead: sources.length, readMs, ...r.stats } };
}

async function plan(request: AnalyzeRequest): Promise<PlanResult> {
  const started = performance.now();
  const { sources, raw, problems } = load(request);
  const readMs = Math.round(performance.now() - started);
  const r = await analyzeLoaded(sources, request, true);
  const files: PlannedFile[] = [];
  for (const s of sources) {
    const edits = r.editsByPath.get(s.path);
    if (!edits?.length) continue;
    const info = raw.get(s.path)!;
    const after = encodeSource(applyTextEdits(s.text, edits), info.decoded);
    if (after.equals(info.before)) continue;
    files.push({ path: s.path, before: info.before, after, changes: r.changesByPath.get(s.path) ?? [] });
  }
  return { sites: r.sites, problems: [...problems, ...r.problems], stats: { filesRead: sources.length, readMs, ...r.stats, filesPlanned: files.length }, files };
}

export const tsEngine: Engine = {
  language: 'ts',
  extensions: TS_EXTENSIONS,
  analyze,
  plan,
};
