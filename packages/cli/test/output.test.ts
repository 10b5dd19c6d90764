import { describe, expect, it } from 'vitest';
import type { Site } from '@ka-codemod/core';
import { colorEnabled, colorsFor } from '../src/colors.js';
import { diagnosticLine, findingMessage, problemLine } from '../src/diagnostics.js';
import { inGitHubActions, workflowCommand } from '../src/github-actions.js';
import { createProgress, PROGRESS_DELAY_MS } from '../src/progress.js';
import { summaryLine } from '../src/summary.js';
import { colorizeDiff, decode, unifiedDiff } from '../src/unified-diff.js';

const plain = colorsFor(false);
const site = (over: Partial<Site>): Site => ({
  file: 'net/a.c', line: 3, column: 9, endLine: 3, endColumn: 15, language: 'c', call: 'socket', function: 'dial', tcp: 'yes', keepalive: 'no',
  how: 'never set', tuning: [], errorHandler: 'n/a', fixable: true, ...over,
});

describe('colors', () => {
  it('only on a TTY; NO_COLOR and --no-color turn them off; FORCE_COLOR turns them on', () => {
    expect(colorEnabled({ write() {}, isTTY: true }, {}, true)).toBe(true);
    expect(colorEnabled({ write() {} }, {}, true)).toBe(false);
    expect(colorEnabled({ write() {}, isTTY: true }, { NO_COLOR: '1' }, true)).toBe(false);
    expect(colorEnabled({ write() {}, isTTY: true }, { NO_COLOR: '' }, true)).toBe(true);
    expect(colorEnabled({ write() {}, isTTY: true }, {}, false)).toBe(false);
    expect(colorEnabled({ write() {} }, { FORCE_COLOR: '1' }, true)).toBe(true);
  });
});

describe('gcc-style lines', () => {
  it('file:line:col: warning: message [rule], relative to the working directory', () => {
    expect(diagnosticLine(site({}), '/p/src', '/p', plain)).toBe('src/net/a.c:3:9: warning: socket() in dial creates a TCP socket without keepalive: never set [tcp-keepalive-missing]');
    expect(diagnosticLine(site({ fixable: false, function: null }), '/p', '/p', plain)).toBe('net/a.c:3:9: warning: socket() creates a TCP socket without keepalive: never set (not rewritable automatically) [tcp-keepalive-missing]');
    expect(diagnosticLine(site({ keepalive: 'conditional' }), '/p', '/p', plain)).toMatch(/^net\/a\.c:3:9: note: .*only when configured so/);
    expect(diagnosticLine(site({ keepalive: 'yes' }), '/p', '/p', plain)).toBeUndefined();
    expect(diagnosticLine(site({ tcp: 'no', keepalive: 'n/a' }), '/p', '/p', plain)).toBeUndefined();
  });
  it('names calls the way they are written', () => {
    expect(findingMessage(site({ language: 'ts', call: 'new net.Socket' }))).toMatch(/^new net\.Socket in dial/);
    expect(findingMessage(site({ tcp: 'maybe' }))).toMatch(/may be TCP \(family known only at run time\)/);
  });
  it('problems: one line, the file named once', () => {
    expect(problemLine({ file: 'x.c', kind: 'unreadable', message: 'x.c: permission denied' }, '/p', '/p', plain)).toBe('x.c: error: permission denied [unreadable]');
    expect(problemLine({ file: 'y.c', kind: 'parse-error', message: 'syntax error', line: 4 }, '/p', '/p', plain)).toBe('y.c:4: warning: syntax error [parse-error]');
  });
  it('the summary line counts sites by verdict', () => {
    const line = summaryLine({ filesScanned: 3, sites: [site({}), site({ keepalive: 'yes' }), site({ tcp: 'no', keepalive: 'n/a' })], problems: [{ file: 'u.c', kind: 'unreadable', message: 'denied' }, { file: 'p.c', kind: 'parse-error', message: 'x' }], filesChanged: 1, elapsedMs: 1234 }, plain);
    expect(line).toBe('3 files scanned · 3 sites: 1 with keepalive, 0 conditional, 1 without, 1 not TCP · 1 file changed · 1 file skipped · 1 file partly parsed · 1.2 s');
  });
  it('"partly parsed" and "skipped" count files, not problems', () => {
    const problems = [
      { file: 'p.c', kind: 'parse-error' as const, message: 'x', line: 3 },
      { file: 'p.c', kind: 'parse-error' as const, message: 'y', line: 9 },
      { file: 'q.c', kind: 'parse-error' as const, message: 'z', line: 1 },
      { file: 'u.c', kind: 'unreadable' as const, message: 'denied' },
    ];
    const line = summaryLine({ filesScanned: 4, sites: [], problems, elapsedMs: 0 }, plain);
    expect(line).toMatch(/ · 1 file skipped · 2 files partly parsed · /);
  });
});

describe('GitHub Actions annotations', () => {
  it('only in a GitHub Actions job; properties and data escaped per the workflow-command rules', () => {
    expect(inGitHubActions({ GITHUB_ACTIONS: 'true' })).toBe(true);
    expect(inGitHubActions({})).toBe(false);
    expect(workflowCommand(site({ file: 'a,b:c.c', how: '50% sure\nreally' }), '/p', '/p')).toBe(
      '::warning file=a%2Cb%3Ac.c,line=3,col=9,title=tcp-keepalive-missing::socket() in dial creates a TCP socket without keepalive: 50%25 sure%0Areally',
    );
    expect(workflowCommand(site({ keepalive: 'conditional' }), '/p', '/p')).toMatch(/^::notice file=net\/a\.c,line=3,col=9,title=tcp-keepalive-conditional::/);
    expect(workflowCommand(site({ keepalive: 'yes' }), '/p', '/p')).toBeUndefined();
  });
});

describe('unified diffs', () => {
  it('are git-style, colored only when asked', () => {
    const patch = unifiedDiff('src/a.c', Buffer.from('a\nb\n'), Buffer.from('a\nx\nb\n'));
    expect(patch).toBe('--- a/src/a.c\n+++ b/src/a.c\n@@ -1,2 +1,3 @@\n a\n+x\n b\n');
    expect(colorizeDiff(patch, colorsFor(true))).toMatch(/\x1b\[32m\+x\x1b\[39m/);
  });
  it('keep bytes that are not UTF-8', () => {
    expect(decode(Buffer.from([0x63, 0xe9]))).toBe('c\u00e9');
    expect(decode(Buffer.from('héllo', 'utf8'))).toBe('héllo');
  });
});

describe('progress', () => {
  it('draws nothing off a TTY, nothing for a quick run, and a bar on stderr once the run is long', () => {
    let text = '';
    const tty = { write: (s: string) => ((text += s), true), isTTY: true, columns: 80, cursorTo() { return true; }, clearLine() { return true; }, moveCursor() { return true; } };
    const off = createProgress({ write: (s: string) => (text += s) }, true);
    off.grow(10);
    off.advance(10);
    expect(text).toBe('');
    let now = 0;
    const p = createProgress(tty, true, () => now);
    p.grow(10);
    p.advance(2, 'c: 10 files');
    expect(text).toBe('');
    now = PROGRESS_DELAY_MS + 1;
    p.advance(3);
    p.stop();
    expect(text).toMatch(/ka-codemod \[.*\] 5\/10 files · \d+s · c: 10 files/);
  });
});
