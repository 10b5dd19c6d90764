/**
 * The one lister of the shared TS/JS fixtures (layout: fixtures/ts/README.md), for every face's
 * tests: the engine's, the ESLint rule's, the jscodeshift transform's and the CLI's. Cases are found
 * by listing the folders (adding a case needs no code), and a case's options are translated here
 * into each face's own spelling.
 */
import { copyFileSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DEFAULT_OPTIONS, type KeepaliveOptions } from '@ka-codemod/core';

/** fixtures/ts/, with a trailing separator. */
export const TS_FIXTURES = fileURLToPath(new URL('../../fixtures/ts/', import.meta.url));

/** `<case>.options.json`: the options a user would give, in the transform's and the rule's names. */
export interface CaseOptions {
  /** keepAliveInitialDelay in ms (`--initial-delay`). */
  initialDelay?: number | string;
  /** The engines.node range to judge by. */
  nodeVersion?: string;
}

export interface FixtureCase {
  /** Path of the input relative to fixtures/ts/, for test names. */
  name: string;
  /** Absolute path of `<case>.input.<ext>`, or of the `no-transform-*` file. */
  input: string;
  /** The expected rewrite (bytes, line endings included); the input itself for `no-transform-*` cases. */
  output: string;
  /** `<case>.sites.json` beside the input, when present (the engine's expected sites). */
  sites: string | undefined;
  /** A `no-transform-*` case: the input must not change. */
  noTransform: boolean;
  /** `<case>.options.json` as written ({} without one). */
  options: CaseOptions;
}

const INPUT = /^(?<base>.+)\.input\.(?<ext>[cm]?[jt]sx?)$/u;
const NO_TRANSFORM = /^(?<base>no-transform-.+?)(?:\.input)?\.[cm]?[jt]sx?$/u;
/** Folders that hold runnable programs and multi-file projects, not rewrite cases. */
const SKIP_DIRS = new Set(['node_modules', 'run', 'project']);

/** Every case under `dir` (default: all of fixtures/ts), sorted by name. */
export function fixtureCases(dir = TS_FIXTURES): FixtureCase[] {
  const cases: FixtureCase[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (!entry.isFile()) continue;
    const folder = entry.parentPath;
    if (relative(dir, folder).split(/[\\/]/u).some((part) => SKIP_DIRS.has(part))) continue;
    const noTransform = NO_TRANSFORM.exec(entry.name);
    const pair = noTransform ? null : INPUT.exec(entry.name);
    const base = (noTransform ?? pair)?.groups?.['base'];
    if (base === undefined) continue;
    const input = join(folder, entry.name);
    const optionsPath = join(folder, `${base}.options.json`);
    const sitesPath = join(folder, `${base}.sites.json`);
    cases.push({
      name: relative(TS_FIXTURES, input).split('\\').join('/'),
      input,
      output: pair ? join(folder, `${base}.output.${pair.groups?.['ext'] ?? ''}`) : input,
      sites: existsSync(sitesPath) ? sitesPath : undefined,
      noTransform: noTransform !== null,
      options: existsSync(optionsPath) ? (JSON.parse(readFileSync(optionsPath, 'utf8')) as CaseOptions) : {},
    });
  }
  return cases.sort((a, b) => a.name.localeCompare(b.name));
}

/** The engines' options for a case. */
export function engineOptions(options: CaseOptions): KeepaliveOptions {
  return { ...DEFAULT_OPTIONS, ...(options.initialDelay !== undefined ? { initialDelayMs: Number(options.initialDelay) } : {}) };
}

/** The engine's `nodeRange` for a case (undefined: the engine reads the nearest package.json). */
export function nodeRange(options: CaseOptions): string | undefined {
  return options.nodeVersion;
}

/** The ESLint rule's options for a case (the rule's option names; `fix` is the test's to choose). */
export function ruleOptions(options: CaseOptions): { initialDelay?: number; nodeVersion?: string } {
  const out: { initialDelay?: number; nodeVersion?: string } = {};
  if (options.initialDelay !== undefined) out.initialDelay = Number(options.initialDelay);
  if (options.nodeVersion !== undefined) out.nodeVersion = options.nodeVersion;
  return out;
}

/** The jscodeshift transform's options for a case (`--initialDelay=…`, `--nodeVersion=…`: strings, as its runner passes them). */
export function transformOptions(options: CaseOptions): Record<string, string> {
  const out: Record<string, string> = {};
  if (options.initialDelay !== undefined) out['initialDelay'] = String(options.initialDelay);
  if (options.nodeVersion !== undefined) out['nodeVersion'] = options.nodeVersion;
  return out;
}

/** The jscodeshift command line's flags for a case. */
export function transformFlags(options: CaseOptions): string[] {
  return Object.entries(transformOptions(options)).map(([k, v]) => `--${k}=${v}`);
}

/** The `ka-codemod` command line's flags for a case (the CLI has no `--node-version`: it reads package.json). */
export function cliFlags(options: CaseOptions): string[] {
  if (options.nodeVersion !== undefined) throw new Error('ka-codemod has no --node-version: give the case a package.json instead');
  return options.initialDelay !== undefined ? ['--initial-delay', String(options.initialDelay)] : [];
}

/**
 * A case copied alone into a fresh folder, with the package.json that governs it (its engines.node):
 * the faces judge a file within its package (`scope: 'package'`), and fixtures/ts is one package of
 * unrelated cases, which must not meet. The copy is what each case means: one file on its own.
 */
export function stageCase(c: FixtureCase): { input: string; remove(): void } {
  const dir = mkdtempSync(join(tmpdir(), 'ka-case-'));
  const input = join(dir, basename(c.input));
  copyFileSync(c.input, input);
  for (let folder = dirname(c.input); ; folder = dirname(folder)) {
    const manifest = join(folder, 'package.json');
    if (existsSync(manifest)) {
      copyFileSync(manifest, join(dir, 'package.json'));
      break;
    }
    if (relative(TS_FIXTURES, folder) === '' || dirname(folder) === folder) break;
  }
  return { input, remove: () => rmSync(dir, { recursive: true, force: true }) };
}
