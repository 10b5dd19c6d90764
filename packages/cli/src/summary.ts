import type { FileProblem, Site } from '@ka-codemod/core';
import { isFlagged, problemFiles } from '@ka-codemod/core';
import type { Colors } from './colors.js';

export interface RunFigures {
  filesScanned: number;
  sites: readonly Site[];
  problems: readonly FileProblem[];
  filesChanged?: number;
  /** check with a baseline: findings already recorded. */
  baselined?: number;
  elapsedMs: number;
}

/** The closing line every command prints: files scanned, sites by verdict, files changed. */
export function summaryLine(f: RunFigures, c: Colors): string {
  const by = { yes: 0, conditional: 0, no: 0, unknown: 0, 'n/a': 0 };
  for (const s of f.sites) by[s.keepalive]++;
  const flagged = f.sites.filter(isFlagged).length;
  const parts = [
    `${f.filesScanned} file${f.filesScanned === 1 ? '' : 's'} scanned`,
    `${f.sites.length} site${f.sites.length === 1 ? '' : 's'}: ${c.green(`${by.yes} with keepalive`)}, ${c.yellow(`${by.conditional} conditional`)}, ${flagged ? c.red(c.bold(`${flagged} without`)) : '0 without'}${by.unknown ? `, ${c.cyan(`${by.unknown} not followed`)}` : ''}, ${by['n/a']} not TCP`,
  ];
  if (f.baselined) parts.push(`${f.baselined} in baseline`);
  if (f.filesChanged !== undefined) parts.push(`${f.filesChanged} file${f.filesChanged === 1 ? '' : 's'} changed`);
  const { partial, skipped } = problemFiles(f.problems);
  if (skipped) parts.push(c.red(`${skipped} file${skipped === 1 ? '' : 's'} skipped`));
  if (partial) parts.push(c.yellow(`${partial} file${partial === 1 ? '' : 's'} partly parsed`));
  parts.push(`${(f.elapsedMs / 1000).toFixed(1)} s`);
  return parts.join(' · ');
}
