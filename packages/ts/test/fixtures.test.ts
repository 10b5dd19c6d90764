import { readFileSync } from 'node:fs';
import { applyTextEdits, DEFAULT_OPTIONS, isFlagged, type Site } from '@ka-codemod/core';
import { describe, expect, it } from 'vitest';
import { analyzeTsSource } from '@ka-codemod/ts';
import { parseSource } from '../src/analyze-sources.js';
import { engineOptions, fixtureCases, nodeRange } from '../../../test/helpers/ts-fixtures.js';

const cases = fixtureCases();

describe('fixtures/ts input/output pairs', () => {
  it('has cases for every extension', () => {
    const exts = new Set(cases.map((c) => /\.([cm]?[jt]sx?)$/.exec(c.input)![1]));
    expect([...exts].sort()).toEqual(['cjs', 'cts', 'js', 'jsx', 'mjs', 'mts', 'ts', 'tsx']);
  });

  it.each(cases.map((c) => [c.name, c] as const))('%s', (_name, c) => {
    const text = readFileSync(c.input, 'utf8');
    const expected = readFileSync(c.output, 'utf8');
    const first = analyzeTsSource({ fileName: c.input, text, options: engineOptions(c.options), nodeRange: nodeRange(c.options) });
    const rewritten = applyTextEdits(text, first.edits);
    expect(rewritten).toBe(expected);

    // Every flagged fixable site carries its own fix, in UTF-16 offsets of this file, valid alone
    // on the original text (the ESLint rule offers each as a suggestion).
    for (const site of first.sites) {
      if (site.fix) {
        expect(isFlagged(site)).toBe(true);
        expect(site.fix.unit).toBe('utf16');
        expect(site.fixable).toBe(true);
        expect(parseSource(c.input, applyTextEdits(text, site.fix.edits)).error, `the fix of line ${site.line} alone parses`).toBeNull();
      }
    }

    // Running twice changes nothing.
    const second = analyzeTsSource({ fileName: c.input, text: rewritten, options: engineOptions(c.options), nodeRange: nodeRange(c.options) });
    expect(second.edits).toEqual([]);
    if (first.problems.length === 0) expect(second.sites.filter(isFlagged).filter((s) => s.fixable)).toEqual([]);

    if (c.sites) {
      const want = JSON.parse(readFileSync(c.sites, 'utf8')) as Record<string, unknown>[];
      const got = first.sites.map((s) => {
        const picked: Record<string, unknown> = {};
        for (const k of ['line', 'column', 'call', 'function', 'tcp', 'keepalive', 'tuning', 'errorHandler', 'fixable', 'notes']) {
          const v = (s as unknown as Record<string, unknown>)[k];
          if (v !== undefined) picked[k] = v;
        }
        return picked;
      });
      expect(got).toEqual(want);
    }
  });

  it('reports files with syntax errors and leaves them alone', () => {
    const c = cases.find((x) => x.name.endsWith('no-transform-syntax-error.js'))!;
    const r = analyzeTsSource({ fileName: c.input, text: readFileSync(c.input, 'utf8'), options: engineOptions(c.options) });
    expect(r.problems).toEqual([expect.objectContaining({ kind: 'parse-error', line: 4 })]);
    expect(r.edits).toEqual([]);
    expect(r.sites).toEqual([]);
  });
});

/** The text a site's span covers: from line/column to endLine/endColumn (1-based, end exclusive). */
function spanText(text: string, site: Site): string {
  const lines = text.split('\n');
  const offset = (line: number, column: number) => lines.slice(0, line - 1).reduce((n, l) => n + l.length + 1, 0) + column - 1;
  return text.slice(offset(site.line, site.column), offset(site.endLine, site.endColumn));
}

function spans(text: string): string[] {
  const sites = analyzeTsSource({ fileName: '/virtual/a.js', text, options: DEFAULT_OPTIONS, nodeRange: '>=20' }).sites;
  return sites.map((s) => spanText(text, s));
}

describe('Site.endLine/endColumn: the span of the call\'s name', () => {
  it('is the called name, not the receiver or the arguments', () => {
    expect(spans("const net = require('net');\nconst s = net.connect({\n  port: 1,\n});\n")).toEqual(['connect']);
    expect(spans("const { createConnection: dial } = require('net');\ndial(1);\n")).toEqual(['dial']);
  });
  it('is `new X` for a construction, without its arguments', () => {
    expect(spans("const net = require('net');\nconst s = new net.Socket({ allowHalfOpen: true });\ns.connect(1);\n")).toEqual(['new net.Socket']);
    expect(spans("const net = require('net');\nconst s = new net.Socket;\ns.connect(1);\n")).toEqual(['new net.Socket']);
  });
  it("is the event name of server.on('connection')", () => {
    expect(spans("module.exports = function attach(server) {\n  server.on('connection', (socket) => {\n    socket.setNoDelay(true);\n  });\n};\n")).toEqual(["'connection'"]);
  });
  it('stays on the line of the name when a chain is split over lines', () => {
    const text = "const net = require('net');\nnet\n  .createServer((c) => c.end())\n  .listen(1);\n";
    const [site] = analyzeTsSource({ fileName: '/virtual/a.js', text, options: DEFAULT_OPTIONS, nodeRange: '>=20' }).sites;
    expect(site).toMatchObject({ line: 3, column: 4, endLine: 3, endColumn: 16 });
  });
  it('is the name inside compiler interop, `(0, net.connect)(...)`', () => {
    expect(spans("const net = require('net');\n(0, net.connect)(1);\n")).toEqual(['connect']);
  });
});
