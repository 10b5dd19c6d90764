import { collapseChains, formatRatio, middleboxTimeouts, problemsNote, type AuditReport, type Coverage } from '@ka-codemod/core';
import type { Colors } from '../colors.js';
import { sentences } from '../diagnostics.js';

/** The text report lists at most this many files in its per-file coverage. */
export const TEXT_MAX_FILES = 40;
/**
 * The coverage tables summarise what the site table cannot show at a glance: by file when more
 * files than this hold TCP sites, by directory from more files still.
 */
export const TEXT_FILES_FROM_FILES = 3;
export const TEXT_DIRECTORIES_FROM_FILES = 8;

export interface TextOptions {
  colors: Colors;
  /** Columns the report must fit in: the terminal's width, 80 when stdout is not a terminal. */
  width?: number;
  /** How the audited directory is named in the title (site paths are relative to it); '.' by default. */
  base?: string;
}

/** Where a cell may be broken when its column must shrink: after a separator, else anywhere. */
function splitCell(cell: string, width: number): string[] {
  const out: string[] = [];
  let rest = cell;
  while (rest.length > width) {
    let cut = -1;
    // a space first, then a path or name separator, in the second half of the line
    for (const seps of [' ', '/._,:']) {
      for (let i = width; cut < 0 && i > width / 2; i--) if (seps.includes(rest[i - 1]!) || (seps === ' ' && rest[i] === ' ')) cut = i;
      if (cut >= 0) break;
    }
    if (cut < 0) cut = width;
    out.push(rest.slice(0, cut).trimEnd());
    rest = rest.slice(cut).trimStart();
  }
  out.push(rest);
  return out;
}

/**
 * Lays out rows as aligned columns within `maxWidth`: when the natural widths do not fit, the
 * `shrink` steps narrow one column at a time (column index, narrowest width), in order, and the
 * cells of a narrowed column continue on the next line. Widths come from the plain text; colors
 * are applied after padding. One entry per row: its physical lines.
 */
export function fitTable(
  header: string[],
  rows: string[][],
  maxWidth: number,
  shrink: readonly (readonly [column: number, floor: number])[] = [],
  paint: (row: number, col: number, cell: string) => string = (_r, _c, s) => s,
  gap = 2,
): { head: string[]; rows: string[][] } {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const total = () => widths.reduce((a, b) => a + b, 0) + gap * (widths.length - 1);
  for (const [column, floor] of shrink) {
    const over = total() - maxWidth;
    if (over <= 0) break;
    widths[column] = Math.max(Math.max(floor, header[column]!.length), widths[column]! - over, Math.min(widths[column]!, floor));
  }
  const sep = ' '.repeat(gap);
  const render = (cells: string[], r: number): string[] => {
    const parts = cells.map((cell, i) => splitCell(cell, widths[i]!));
    const height = Math.max(...parts.map((p) => p.length));
    const lines: string[] = [];
    for (let k = 0; k < height; k++) {
      lines.push(
        parts
          .map((p, i) => {
            const piece = p[k] ?? '';
            const shown = piece ? paint(r, i, piece) : '';
            return i === parts.length - 1 ? shown : shown + ' '.repeat(Math.max(0, widths[i]! - piece.length));
          })
          .join(sep)
          .trimEnd(),
      );
    }
    return lines;
  };
  return { head: [...render(header, -1), widths.map((w) => '─'.repeat(w)).join(sep)], rows: rows.map((r, i) => render(r, i)) };
}

/** A whole table, header first, as lines. */
export function table(header: string[], rows: string[][], paint?: (row: number, col: number, cell: string) => string, maxWidth = Number.MAX_SAFE_INTEGER, shrink: readonly (readonly [number, number])[] = []): string[] {
  const t = fitTable(header, rows, maxWidth, shrink, paint);
  return [...t.head, ...t.rows.flat()];
}

