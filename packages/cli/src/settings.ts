import path from 'node:path';
import { DEFAULT_OPTIONS, type KeepaliveOptions, type Language } from '@ka-codemod/core';
import { MIN_USEFUL_DELAY_MS } from '@ka-codemod/ts/constants';
import type { FileConfig } from './config.js';
import { UsageError } from './io.js';

export const REPORT_FORMATS = ['text', 'json', 'markdown', 'html', 'sarif'] as const;
export type ReportFormat = (typeof REPORT_FORMATS)[number];

/** Options as commander hands them over: strings, unset when not given on the command line. */
export interface RawOptions {
  lang?: string;
  include?: string[];
  exclude?: string[];
  idle?: string;
  interval?: string;
  count?: string;
  userTimeout?: string;
  initialDelay?: string;
  onError?: string;
  toggle?: string;
  jobs?: string;
  timings?: boolean;
  includeCopies?: boolean;
  config?: string;
  baseline?: string;
  updateBaseline?: boolean;
  quiet?: boolean;
  strict?: boolean;
  color?: boolean;
  dryRun?: boolean;
  force?: boolean;
  includeVendored?: boolean;
  includeTests?: boolean;
  format?: string;
  output?: string;
}

/** Everything one run needs, command line over configuration file over defaults. */
export interface Settings {
  paths: string[];
  languages: Language[];
  include: string[];
  exclude: string[];
  keepalive: KeepaliveOptions;
  jobs?: number;
  /** Print the phase table (discovery, read, prefilter, parse, facts, decide, report) to stderr. */
  timings: boolean;
  /** Analyse copies that are not part of the build (quilt's .pc/, *.orig, backup trees) too. */
  includeCopies: boolean;
  /** Absolute path of the baseline file, if any. */
  baseline?: string;
  updateBaseline: boolean;
  quiet: boolean;
  /** check: sites whose keepalive could not be followed (`unknown`) fail the run too. */
  strict: boolean;
  color: boolean;
  dryRun: boolean;
  force: boolean;
  format: ReportFormat;
  /** Absolute path of the report file; undefined = stdout. */
  output?: string;
}

const LANGUAGE_ALIASES: Record<string, Language> = { c: 'c', ts: 'ts', js: 'ts', typescript: 'ts', javascript: 'ts' };

/** "c,ts" → ['c', 'ts']; js is the TS engine too. */
export function parseLanguages(text: string): Language[] {
  const out = new Set<Language>();
  for (const part of text.split(',').map((p) => p.trim().toLowerCase()).filter(Boolean)) {
    const lang = LANGUAGE_ALIASES[part];
    if (!lang) throw new UsageError(`--lang: unknown language "${part}" (expected c, ts or c,ts)`);
    out.add(lang);
  }
  if (out.size === 0) throw new UsageError('--lang: no language given (expected c, ts or c,ts)');
  return [...out];
}

/** A whole number within bounds, or a UsageError naming the option. */
export function parseInteger(option: string, text: string, min: number, max = Number.MAX_SAFE_INTEGER): number {
  if (!/^\s*\d+\s*$/.test(text)) throw new UsageError(`${option}: expected a whole number, got "${text}"`);
  const n = Number(text);
  if (n < min || n > max) throw new UsageError(`${option}: ${n} is out of range (${min}..${max})`);
  return n;
}

function pick<T>(cli: T | undefined, file: T | undefined): T | undefined {
  return cli !== undefined ? cli : file;
}

function oneOf<T extends string>(option: string, value: string | undefined, allowed: readonly T[]): T | undefined {
  if (value === undefined) return undefined;
  if (!(allowed as readonly string[]).includes(value)) throw new UsageError(`${option}: expected one of ${allowed.join(', ')}, got "${value}"`);
  return value as T;
}

export function resolveSettings(paths: string[], raw: RawOptions, file: FileConfig, configSource: string | null, cwd: string): Settings {
  const int = (opt: string, text: string | undefined, min: number, max?: number) => (text === undefined ? undefined : parseInteger(opt, text, min, max));
  const idle = pick(int('--idle', raw.idle, 1, 32767), file.idle);
  const interval = pick(int('--interval', raw.interval, 1, 32767), file.interval);
  const count = pick(int('--count', raw.count, 1, 127), file.count);
  const userTimeout = pick(int('--user-timeout', raw.userTimeout, 0), file.userTimeout);
  const initialDelay = pick(int('--initial-delay', raw.initialDelay, MIN_USEFUL_DELAY_MS), file.initialDelay);
  const keepalive: KeepaliveOptions = {
    ...DEFAULT_OPTIONS,
    onError: pick(oneOf('--on-error', raw.onError, ['project', 'fail', 'log', 'ignore'] as const), file.onError) ?? DEFAULT_OPTIONS.onError,
    toggle: pick(oneOf('--toggle', raw.toggle, ['none', 'env'] as const), file.toggle) ?? DEFAULT_OPTIONS.toggle,
    initialDelayMs: initialDelay ?? DEFAULT_OPTIONS.initialDelayMs,
  };
  if (idle !== undefined) keepalive.idleSeconds = idle;
  if (interval !== undefined) keepalive.intervalSeconds = interval;
  if (count !== undefined) keepalive.count = count;
  if (userTimeout !== undefined) keepalive.userTimeoutMs = userTimeout;
  if (raw.includeVendored) keepalive.includeVendored = true;
  if (raw.includeTests) keepalive.includeTests = true;

  const configDir = configSource ? path.dirname(configSource) : cwd;
  const baseline = raw.baseline !== undefined ? path.resolve(cwd, raw.baseline) : file.baseline !== undefined ? path.resolve(configDir, file.baseline) : undefined;
  const jobs = pick(int('--jobs', raw.jobs, 1, 256), file.jobs);
  const format = pick(oneOf('--format', raw.format, REPORT_FORMATS), file.format) ?? 'text';
  const settings: Settings = {
    paths,
    languages: raw.lang !== undefined ? parseLanguages(raw.lang) : file.lang ?? ['c', 'ts'],
    include: raw.include?.length ? raw.include : file.include ?? [],
    exclude: [...(file.exclude ?? []), ...(raw.exclude ?? [])],
    keepalive,
    updateBaseline: raw.updateBaseline === true,
    quiet: raw.quiet === true,
    timings: raw.timings === true,
    includeCopies: raw.includeCopies === true,
    strict: raw.strict === true,
    color: raw.color !== false,
    dryRun: raw.dryRun === true,
    force: raw.force === true,
    format,
  };
  if (jobs !== undefined) settings.jobs = jobs;
  if (baseline !== undefined) settings.baseline = baseline;
  if (raw.output !== undefined) settings.output = path.resolve(cwd, raw.output);
  if (settings.updateBaseline && !settings.baseline) throw new UsageError('--update-baseline needs --baseline FILE');
  return settings;
}
