import { stat } from 'node:fs/promises';
import path from 'node:path';
import { discoverFiles, type Engine, type FileProblem, type PlannedFile, type Site } from '@ka-codemod/core';
import { UsageError } from './io.js';
import type { Progress } from './progress.js';
import type { Settings } from './settings.js';

export interface ScanResult {
  /** Absolute directory that site paths are relative to. */
  root: string;
  sites: Site[];
  problems: FileProblem[];
  /** Planned rewrites (mode `plan` only). */
  files: PlannedFile[];
  filesScanned: number;
  /** Real paths of the given paths: writes must stay inside them. */
  within: string[];
  /** Files named on the command line that no selected engine reads (wrong extension or --lang). */
  unsupported: string[];
  stats: Record<string, Record<string, number>>;
}

/** Missing paths are the caller's mistake: say which one, before any work starts. */
export async function checkPaths(paths: readonly string[], cwd: string): Promise<void> {
  if (paths.length === 0) throw new UsageError('no PATH given (try: ka-codemod audit src/)');
  for (const p of paths) {
    try {
      await stat(path.resolve(cwd, p));
    } catch {
      throw new UsageError(`no such file or directory: ${p}`);
    }
  }
}

/**
 * Runs each selected engine on the files of its language under the paths and gathers what they
 * return. The engines do the analysis; this only discovers files and merges plain data.
 */
export async function scan(engines: readonly Engine[], settings: Settings, cwd: string, mode: 'analyze' | 'plan', progress: Progress): Promise<ScanResult> {
  await checkPaths(settings.paths, cwd);
  const selected = engines.filter((e) => settings.languages.includes(e.language));
  const discovered = [];
  for (const engine of selected) {
    const found = await discoverFiles({
      paths: settings.paths,
      cwd,
      extensions: engine.extensions,
      include: settings.include,
      exclude: settings.exclude,
    });
    // A file named on the command line is passed through by discovery whatever its name: each
    // engine only gets the files of its own language.
    const files = found.files.filter((f) => engine.extensions.some((e) => f.endsWith(e)));
    discovered.push({ engine, found: { ...found, files } });
    progress.grow(files.length);
  }
  const languageOf = (file: string) => selected.some((e) => e.extensions.some((x) => file.endsWith(x)));
  const root = discovered[0]?.found.root ?? path.resolve(cwd, settings.paths[0] ?? '.');
  const unsupported: string[] = [];
  for (const p of settings.paths) {
    const abs = path.resolve(cwd, p);
    if ((await stat(abs)).isFile() && !languageOf(abs)) unsupported.push(p);
  }
  const result: ScanResult = { root, sites: [], problems: [], files: [], filesScanned: 0, within: discovered[0]?.found.within ?? [], unsupported, stats: {} };
  // Discovery reports skipped files (binary, too large, unreadable, links leading out) once per engine: keep each once.
  const seen = new Set<string>();
  for (const { found } of discovered) {
    for (const p of found.problems) {
      const key = `${p.kind}\0${p.file}`;
      if (seen.has(key)) continue;
      seen.add(key);
      result.problems.push(p);
    }
  }
  for (const { engine, found } of discovered) {
    if (found.files.length === 0) continue;
    progress.advance(0, `${engine.language}: ${found.files.length} files`);
    // Engines that report progress move the bar within their share of the total.
    let reported = 0;
    const onProgress = (done: number, total: number) => {
      const scaled = total > 0 ? Math.floor((Math.min(done, total) / total) * found.files.length) : 0;
      if (scaled > reported) progress.advance(scaled - reported);
      reported = Math.max(reported, scaled);
    };
    const request = { root, files: found.files, options: settings.keepalive, onProgress, ...(settings.jobs !== undefined ? { jobs: settings.jobs } : {}) };
    let out;
    if (mode === 'plan') {
      const planned = await engine.plan(request);
      result.files.push(...planned.files);
      out = planned;
    } else out = await engine.analyze(request);
    result.sites.push(...out.sites);
    result.problems.push(...out.problems);
    result.filesScanned += found.files.length;
    result.stats[engine.language] = out.stats;
    progress.advance(found.files.length - reported);
  }
  return result;
}
