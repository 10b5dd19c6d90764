import { collapseChains, formatRatio, type AuditReport, type Coverage } from '@ka-codemod/core';

export function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
}

/** A path that may wrap after each `/` in a narrow column, and nowhere else. */
export function breakablePath(file: string): string {
  return file.split('/').map(escapeHtml).join('/<wbr>');
}

/** How many directory bars the chart shows; the rest are in the directory table. */
export const CHART_MAX_BARS = 25;

const COLORS = { yes: '#2e7d32', conditional: '#f9a825', no: '#c62828', unknown: '#78909c', empty: '#e0e0e0' };

/** Horizontal stacked bars (keepalive yes / conditional / no over TCP sites), one per directory: inline SVG, no script. */
export function coverageChart(rows: readonly { label: string; cov: Coverage }[]): string {
  const barH = 18;
  const gap = 8;
  const labelW = 260;
  const barW = 420;
  const height = rows.length * (barH + gap) + 30;
  const parts: string[] = [];
  rows.forEach(({ label, cov }, i) => {
    const y = i * (barH + gap);
    const total = Math.max(cov.tcpSites, 1);
    let x = labelW;
    parts.push(`<text x="${labelW - 8}" y="${y + 13}" text-anchor="end">${escapeHtml(label.length > 38 ? `…${label.slice(-37)}` : label)}</text>`);
    parts.push(`<rect x="${labelW}" y="${y}" width="${barW}" height="${barH}" fill="${COLORS.empty}"/>`);
    for (const k of ['yes', 'conditional', 'no', 'unknown'] as const) {
      const n = k === 'no' ? cov.flagged : cov.keepalive[k];
      if (n === 0) continue;
      const w = (n / total) * barW;
      parts.push(`<rect class="bar-${k}" x="${x.toFixed(1)}" y="${y}" width="${w.toFixed(1)}" height="${barH}" fill="${COLORS[k]}"><title>${escapeHtml(label)}: ${n} ${k}</title></rect>`);
      x += w;
    }
    parts.push(`<text x="${labelW + barW + 8}" y="${y + 13}">${formatRatio(cov.ratio)} of ${cov.tcpSites}</text>`);
  });
  const ly = rows.length * (barH + gap) + 8;
  const legend = (['yes', 'conditional', 'no', 'unknown'] as const)
    .map((k, i) => `<rect x="${labelW + i * 160}" y="${ly}" width="12" height="12" fill="${COLORS[k]}"/><text x="${labelW + i * 160 + 18}" y="${ly + 11}">keepalive ${k}</text>`)
    .join('');
  return `<svg xmlns="http://www.w3.org/2000/svg" role="img" aria-label="Keepalive coverage by directory" width="${labelW + barW + 110}" height="${height}" viewBox="0 0 ${labelW + barW + 110} ${height}" font-family="system-ui, sans-serif" font-size="12">${parts.join('')}${legend}</svg>`;
}

const STYLE = `
body{font-family:system-ui,-apple-system,"Segoe UI",sans-serif;margin:2rem;color:#1b1b1b;background:#fff;line-height:1.4}
h1{font-size:1.5rem;margin:0 0 .5rem}h2{font-size:1.15rem;margin-top:2rem}
.cards{display:flex;gap:1rem;flex-wrap:wrap;margin:1rem 0}
.card{border:1px solid #ddd;border-radius:6px;padding:.6rem 1rem;min-width:8rem}
.card b{display:block;font-size:1.6rem}
.rec{background:#fff8e1;border-left:4px solid #f9a825;padding:.6rem 1rem}
table{border-collapse:collapse;width:100%;font-size:.85rem}
th,td{border-bottom:1px solid #e5e5e5;padding:.35rem .4rem;text-align:left;vertical-align:top}
th.num{text-align:right}
th{background:#f5f5f5;position:sticky;top:0}
th button{all:unset;cursor:pointer;font-weight:600}
th button::after{content:" ⇅";color:#999}
td.num{text-align:right;font-variant-numeric:tabular-nums}
td code{display:inline-block;max-width:16rem;overflow-wrap:break-word}
td.how{min-width:14rem}
#sites td:first-child{min-width:12rem}
#sites td:first-child code{max-width:none}
code{font-family:ui-monospace,Menlo,Consolas,monospace;font-size:.85em}
.v-no{color:#c62828;font-weight:600}.v-conditional{color:#9a6700}.v-unknown{color:#546e7a}.v-yes{color:#2e7d32}.v-na{color:#777}
em.note{color:#9a6700}
footer{margin-top:2rem;color:#666;font-size:.8rem}
`;

