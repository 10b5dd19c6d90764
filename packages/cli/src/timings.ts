import { ENGINE_PHASES, phaseMs } from '@ka-codemod/core';
import type { Context } from './context.js';
import type { ScanResult } from './scan.js';

type Timed = Pick<ScanResult, 'stats' | 'discoveryMs' | 'engineMs' | 'startedAt' | 'endedAt'>;

/**
 * `--timings`: where the time went, phase by phase, one column per engine that ran. The engines'
 * figures come from their stats (core/timings.ts says which keys make which phase); the CLI adds
 * what it measured itself: start-up (Node, the bin, options), discovery, each engine's wall time,
 * the report (rendering, writing, rewriting) and the whole run since the process started.
 */
export function timingsTable(result: Timed, commandStarted: number, now: number): string {
  const languages = Object.keys(result.stats);
  const ms = (n: number | undefined) => (n === undefined ? '' : `${Math.round(n)}`);
  const once = (n: number) => languages.map((_, i) => (i === 0 ? ms(n) : ''));
  const rows: string[][] = [['phase', ...languages.map((l) => `${l} ms`)]];
  rows.push(['start-up', ...once(commandStarted)]);
  rows.push(['discovery', ...once(result.discoveryMs)]);
  for (const phase of ENGINE_PHASES) rows.push([phase.phase, ...languages.map((l) => ms(phaseMs(result.stats[l]!, phase)))]);
  rows.push(['engine (wall)', ...languages.map((l) => ms(result.engineMs[l]))]);
  rows.push(['report', ...once(now - result.endedAt)]);
  rows.push(['total (wall)', ...once(now)]);
  const widths = rows[0]!.map((_, c) => Math.max(...rows.map((r) => r[c]!.length)));
  const lines = rows.map((r) => r.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]!) : cell.padStart(widths[c]!))).join('  ').trimEnd());
  for (const l of languages) {
    const s = result.stats[l]!;
    const counts = [`${s['filesRead'] ?? 0} files read`, `${s['filesParsed'] ?? 0} parsed`];
    if (s['flowFacts'] !== undefined) counts.push(`${s['flowFacts']} flow facts`);
    if ((s['threads'] ?? 1) > 1) counts.push(`${s['threads']} threads (prefilter, parse and facts are summed over them)`);
    lines.push(`${l}: ${counts.join(', ')}`);
  }
  return lines.join('\n');
}

export function printTimings(ctx: Context, result: Timed, commandStarted: number): void {
  ctx.warn(timingsTable(result, commandStarted, performance.now()));
}