/** Words filled into lines of at most `width` columns; `next` indents the lines after the first. */
function wrap(text: string, width: number, indent: string, next = indent): string[] {
  const out: string[] = [];
  let cur = '';
  const lead = () => (out.length === 0 ? indent : next);
  for (const word of text.split(/\s+/)) {
    if (cur && lead().length + cur.length + 1 + word.length > width) {
      out.push(lead() + cur);
      cur = word;
    } else cur = cur ? `${cur} ${word}` : word;
  }
  if (cur) out.push(lead() + cur);
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

/** Narrow the call column first, then the site, before either gets very narrow. */
const SITE_TABLE_SHRINK = [[1, 14], [0, 20], [1, 8], [0, 8]] as const;

/** The call and the function it sits in: "socket in dial", "net.connect" at top level. */
function callCell(call: string, fn: string | null | undefined): string {
  return fn ? `${call} in ${fn}` : call;
}

/** The human-readable audit: a table of every site, then coverage, time to notice and what to do. */
export function renderText(report: AuditReport, options: TextOptions): string {
  const c = options.colors;
  const width = Math.max(60, options.width ?? 80);
  const notices = report.summary.timeToNotice.sites;
  const out: string[] = [];
  const base = options.base && options.base !== '.' ? ` under ${options.base}` : '';
  out.push(...wrap(`ka-codemod audit — ${report.summary.sites} socket creation sites in ${report.summary.filesScanned} files${base}`, width, '').map((l) => c.bold(l)), '');
  if (report.sites.length > 0) {
    const rows = report.sites.map((s, i) => [`${s.file}:${s.line}:${s.column}`, callCell(s.call, s.function), s.tcp, s.keepalive, notices[i]?.text ?? '']);
    const t = fitTable(['SITE', 'CALL', 'TCP', 'KEEPALIVE', 'NOTICED AFTER'], rows, width, SITE_TABLE_SHRINK, (r, col, cell) => {
      if (r === -1) return c.bold(cell);
      if (col === 3) return verdictColor(c, cell)(cell);
      return cell;
    });
    out.push(...t.head);
    report.sites.forEach((s, i) => {
      out.push(...t.rows[i]!);
      const tuning = s.tuning.length ? `Tuned: ${s.tuning.map(shortTuning).join(', ')}` : undefined;
      out.push(...wrap(sentences(s.how, tuning), width, '    ').map((l) => c.dim(l)));
      for (const note of s.notes ?? []) out.push(...wrap(`note: ${note}`, width, '    ').map((l) => c.yellow(l)));
    });
    out.push('');
  }
  const sum = report.summary;
  out.push(c.bold('Summary'));
  const note = problemsNote(report.problems).split(' · ').filter(Boolean).join(', ');
  const field = (name: string, value: string) => out.push(...wrap(value, width, `  ${name.padEnd(19)}`, ' '.repeat(21)));
  field('files scanned', `${sum.filesScanned}${note ? `  (${note})` : ''}`);
  field('sites', `${sum.sites}: keepalive yes ${sum.keepalive.yes}, conditional ${sum.keepalive.conditional}, no ${sum.keepalive.no}, unknown ${sum.keepalive.unknown}, n/a ${sum.keepalive['n/a']}`);
  field('TCP', `yes ${sum.tcp.yes}, maybe ${sum.tcp.maybe}, no ${sum.tcp.no}`);
  field('coverage', coverageLine(sum.coverage.project));
  field('fixable', `${sum.fixable} of ${sum.flagged} sites without keepalive`);
  const files = sum.coverage.files.filter((f) => f.tcpSites > 0);
  const dirs = collapseChains(sum.coverage.directories);
  if (dirs.length > 1 && files.length > TEXT_DIRECTORIES_FROM_FILES) {
    out.push('', c.bold('Coverage by directory'));
    out.push(...table(['DIRECTORY', 'COVERAGE', 'YES', 'COND', 'NO', 'TCP'], dirs.map((d) => [d.directory, formatRatio(d.ratio), `${d.keepalive.yes}`, `${d.keepalive.conditional}`, `${d.flagged}`, `${d.tcpSites}`]), undefined, width - 2, [[0, 12]]).map((l) => `  ${l}`));
  }
  if (files.length > TEXT_FILES_FROM_FILES) {
    // Worst first: the files that need work lead.
    const ranked = [...files].sort((a, b) => b.flagged - a.flagged || (a.ratio ?? 1) - (b.ratio ?? 1) || (a.file < b.file ? -1 : 1));
    out.push('', c.bold('Coverage by file'));
    out.push(...table(['FILE', 'COVERAGE', 'YES', 'COND', 'NO', 'TCP'], ranked.slice(0, TEXT_MAX_FILES).map((f) => [f.file, formatRatio(f.ratio), `${f.keepalive.yes}`, `${f.keepalive.conditional}`, `${f.flagged}`, `${f.tcpSites}`]), undefined, width - 2, [[0, 12]]).map((l) => `  ${l}`));
    if (ranked.length > TEXT_MAX_FILES) out.push(`  …and ${ranked.length - TEXT_MAX_FILES} more files (all of them: --format json or html)`);
  }
  const t = sum.timeToNotice;
  out.push('', c.bold('Time to notice a dead peer'));
  out.push(
    ...wrap(`this machine${t.machine.source === 'proc' ? '' : ' (Linux defaults)'}: idle ${t.machine.idleSeconds} s + ${t.machine.intervalSeconds} s × ${t.machine.probes} probes = ${t.machine.text}`, width, '  ', '    '),
  );
  out.push(...wrap(`load balancers drop idle connections after: ${middleboxTimeouts(t.middleboxes)}`, width, '  ', '    '));
  out.push('', c.bold('Recommendation'), ...wrap(sum.recommendation, width, '  '));
  return `${out.join('\n')}\n`;
}