// Progressive enhancement: without JavaScript the table is complete and readable; with it, headers sort.
const SORT_SCRIPT = `
document.querySelectorAll('table.sortable').forEach(function(table){
  table.querySelectorAll('th').forEach(function(th, col){
    var b=document.createElement('button');b.textContent=th.textContent;th.textContent='';th.appendChild(b);
    b.addEventListener('click',function(){
      var body=table.tBodies[0],rows=Array.prototype.slice.call(body.rows);
      var dir=th.getAttribute('aria-sort')==='ascending'?-1:1;
      table.querySelectorAll('th').forEach(function(h){h.removeAttribute('aria-sort')});
      th.setAttribute('aria-sort',dir===1?'ascending':'descending');
      rows.sort(function(x,y){
        var a=x.cells[col].getAttribute('data-sort')||x.cells[col].textContent,c=y.cells[col].getAttribute('data-sort')||y.cells[col].textContent;
        var na=parseFloat(a),nc=parseFloat(c);
        if(!isNaN(na)&&!isNaN(nc)&&String(na)===a&&String(nc)===c)return (na-nc)*dir;
        return a.localeCompare(c,undefined,{numeric:true})*dir;
      });
      rows.forEach(function(r){body.appendChild(r)});
    });
  });
});
`;

/** Number columns: right-aligned like their cells, so each figure sits under its own header. */
const COVERAGE_HEADERS = ['Coverage', 'Yes', 'Conditional', 'No', 'TCP sites'].map((h) => `<th class="num">${h}</th>`).join('');

const VERDICT_ORDER: Record<string, number> = { no: 0, unknown: 1, conditional: 2, yes: 3, 'n/a': 4 };

