import { formatRatio, type AuditReport, type Coverage } from '@ka-codemod/core';
import type { Colors } from '../colors.js';
import { problemsNote } from './markdown.js';

/** The text report lists at most this many files in its per-file coverage. */
export const TEXT_MAX_FILES = 40;

export interface TextOptions {
  colors: Colors;
  /** Terminal width for wrapping `how`; 100 when not a TTY. */
  width?: number;
}

/** Lays out rows as aligned columns; widths come from the plain text, colors are applied after padding. */
export function table(header: string[], rows: string[][], paint: (row: number, col: number, cell: string) => string = (_r, _c, s) => s): string[] {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[], r: number) =>
    cells
      .map((cell, i) => (i === cells.length - 1 ? paint(r, i, cell) : paint(r, i, cell) + ' '.repeat(Math.max(0, widths[i]! - cell.length))))
      .join('  ')
      .trimEnd();
  return [line(header, -1), widths.map((w) => '─'.repeat(w)).join('  '), ...rows.map((r, i) => line(r, i))];
}

function wrap(text: string, width: number, indent: string): string[] {
  const out: string[] = [];
  let cur = '';
  for (const word of text.split(/\s+/)) {
    if (cur && indent.length + cur.length + 1 + word.length > width) {
      out.push(indent + cur);
      cur = word;
    } else cur = cur ? `${cur} ${word}` : word;
  }
  if (cur) out.push(indent + cur);
  return out;
}

/** TCP_KEEPIDLE → KEEPIDLE: the table stays narrow; the JSON keeps the full names. */
export function shortTuning(option: string): string {
  return option === 'keepAliveInitialDelay' ? 'initialDelay' : option.replace(/^TCP_/, '');
}

export function verdictColor(c: Colors, verdict: string): (s: string) => string {
  if (verdict === 'no') return (s) => c.red(c.bold(s));
  if (verdict === 'conditional') return c.yellow;
  if (verdict === 'yes') return c.green;
  if (verdict === 'unknown') return c.cyan;
  return c.dim;
}

export function coverageLine(cov: Coverage): string {
  return `${formatRatio(cov.ratio)} (${cov.keepalive.yes}/${cov.tcpSites} TCP sites with keepalive; ${cov.keepalive.conditional} conditional, ${cov.flagged} without)`;
}

/** The human-readable audit: a table of every site, then coverage, time to notice and what to do. */
export function renderText(report: AuditReport, options: TextOptions): string {
  const c = options.colors;
  const width = Math.max(60, options.width ?? 100);
  const notices = report.summary.timeToNotice.sites;
  const out: string[] = [];
  out.push(c.bold(`ka-codemod audit — ${report.summary.sites} socket creation sites in ${report.summary.filesScanned} files`), '');
  if (report.sites.length > 0) {
    const rows = report.sites.map((s, i) => [
      `${s.file}:${s.line}:${s.column}`,
      s.function ?? '(top level)',
      s.call,
      s.tcp,
      s.keepalive,
      s.tuning.length ? s.tuning.map(shortTuning).join(',') : '-',
      notices[i]?.text ?? '',
    ]);
    const lines = table(['SITE', 'FUNCTION', 'CALL', 'TCP', 'KEEPALIVE', 'TUNING', 'NOTICED AFTER'], rows, (r, col, cell) => {
      if (r === -1) return c.bold(cell);
      if (col === 4) return verdictColor(c, cell)(cell);
      return cell;
    });
    out.push(lines[0]!, lines[1]!);
    report.sites.forEach((s, i) => {
      out.push(lines[i + 2]!);
      out.push(...wrap(s.how, width, '    ').map((l) => c.dim(l)));
      for (const note of s.notes ?? []) out.push(...wrap(`note: ${note}`, width, '    ').map((l) => c.yellow(l)));
    });
    out.push('');
  }
  const sum = report.summary;
  out.push(c.bold('Summary'));
  const note = problemsNote(report).split(' · ').filter(Boolean).join(', ');
  out.push(`  files scanned      ${sum.filesScanned}${note ? `  (${note})` : ''}`);
  out.push(`  sites              ${sum.sites}: keepalive yes ${sum.keepalive.yes}, conditional ${sum.keepalive.conditional}, no ${sum.keepalive.no}, unknown ${sum.keepalive.unknown}, n/a ${sum.keepalive['n/a']}`);
  out.push(`  TCP                yes ${sum.tcp.yes}, maybe ${sum.tcp.maybe}, no ${sum.tcp.no}`);
  out.push(`  coverage           ${coverageLine(sum.coverage.project)}`);
  out.push(`  fixable            ${sum.fixable} of ${sum.flagged} sites without keepalive`);
  const dirs = sum.coverage.directories.filter((d) => d.tcpSites > 0);
  if (dirs.length > 1) {
    out.push('', c.bold('Coverage by directory'));
    out.push(...table(['DIRECTORY', 'COVERAGE', 'YES', 'COND', 'NO', 'TCP'], dirs.map((d) => [d.directory, formatRatio(d.ratio), `${d.keepalive.yes}`, `${d.keepalive.conditional}`, `${d.flagged}`, `${d.tcpSites}`])).map((l) => `  ${l}`));
  }
  const files = sum.coverage.files.filter((f) => f.tcpSites > 0);
  if (files.length > 1) {
    // Worst first: the files that need work lead.
    const ranked = [...files].sort((a, b) => b.flagged - a.flagged || (a.ratio ?? 1) - (b.ratio ?? 1) || (a.file < b.file ? -1 : 1));
    out.push('', c.bold('Coverage by file'));
    out.push(...table(['FILE', 'COVERAGE', 'YES', 'COND', 'NO', 'TCP'], ranked.slice(0, TEXT_MAX_FILES).map((f) => [f.file, formatRatio(f.ratio), `${f.keepalive.yes}`, `${f.keepalive.conditional}`, `${f.flagged}`, `${f.tcpSites}`])).map((l) => `  ${l}`));
    if (ranked.length > TEXT_MAX_FILES) out.push(`  …and ${ranked.length - TEXT_MAX_FILES} more files (all of them: --format json or html)`);
  }
  const t = sum.timeToNotice;
  out.push('', c.bold('Time to notice a dead peer'));
  out.push(
    `  this machine (${t.machine.source === 'proc' ? '/proc/sys/net/ipv4' : 'Linux defaults'}): idle ${t.machine.idleSeconds} s + ${t.machine.intervalSeconds} s × ${t.machine.probes} probes = ${t.machine.text}`,
  );
  out.push(`  load balancers drop idle connections after: ${t.middleboxes.map((m) => `${m.name} ${m.stated}`).join(', ')}`);
  out.push('', c.bold('Recommendation'), ...wrap(sum.recommendation, width, '  '));
  return `${out.join('\n')}\n`;
}
