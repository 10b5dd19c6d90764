import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { isFlagged, type Site } from '@ka-codemod/core';
import { UsageError } from './io.js';

/**
 * A recorded finding. Matching never relies on the line number (code above it moves), but on
 * what stays put: the file, the enclosing function, the call and the text of the call's line.
 */
export interface BaselineFinding {
  file: string;
  function: string | null;
  call: string;
  language: string;
  /** The source line, whitespace collapsed. */
  snippet: string;
  /** Informational only. */
  line: number;
}

export interface BaselineFile {
  version: 1;
  tool: 'ka-codemod';
  findings: BaselineFinding[];
}

export function normalizeSnippet(text: string): string {
  return text.trim().replace(/\s+/g, ' ');
}

/** Reads site lines from disk once per file; a file that cannot be read gives empty snippets. */
export function snippetReader(root: string): (site: Pick<Site, 'file' | 'line'>) => string {
  const cache = new Map<string, string[]>();
  return (site) => {
    let lines = cache.get(site.file);
    if (!lines) {
      try {
        lines = readFileSync(path.join(root, site.file), 'latin1').split(/\r?\n/);
      } catch {
        lines = [];
      }
      cache.set(site.file, lines);
    }
    return normalizeSnippet(lines[site.line - 1] ?? '');
  };
}

export function toFinding(site: Site, snippet: string): BaselineFinding {
  return { file: site.file, function: site.function, call: site.call, language: site.language, snippet, line: site.line };
}

/** Stable id of a finding for SARIF partialFingerprints: no line number in it. */
export function fingerprint(f: Omit<BaselineFinding, 'line'>): string {
  return createHash('sha256').update([f.language, f.file, f.function ?? '', f.call, f.snippet].join('\0')).digest('hex').slice(0, 32);
}

type Key = (f: BaselineFinding) => string;

/**
 * Which current findings are new. Each baseline entry absorbs at most one current finding, tried
 * from the strictest key to the loosest: same file+function+call+line text; same file+function+call
 * (the line was edited); same function+call+line text (the file was renamed or moved).
 */
export function newFindings(current: readonly BaselineFinding[], baseline: readonly BaselineFinding[]): boolean[] {
  const keys: Key[] = [
    (f) => [f.language, f.file, f.function ?? '', f.call, f.snippet].join('\0'),
    (f) => [f.language, f.file, f.function ?? '', f.call].join('\0'),
    (f) => [f.language, f.function ?? '', f.call, f.snippet].join('\0'),
  ];
  const isNew = current.map(() => true);
  const used = baseline.map(() => false);
  for (const key of keys) {
    const pool = new Map<string, number[]>();
    baseline.forEach((b, i) => {
      if (used[i]) return;
      const k = key(b);
      pool.set(k, [...(pool.get(k) ?? []), i]);
    });
    // Nearest recorded line first, so two identical calls in one function keep their pairing.
    current.forEach((c, i) => {
      if (!isNew[i]) return;
      const candidates = pool.get(key(c));
      if (!candidates?.length) return;
      candidates.sort((a, b) => Math.abs(baseline[a]!.line - c.line) - Math.abs(baseline[b]!.line - c.line));
      const j = candidates.shift()!;
      used[j] = true;
      isNew[i] = false;
    });
  }
  return isNew;
}

export function flaggedFindings(sites: readonly Site[], snippet: (s: Site) => string): { site: Site; finding: BaselineFinding }[] {
  return sites.filter(isFlagged).map((site) => ({ site, finding: toFinding(site, snippet(site)) }));
}

export function serializeBaseline(findings: readonly BaselineFinding[]): string {
  const file: BaselineFile = { version: 1, tool: 'ka-codemod', findings: [...findings] };
  return `${JSON.stringify(file, null, 2)}\n`;
}

export function parseBaseline(text: string, source: string): BaselineFile {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new UsageError(`baseline ${source} is not valid JSON: ${(error as Error).message}`);
  }
  const file = json as Partial<BaselineFile>;
  const valid =
    file?.version === 1 &&
    Array.isArray(file.findings) &&
    file.findings.every((f) => typeof f?.file === 'string' && typeof f.call === 'string' && typeof f.snippet === 'string' && typeof f.line === 'number');
  if (!valid) throw new UsageError(`baseline ${source} is not a ka-codemod baseline (version 1)`);
  return file as BaselineFile;
}
