import { describe, expect, it } from 'vitest';
import { buildAuditReport, type Site } from '@ka-codemod/core';
import { colorsFor } from '../packages/cli/src/colors.js';
import { renderJson, renderMarkdown, renderText } from '../packages/cli/src/index.js';
import { MARKDOWN_MAX_ROWS, mdCell } from '../packages/cli/src/format/markdown.js';
import { sampleReport, sampleSites, SAMPLE_ROOT } from './report-sample.js';

const plain = colorsFor(false);

describe('text report', () => {
  const text = renderText(sampleReport(), { colors: plain, width: 100 });
  it('lists every site with file, function, call, TCP class, verdict, tuning, time to notice and how', () => {
    expect(text).toMatch(/^ka-codemod audit — 5 socket creation sites in 6 files\n/);
    expect(text).toMatch(/src\/net\/server\.c:10:14\s+serve\s+accept4\s+yes\s+yes\s+KEEPIDLE\s+12 min 15 s\n {4}listener set up in listen_on/);
    expect(text).toMatch(/\n {4}listener set up in listen_on has SO_KEEPALIVE and TCP_KEEPIDLE \(inherited\)\n {4}note: macOS does not inherit TCP_KEEPALIVE\n/);
    expect(text).toMatch(/src\/ipc\.c:7:14\s+\(top level\)\s+socket\s+no\s+n\/a\s+-\s+n\/a/);
  });
  it('ends with coverage (project and directories), machine timers and a recommendation', () => {
    expect(text).toMatch(/files scanned {6}6  \(1 file partly parsed\)\n/);
    expect(text).toMatch(/coverage {11}25 % \(1\/4 TCP sites with keepalive; 1 conditional, 2 without\)/);
    expect(text).toMatch(/\n {2}src\/net\s+33 %\s+1\s+1\s+1\s+3\n/);
    expect(text).toMatch(/this machine \(Linux defaults\): idle 7200 s \+ 75 s × 9 probes = 2 h 11 min 15 s/);
    expect(text).toMatch(/Recommendation\n {2}2 of 4 TCP sites have no keepalive/);
  });
  it('ranks files by what needs work', () => {
    expect(text).toMatch(/Coverage by file\n.*\n.*\n {2}src\/net\/client\.c\s+0 %\s+0\s+0\s+1\s+1\n {2}web\/client\.ts\s+0 %/);
  });
  it('wraps long evidence to the width', () => {
    for (const line of text.split('\n')) if (line.startsWith('    ')) expect(line.length).toBeLessThanOrEqual(100);
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
