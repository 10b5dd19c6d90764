import { stat } from 'node:fs/promises';
import path from 'node:path';
import { discoverFiles, type Engine, type FileProblem, type PlannedFile, type Site, type SkippedCopies } from '@ka-codemod/core';
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
  /** Copies not part of the build that discovery left out (see --include-copies). */
  skippedCopies: SkippedCopies[];
  /** Wall-clock milliseconds of the discovery walk. */
  discoveryMs: number;
  /** Wall-clock milliseconds of each engine's run, by language. */
  engineMs: Record<string, number>;
  /** performance.now() when the scan began and when it ended. */
  startedAt: number;
  endedAt: number;
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
  const startedAt = performance.now();
  await checkPaths(settings.paths, cwd);
  const selected = engines.filter((e) => settings.languages.includes(e.language));
  const walkStarted = performance.now();
  // One walk for every selected language (a second walk of a big tree cost as much as the first),
  // without opening the files: each engine reads every file once with the same checks.
  const found = await discoverFiles({
    paths: settings.paths,
    cwd,
    extensions: selected.flatMap((e) => e.extensions),
    include: settings.include,
    exclude: settings.exclude,
    probe: false,
    includeCopies: settings.includeCopies,
  });
  const discoveryMs = performance.now() - walkStarted;
  const discovered = [];
  for (const engine of selected) {
    // A file named on the command line is passed through by discovery whatever its name: each
    // engine only gets the files of its own language.
    const files = found.files.filter((f) => engine.extensions.some((e) => f.endsWith(e)));
    discovered.push({ engine, files });
    progress.grow(files.length);
  }
  const languageOf = (file: string) => selected.some((e) => e.extensions.some((x) => file.endsWith(x)));
  const root = found.root;
  const unsupported: string[] = [];
  for (const p of settings.paths) {
    const abs = path.resolve(cwd, p);
    if ((await stat(abs)).isFile() && !languageOf(abs)) unsupported.push(p);
  }
  const result: ScanResult = { root, sites: [], problems: [], files: [], filesScanned: 0, within: found.within, unsupported, stats: {}, skippedCopies: found.skippedCopies, discoveryMs, engineMs: {}, startedAt, endedAt: startedAt };
  // Discovery reports skipped files (links leading out, named files it could not read, FIFOs) once.
  result.problems.push(...found.problems);
  for (const { engine, files } of discovered) {
    if (files.length === 0) continue;
    progress.advance(0, `${engine.language}: ${files.length} files`);
    // Engines that report progress move the bar within their share of the total.
    let reported = 0;
    const onProgress = (done: number, total: number) => {
      const scaled = total > 0 ? Math.floor((Math.min(done, total) / total) * files.length) : 0;
      if (scaled > reported) progress.advance(scaled - reported);
      reported = Math.max(reported, scaled);
    };
    const request = { root, files, options: settings.keepalive, onProgress, ...(settings.jobs !== undefined ? { jobs: settings.jobs } : {}) };
    let out;
    const engineStarted = performance.now();
    if (mode === 'plan') {
      const planned = await engine.plan(request);
      result.files.push(...planned.files);
      out = planned;
    } else out = await engine.analyze(request);
    result.sites.push(...out.sites);
    result.problems.push(...out.problems);
    result.filesScanned += files.length;
    result.stats[engine.language] = out.stats;
    result.engineMs[engine.language] = performance.now() - engineStarted;
    progress.advance(files.length - reported);
  }
  result.endedAt = performance.now();
  return result;
}
