/**
 * Files that are not parsed: declaration files (no code runs there) and minified build output
 * (reported, both in project mode and in the single-file path). And a tree parsed by someone else
 * (typescript-eslint) is analysed as is.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import ts from 'typescript';
import { afterAll, describe, expect, it } from 'vitest';
import { DEFAULT_OPTIONS } from '@ka-codemod/core';
import { analyzeSources, analyzeTsSource, isDeclarationFile, minifiedLineLength, tsEngine } from '@ka-codemod/ts';
import { MINIFIED_AVERAGE_LINE } from '../src/file-kind.js';

const CLIENT = "const net = require('net');\nconst s = net.connect(5432, 'db.internal');\ns.on('error', () => {});\n";

/** A bundle as esbuild writes it: every module on one line, short names. */
function minifiedBundle(lines: number): string {
  const module = "var Q=require(\"node:net\");var c=class{constructor(e){this.opts=e}open(){this.socket=Q.connect(this.opts.port,this.opts.host),this.socket.on(\"error\",t=>this.fail(t))}fail(e){this.err=e}};";
  return Array.from({ length: lines }, () => module.repeat(12)).join('\n');
}

describe('isDeclarationFile', () => {
  it.each([
    ['types/index.d.ts', true],
    ['lib/a.d.mts', true],
    ['lib/a.d.cts', true],
    ['styles/button.d.css.ts', true],
    ['src/index.ts', false],
    ['src/d.ts', false],
    ['src/add.ts', false],
    ['lib/bundle.d.js', false],
  ])('%s → %s', (file, expected) => {
    expect(isDeclarationFile(file)).toBe(expected);
  });
});

describe('minifiedLineLength', () => {
  it('measures a bundle whose lines hold whole modules', () => {
    const text = minifiedBundle(3);
    expect(minifiedLineLength(text)).toBeGreaterThan(MINIFIED_AVERAGE_LINE);
  });

  it('leaves hand-written code alone, even with one long data line', () => {
    const code = `${CLIENT.repeat(40)}const table = '${'x'.repeat(3000)}';\n`;
    expect(minifiedLineLength(code)).toBeNull();
  });

  it('does not count a trailing inline source map (compiled, not minified, output keeps one)', () => {
    const compiled = `${CLIENT.repeat(5)}//# sourceMappingURL=data:application/json;base64,${'A'.repeat(50_000)}\n`;
    expect(minifiedLineLength(compiled)).toBeNull();
  });

  it('a text shorter than one minified line is never minified', () => {
    expect(minifiedLineLength('x'.repeat(MINIFIED_AVERAGE_LINE))).toBeNull();
  });
});

describe('the engine skips what is not source', () => {
  it('a minified bundle that creates sockets is reported, not analysed (single file)', () => {
    const r = analyzeTsSource({ fileName: 'dist/client.min.js', text: minifiedBundle(2), options: DEFAULT_OPTIONS, nodeRange: '>=20' });
    expect(r.sites).toEqual([]);
    expect(r.edits).toEqual([]);
    expect(r.problems).toEqual([{ file: 'dist/client.min.js', kind: 'minified', message: expect.stringMatching(/^dist\/client\.min\.js: minified or generated code \(lines average \d+ characters\), not analysed/) }]);
  });

  it('the same bundle beside its source in a project: the source is analysed, the bundle reported', async () => {
    const root = mkdtempSync(path.join(tmpdir(), 'ka-minified-'));
    afterAll(() => rmSync(root, { recursive: true, force: true }));
    writeFileSync(path.join(root, 'client.js'), CLIENT);
    writeFileSync(path.join(root, 'client.min.js'), minifiedBundle(2));
    const files = ['client.js', 'client.min.js'].map((f) => path.join(root, f));
    const r = await tsEngine.analyze({ root, files, options: DEFAULT_OPTIONS });
    expect(r.sites.map((s) => [s.file, s.line, s.call])).toEqual([['client.js', 2, 'net.connect']]);
    expect(r.problems.map((p) => [p.file, p.kind])).toEqual([['client.min.js', 'minified']]);
  });

  it('a declaration file is never parsed, with or without the prefilter', () => {
    const dts = "import * as net from 'net';\nexport declare function open(port: number): net.Socket;\n";
    expect(analyzeTsSource({ fileName: 'types/index.d.ts', text: dts, options: DEFAULT_OPTIONS })).toEqual({ sites: [], problems: [], edits: [] });
    const r = analyzeSources([{ path: 'types/index.d.ts', relFile: 'types/index.d.ts', text: dts, nodeRange: null }], DEFAULT_OPTIONS);
    expect(r.stats['filesParsed']).toBe(0);
  });
});

describe('a tree parsed by the caller', () => {
  const parse = (text: string) => ts.createSourceFile('client.js', text, ts.ScriptTarget.Latest, true, ts.ScriptKind.JS);

  it('is analysed as is: the sites point into it and match a fresh parse', () => {
    const tree = parse(CLIENT);
    const reused = analyzeSources([{ path: 'client.js', relFile: 'client.js', text: CLIENT, nodeRange: '>=20', tree }], DEFAULT_OPTIONS);
    const fresh = analyzeSources([{ path: 'client.js', relFile: 'client.js', text: CLIENT, nodeRange: '>=20' }], DEFAULT_OPTIONS);
    expect(reused.analyzed[0]!.candidate.node.getSourceFile()).toBe(tree);
    expect(fresh.analyzed[0]!.candidate.node.getSourceFile()).not.toBe(tree);
    expect(reused.sites).toEqual(fresh.sites);
  });

  it('is ignored when its text is not the text analysed (a stale tree), or its parents are not set', () => {
    const stale = parse(CLIENT.replace('5432', '6543'));
    const r = analyzeSources([{ path: 'client.js', relFile: 'client.js', text: CLIENT, nodeRange: '>=20', tree: stale }], DEFAULT_OPTIONS);
    expect(r.analyzed[0]!.candidate.node.getSourceFile()).not.toBe(stale);
    const orphan = ts.createSourceFile('client.js', CLIENT, ts.ScriptTarget.Latest, false, ts.ScriptKind.JS);
    const o = analyzeSources([{ path: 'client.js', relFile: 'client.js', text: CLIENT, nodeRange: '>=20', tree: orphan }], DEFAULT_OPTIONS);
    expect(o.analyzed[0]!.candidate.node.getSourceFile()).not.toBe(orphan);
    expect(o.sites).toEqual(r.sites);
  });
});
