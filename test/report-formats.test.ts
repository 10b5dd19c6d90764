import { describe, expect, it } from 'vitest';
import { buildAuditReport, type Site } from '@ka-codemod/core';
import { colorsFor } from '../packages/cli/src/colors.js';
import { renderJson, renderMarkdown, renderText } from '../packages/cli/src/index.js';
import { MARKDOWN_MAX_ROWS, mdCell } from '../packages/cli/src/format/markdown.js';
import { sampleReport, sampleSites, SAMPLE_ROOT } from './report-sample.js';

const plain = colorsFor(false);

describe('text report', () => {
  const text = renderText(sampleReport(), { colors: plain, width: 100 });
  it('lists every site with file, call and function, TCP class, verdict, time to notice, how and tuning', () => {
    expect(text).toMatch(/^ka-codemod audit — 5 socket creation sites in 6 files\n/);
    expect(text).toMatch(/src\/net\/server\.c:10:14\s+accept4 in serve\s+yes\s+yes\s+12 min 15 s\n {4}listener set up in listen_on/);
    expect(text).toMatch(/\n {4}listener set up in listen_on has SO_KEEPALIVE and TCP_KEEPIDLE \(inherited\)\. Tuned: KEEPIDLE\.\n {4}note: macOS does not inherit TCP_KEEPALIVE\n/);
    expect(text).toMatch(/src\/ipc\.c:7:14\s+socket\s+no\s+n\/a\s+n\/a\n/);
  });
  it('ends with coverage, machine timers and a recommendation', () => {
    expect(text).toMatch(/files scanned {6}6 \(1 file partly parsed\)\n/);
    expect(text).toMatch(/coverage {11}25 % \(1\/4 TCP sites with keepalive; 1 conditional, 2 without\)/);
    expect(text).toMatch(/this machine \(Linux defaults\): idle 7200 s \+ 75 s × 9 probes = 2 h 11 min 15 s/);
    expect(text).toMatch(/Recommendation\n {2}2 of 4 TCP sites have no keepalive, so a dead peer is never noticed by TCP/);
  });
  it('ranks files and directories by what needs work once the project is larger than the site table', () => {
    // 4 files with TCP sites in the sample: the site table is the summary
    expect(text).not.toMatch(/Coverage by/);
    const many: Site[] = [];
    for (let i = 0; i < 12; i++) many.push({ ...sampleSites()[1]!, file: `src/m${i % 3}/f${i}.c`, keepalive: i < 4 ? 'yes' : 'no' });
    const big = renderText(buildAuditReport({ rootDir: SAMPLE_ROOT, sites: many, problems: [], filesScanned: 12, machine: { idleSeconds: 7200, intervalSeconds: 75, probes: 9, source: 'proc' } }), { colors: plain, width: 80 });
    // the root holds only what src holds: one row
    expect(big).toMatch(/Coverage by directory\n.*\n.*\n {2}src\s+33 %.*\n {2}src\/m0\s+50 %/);
    expect(big).toMatch(/Coverage by file\n.*\n.*\n {2}src\/m0\/f6\.c\s+0 %/);
  });
  it('fits the width: 80 columns, long paths and calls wrapped in their column', () => {
    const long: Site[] = sampleSites().map((s) => ({ ...s, file: `packages/server/src/transport/very/deeply/nested/${s.file}` }));
    const report = buildAuditReport({ rootDir: SAMPLE_ROOT, sites: long, problems: [], filesScanned: 6, machine: { idleSeconds: 7200, intervalSeconds: 75, probes: 9, source: 'proc' } });
    for (const width of [80, 100]) {
      const out = renderText(report, { colors: plain, width });
      for (const line of out.split('\n')) expect(line.length, line).toBeLessThanOrEqual(width);
    }
    for (const line of text.split('\n')) expect(line.length).toBeLessThanOrEqual(100);
    expect(renderText(report, { colors: plain, width: 80 })).toMatch(/\npackages\/server\/src\/\s+.*\n\S*/);
  });
});

describe('JSON report', () => {
  it('is the contract: version, root, sites, summary, problems', () => {
    const json = JSON.parse(renderJson(sampleReport()));
    expect(Object.keys(json)).toEqual(['version', 'root', 'sites', 'summary', 'problems']);
    expect(json.sites[1].fix.path).toBe('src/net/client.c');
    expect(json.problems).toEqual([{ file: 'src/broken.c', kind: 'parse-error', message: 'src/broken.c: syntax error', line: 12 }]);
  });
});

describe('Markdown report (for a pull-request comment)', () => {
  const md = renderMarkdown(sampleReport());
  it('leads with the verdict, lists what needs work, folds the rest', () => {
    expect(md).toMatch(/^## ka-codemod: TCP keepalive audit\n\n\*\*Coverage 25 %\*\* — 1 of 4 TCP sites with keepalive, 1 conditional, \*\*2 without\*\* \(2 fixable\)/);
    expect(md).toMatch(/5 sites in 6 files scanned · 1 file partly parsed\n/);
    expect(md).toMatch(/### ❌ Without keepalive \(2\)\n\n\| Site \|/);
    expect(md).toMatch(/### ⚠️ Only when configured \(1\)/);
    expect(md).toMatch(/<details><summary>All 5 sites<\/summary>/);
    expect(md).toMatch(/<details><summary>Coverage by directory<\/summary>/);
    expect(md).toMatch(/<details><summary>Coverage by file<\/summary>\n\n.*\n.*\n\| `src\/net\/client\.c` \| 0 % \|/);
  });
  it('shows site notes beside the evidence', () => {
    expect(md).toMatch(/\(inherited\) ⚠️ macOS does not inherit TCP_KEEPALIVE \|/);
  });
  it('keeps table cells intact: pipes and angle brackets escaped', () => {
    expect(mdCell('a | b <c>\nd')).toBe('a \\| b &lt;c&gt; d');
    const row = md.split('\n').find((l) => l.includes('listen_on'))!;
    expect(row.split(/(?<!\\)\|/).length - 2).toBe(8);
  });
  it('stays under GitHub\'s comment limit on a big project', () => {
    const many: Site[] = [];
    for (let i = 0; i < 2000; i++) many.push({ ...sampleSites()[0]!, line: i + 1, file: `src/m${i % 40}/f${i}.c` });
    const big = renderMarkdown(buildAuditReport({ rootDir: SAMPLE_ROOT, sites: many, problems: [], filesScanned: 2000, machine: { idleSeconds: 7200, intervalSeconds: 75, probes: 9, source: 'proc' } }));
    expect(big.length).toBeLessThan(65_536);
    expect(big).toMatch(new RegExp(`…and ${2000 - MARKDOWN_MAX_ROWS} more`));
  });
});