/** One self-contained page (no network: a CSP forbids it) with a coverage chart and a sortable site table. */
export function renderHtml(report: AuditReport, title = 'ka-codemod keepalive audit'): string {
  const sum = report.summary;
  const cov = sum.coverage.project;
  // weechat, weechat/weechat-3.8, weechat/weechat-3.8/src: a chain of single children is one row
  const dirs = collapseChains(sum.coverage.directories);
  const chartRows = [
    { label: 'whole project', cov },
    ...dirs
      // the root's chain holds every TCP site: that is the whole project's bar
      .filter((d) => d.directory !== '.' && d.tcpSites !== cov.tcpSites)
      .sort((a, b) => b.flagged - a.flagged || b.tcpSites - a.tcpSites || (a.directory < b.directory ? -1 : 1))
      .slice(0, CHART_MAX_BARS - 1)
      .map((d) => ({ label: d.directory, cov: d as Coverage })),
  ];
  const notices = sum.timeToNotice.sites;
  const siteRows = report.sites
    .map((s, i) => {
      const n = notices[i];
      const vclass = s.keepalive === 'n/a' ? 'v-na' : `v-${s.keepalive}`;
      return (
        `<tr data-verdict="${escapeHtml(s.keepalive)}">` +
        `<td data-sort="${escapeHtml(`${s.file}:${String(s.line).padStart(8, '0')}`)}"><code>${breakablePath(s.file)}:${s.line}:${s.column}</code></td>` +
        `<td><code>${escapeHtml(s.function ?? '—')}</code></td>` +
        `<td><code>${escapeHtml(s.call)}</code></td>` +
        `<td>${escapeHtml(s.tcp)}</td>` +
        `<td class="${vclass}" data-sort="${VERDICT_ORDER[s.keepalive] ?? 9}">${escapeHtml(s.keepalive)}</td>` +
        `<td>${s.tuning.length ? s.tuning.map((t) => `<code>${escapeHtml(t)}</code>`).join(' ') : '—'}</td>` +
        `<td class="num" data-sort="${n?.seconds ?? (n?.rating === 'never' ? 1e12 : 2e12)}" title="${escapeHtml(n?.recommendation ?? '')}">${escapeHtml(n?.text ?? '')}</td>` +
        `<td>${s.fixable ? 'yes' : 'no'}</td>` +
        `<td class="how">${escapeHtml(s.how)}${(s.notes ?? []).map((n) => `<br><em class="note">${escapeHtml(n)}</em>`).join('')}</td>` +
        `</tr>`
      );
    })
    .join('\n');
  const dirRows = dirs
    .map(
      (d) =>
        `<tr><td><code>${escapeHtml(d.directory)}</code></td><td class="num" data-sort="${d.ratio ?? -1}">${formatRatio(d.ratio)}</td><td class="num">${d.keepalive.yes}</td><td class="num">${d.keepalive.conditional}</td><td class="num">${d.flagged}</td><td class="num">${d.tcpSites}</td></tr>`,
    )
    .join('\n');
  const fileRows = sum.coverage.files
    .filter((f) => f.tcpSites > 0)
    .map(
      (f) =>
        `<tr><td><code>${escapeHtml(f.file)}</code></td><td class="num" data-sort="${f.ratio ?? -1}">${formatRatio(f.ratio)}</td><td class="num">${f.keepalive.yes}</td><td class="num">${f.keepalive.conditional}</td><td class="num">${f.flagged}</td><td class="num">${f.tcpSites}</td></tr>`,
    )
    .join('\n');
  const problems = report.problems.length
    ? `<h2>Files skipped or partly analysed (${report.problems.length})</h2><ul>${report.problems.map((p) => `<li><code>${escapeHtml(p.file)}</code>: ${escapeHtml(p.message)}</li>`).join('')}</ul>`
    : '';
  const t = sum.timeToNotice;
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:">
<title>${escapeHtml(title)}</title>
<style>${STYLE}</style>
</head>
<body>
<h1>${escapeHtml(title)}</h1>
<div class="cards">
<div class="card"><b>${formatRatio(cov.ratio)}</b>coverage</div>
<div class="card"><b>${cov.tcpSites}</b>TCP sites</div>
<div class="card"><b class="v-no">${cov.flagged}</b>without keepalive</div>
<div class="card"><b class="v-conditional">${cov.keepalive.conditional}</b>conditional</div>
<div class="card"><b class="v-unknown">${cov.keepalive.unknown}</b>not followed</div>
<div class="card"><b>${sum.sites}</b>sites in ${sum.filesScanned} files</div>
</div>
<p class="rec">${escapeHtml(sum.recommendation)}</p>
<h2>Coverage</h2>
<figure>${coverageChart(chartRows)}</figure>
<h2>Sites (${report.sites.length})</h2>
<table id="sites" class="sortable">
<thead><tr><th>Site</th><th>Function</th><th>Call</th><th>TCP</th><th>Keepalive</th><th>Tuning</th><th class="num">Noticed after</th><th>Fixable</th><th>How</th></tr></thead>
<tbody>
${siteRows}
</tbody>
</table>
<h2>Coverage by directory</h2>
<table id="directories" class="sortable">
<thead><tr><th>Directory</th>${COVERAGE_HEADERS}</tr></thead>
<tbody>
${dirRows}
</tbody>
</table>
<h2>Coverage by file</h2>
<table id="files" class="sortable">
<thead><tr><th>File</th>${COVERAGE_HEADERS}</tr></thead>
<tbody>
${fileRows}
</tbody>
</table>
<h2>Time to notice a dead peer</h2>
<p>Idle + interval × probes. Where a site sets no tuning, the auditing machine's timers apply (${t.machine.source === 'proc' ? '/proc/sys/net/ipv4' : 'Linux defaults'}):
${t.machine.idleSeconds} s + ${t.machine.intervalSeconds} s × ${t.machine.probes} = <b>${escapeHtml(t.machine.text)}</b>.
Load balancers drop idle connections after ${t.middleboxes.map((m) => `${escapeHtml(m.stated)} (${escapeHtml(m.name)})`).join(', ')}: the first probe must come sooner.</p>
${problems}
<footer>Generated by ka-codemod. Sites are relative to the audited directory.</footer>
<script>${SORT_SCRIPT}</script>
</body>
</html>
`;
}
