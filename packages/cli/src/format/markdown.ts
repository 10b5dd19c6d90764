import { formatRatio, isFlagged, isUnknown, problemsNote, type AuditReport, type Site, type SiteNotice } from '@ka-codemod/core';

/** GitHub caps a comment at 65 536 characters: long tables are cut with a note. */
export const MARKDOWN_MAX_ROWS = 150;

/** Text safe inside a GitHub table cell: no pipes, no line breaks, no stray HTML. */
export function mdCell(text: string): string {
  return text.replace(/\\/g, '\\\\').replace(/\|/g, '\\|').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/\r?\n/g, ' ');
}

function code(text: string): string {
  return `\`${text.replace(/`/g, "'")}\``;
}

const VERDICT_MARK: Record<string, string> = { yes: '✅ yes', conditional: '⚠️ conditional', no: '❌ no', unknown: '❔ unknown', 'n/a': '➖ n/a' };

function siteRows(sites: readonly { site: Site; notice: SiteNotice | undefined }[]): string[] {
  const rows = ['| Site | Function | Call | TCP | Keepalive | Tuning | Noticed after | How |', '| --- | --- | --- | --- | --- | --- | --- | --- |'];
  for (const { site: s, notice } of sites.slice(0, MARKDOWN_MAX_ROWS)) {
    rows.push(
      `| ${code(`${s.file}:${s.line}`)} | ${s.function ? code(s.function) : '—'} | ${code(s.call)} | ${s.tcp} | ${VERDICT_MARK[s.keepalive] ?? s.keepalive} | ${s.tuning.length ? s.tuning.map(code).join(' ') : '—'} | ${notice?.text ?? ''} | ${mdCell([s.how, ...(s.notes ?? []).map((n) => `⚠️ ${n}`)].join(' '))} |`,
    );
  }
  if (sites.length > MARKDOWN_MAX_ROWS) rows.push('', `…and ${sites.length - MARKDOWN_MAX_ROWS} more (see the full report: \`ka-codemod audit --format html\`).`);
  return rows;
}

/** A report sized and shaped for a pull-request comment: the verdict first, details folded. */
export function renderMarkdown(report: AuditReport): string {
  const sum = report.summary;
  const cov = sum.coverage.project;
  const pairs = report.sites.map((site, i) => ({ site, notice: sum.timeToNotice.sites[i] }));
  const flagged = pairs.filter((p) => isFlagged(p.site));
  const conditional = pairs.filter((p) => p.site.keepalive === 'conditional');
  const unknown = pairs.filter((p) => isUnknown(p.site));
  const out: string[] = [];
  out.push('## ka-codemod: TCP keepalive audit', '');
  out.push(
    `**Coverage ${formatRatio(cov.ratio)}** — ${cov.keepalive.yes} of ${cov.tcpSites} TCP sites with keepalive, ${cov.keepalive.conditional} conditional, **${cov.flagged} without**${cov.keepalive.unknown ? `, ${cov.keepalive.unknown} not followed` : ''} (${sum.fixable} fixable) · ${sum.sites} sites in ${sum.filesScanned} files scanned${problemsNote(report.problems)}`,
    '',
  );
  out.push(`> ${mdCell(sum.recommendation)}`, '');
  if (flagged.length) out.push(`### ❌ Without keepalive (${flagged.length})`, '', ...siteRows(flagged), '');
  if (conditional.length) out.push(`### ⚠️ Only when configured (${conditional.length})`, '', ...siteRows(conditional), '');
  if (unknown.length) out.push(`### ❔ Not followed (${unknown.length})`, '', ...siteRows(unknown), '');
  const dirs = sum.coverage.directories.filter((d) => d.tcpSites > 0);
  if (dirs.length > 0) {
    out.push('<details><summary>Coverage by directory</summary>', '');
    out.push('| Directory | Coverage | Yes | Conditional | No | TCP sites |', '| --- | ---: | ---: | ---: | ---: | ---: |');
    for (const d of dirs.slice(0, MARKDOWN_MAX_ROWS)) out.push(`| ${code(d.directory)} | ${formatRatio(d.ratio)} | ${d.keepalive.yes} | ${d.keepalive.conditional} | ${d.flagged} | ${d.tcpSites} |`);
    out.push('', '</details>', '');
  }
  const files = sum.coverage.files.filter((f) => f.tcpSites > 0);
  if (files.length > 0) {
    out.push('<details><summary>Coverage by file</summary>', '');
    out.push('| File | Coverage | Yes | Conditional | No | TCP sites |', '| --- | ---: | ---: | ---: | ---: | ---: |');
    for (const f of files.slice(0, MARKDOWN_MAX_ROWS)) out.push(`| ${code(f.file)} | ${formatRatio(f.ratio)} | ${f.keepalive.yes} | ${f.keepalive.conditional} | ${f.flagged} | ${f.tcpSites} |`);
    if (files.length > MARKDOWN_MAX_ROWS) out.push('', `…and ${files.length - MARKDOWN_MAX_ROWS} more files.`);
    out.push('', '</details>', '');
  }
  if (pairs.length > 0) out.push(`<details><summary>All ${pairs.length} sites</summary>`, '', ...siteRows(pairs), '', '</details>', '');
  const t = sum.timeToNotice;
  out.push(
    `<sub>Time to notice a dead peer = idle + interval × probes; where a site sets no tuning, this machine's timers apply: ${t.machine.idleSeconds} s + ${t.machine.intervalSeconds} s × ${t.machine.probes} = ${t.machine.text}. ` +
      `Load balancers drop idle connections after ${t.middleboxes.map((m) => `${m.stated} (${m.name})`).join(', ')}.</sub>`,
  );
  return `${out.join('\n')}\n`;
}
