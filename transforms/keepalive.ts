/**
 * jscodeshift transform: gives every Node TCP socket keepalive (and an 'error' listener where it has
 * none). A thin face of the TS/JS engine (@ka-codemod/ts): the engine finds the sites and computes
 * minimal text edits; this file only translates between jscodeshift's runner and the engine.
 *
 *   npx jscodeshift -t transforms/keepalive.ts src/ [--initialDelay=60000] [--nodeVersion='>=20'] [--dry]
 */
// First: under jscodeshift's runner, stop Babel from recompiling the engine's dependencies (see the file).
import './lib/skip-babel-for-dependencies.ts';
import { analyzeTsSource } from '@ka-codemod/ts';
import { MIN_USEFUL_DELAY_MS } from '@ka-codemod/ts/constants';
import { applyTextEdits, DEFAULT_OPTIONS, isFlagged, type KeepaliveOptions } from '@ka-codemod/core';
import type { API, FileInfo, Options } from 'jscodeshift';

export type JscodeshiftParser = 'tsx' | 'ts' | 'babel';

const BOM = '\uFEFF';

/**
 * The jscodeshift parser that reads a file of this name: .tsx needs the JSX-aware TypeScript parser,
 * .ts/.mts/.cts the plain one (it accepts `<T>x` casts, which tsx rejects), everything else babel.
 */
export function parserForPath(path: string): JscodeshiftParser {
  if (/\.tsx$/iu.test(path)) return 'tsx';
  if (/\.[mc]?ts$/iu.test(path)) return 'ts';
  return 'babel';
}

/** The `--initialDelay` option (ms; also `--initial-delay`): CLI options arrive as strings or numbers. */
export function initialDelayFrom(options: Options): number {
  const raw: unknown = options['initialDelay'] ?? options['initial-delay'];
  if (raw === undefined || raw === true) return DEFAULT_OPTIONS.initialDelayMs;
  const ms = Number(raw);
  // Node applies the delay in whole seconds; below the floor it means the OS default of two hours.
  if (!Number.isInteger(ms) || ms < MIN_USEFUL_DELAY_MS) {
    throw new Error(`--initialDelay must be a whole number of milliseconds, at least ${MIN_USEFUL_DELAY_MS} (got ${String(raw)})`);
  }
  return ms;
}

export function engineOptionsFrom(options: Options): KeepaliveOptions {
  return { ...DEFAULT_OPTIONS, initialDelayMs: initialDelayFrom(options) };
}

/** `--nodeVersion`: the engines.node range to judge by; by default the engine reads the nearest package.json. */
function nodeRangeFrom(options: Options): string | undefined {
  const raw: unknown = options['nodeVersion'] ?? options['node-version'];
  return typeof raw === 'string' && raw !== '' ? raw : undefined;
}

/**
 * `--crossFile=false`: judge each file alone. By default a file whose sockets leave it is judged
 * with the other files of its package, read from disk, so the edits are those of `ka-codemod fix`.
 */
function scopeFrom(options: Options): 'file' | 'package' {
  const raw: unknown = options['crossFile'] ?? options['cross-file'];
  return raw === false || raw === 'false' ? 'file' : 'package';
}

export default function transform(file: FileInfo, api: API, options: Options): string {
  const hasBom = file.source.startsWith(BOM);
  const text = hasBom ? file.source.slice(1) : file.source;
  // One call: the engine composes the fixes of a file, colliding ones included, into one complete edit list.
  // Within its package, as `ka-codemod fix` judges it (the engine reads a package once per worker).
  const result = analyzeTsSource({ fileName: file.path, text, options: engineOptionsFrom(options), nodeRange: nodeRangeFrom(options), scope: scopeFrom(options) });
  const problem = result.problems[0];
  // Build output (minified bundles) is not rewritten: its sources are. Skipped, not an error, so a
  // migration over a tree with vendored bundles still ends clean.
  if (problem?.kind === 'minified') {
    api.stats('skipped: minified');
    api.report?.(problem.message);
    return file.source;
  }
  // Left alone and counted as an error by the runner, with the engine's one-line reason.
  if (problem) throw new Error(problem.message);

  for (const site of result.sites) {
    api.stats(`site ${site.call}`);
    if (!isFlagged(site) || site.fix) continue;
    api.stats('flagged, not rewritable');
    // api.report is absent under jscodeshift's applyTransform test helper.
    api.report?.(`${site.line}:${site.column} ${site.call}: no keepalive and no automatic rewrite (${site.how})`);
  }
  if (result.edits.length === 0) return file.source;
  const rewritten = applyTextEdits(text, result.edits);
  const fixed = result.sites.filter((s) => isFlagged(s) && s.fix);
  api.stats('rewritten', fixed.length);
  const listenersAdded = fixed.filter((s) => s.fix?.addsErrorListener).length;
  if (listenersAdded > 0) api.stats("'error' listener added", listenersAdded);
  if (rewritten === text) return file.source;

  // Transforms are often chained: make sure the next one (and the user's build) can still parse the file.
  api.jscodeshift.withParser(parserForPath(file.path))(rewritten);
  return hasBom ? BOM + rewritten : rewritten;
}
