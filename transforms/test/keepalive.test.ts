import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import type { API, FileInfo } from 'jscodeshift';
import { applyTransform } from 'jscodeshift/src/testUtils.js';
import { analyzeTsSource } from '@ka-codemod/ts';
import { DEFAULT_OPTIONS } from '@ka-codemod/core';
import { describe, expect, it } from 'vitest';
import { listFixturePairs, sharedFixtures } from '../../rules/test/support/fixture-pairs.js';
import * as keepaliveTransform from '../keepalive.js';
import transform, { initialDelayFrom, parserForPath } from '../keepalive.js';

const ownFixtures = fileURLToPath(new URL('../__testfixtures__/', import.meta.url));

function fakeApi(): { api: API; stats: string[]; reports: string[] } {
  const stats: string[] = [];
  const reports: string[] = [];
  // jscodeshift's core is CommonJS.
  const j = createRequire(import.meta.url)('jscodeshift') as API['jscodeshift'];
  return { api: { j, jscodeshift: j, stats: (name: string) => stats.push(name), report: (m: string) => reports.push(m) }, stats, reports };
}

/** The engine's one-line reason when it cannot parse the file. */
function parseProblem(path: string, text: string): string | undefined {
  return analyzeTsSource({ fileName: path, text, options: DEFAULT_OPTIONS }).problems.find((p) => p.kind === 'parse-error')?.message;
}

describe('parserForPath', () => {
  it.each([
    ['a.tsx', 'tsx'],
    ['a.ts', 'ts'],
    ['a.mts', 'ts'],
    ['a.cts', 'ts'],
    ['a.d.ts', 'ts'],
    ['a.js', 'babel'],
    ['a.jsx', 'babel'],
    ['a.mjs', 'babel'],
    ['a.cjs', 'babel'],
  ])('%s -> %s', (path, parser) => {
    expect(parserForPath(path)).toBe(parser);
  });
});

describe('initialDelayFrom', () => {
  it('defaults to 60 s and reads --initialDelay / --initial-delay as string or number', () => {
    expect(initialDelayFrom({})).toBe(60_000);
    expect(initialDelayFrom({ initialDelay: '15000' })).toBe(15_000);
    expect(initialDelayFrom({ 'initial-delay': 2000 })).toBe(2000);
  });
  it('refuses delays Node would turn into the OS default of two hours', () => {
    expect(() => initialDelayFrom({ initialDelay: 500 })).toThrow(/at least 1000/u);
    expect(() => initialDelayFrom({ initialDelay: 'soon' })).toThrow(/whole number/u);
  });
});

describe.each([
  ['transforms/__testfixtures__', ownFixtures],
  ['fixtures/ts (shared with the engine)', sharedFixtures],
])('input/output pairs in %s', (_label, dir) => {
  const pairs = listFixturePairs(dir);
  it('has cases', () => {
    expect(pairs.length).toBeGreaterThan(0);
  });
  it.each(pairs.map((p) => [p.name, p] as const))('%s', (_name, pair) => {
    const source = readFileSync(pair.inputPath, 'utf8');
    const expected = readFileSync(pair.outputPath, 'utf8');
    const problem = parseProblem(pair.inputPath, source);
    if (problem !== undefined) {
      // Syntax errors: the runner counts the file as an error with the engine's reason and leaves it alone.
      expect(pair.noTransform).toBe(true);
      expect(() => applyTransform(keepaliveTransform, pair.options, { path: pair.inputPath, source })).toThrow(problem);
      return;
    }
    const output = applyTransform(keepaliveTransform, pair.options, { path: pair.inputPath, source }, { parser: parserForPath(pair.inputPath) });
    expect(output).toBe(expected.trim());
    // A second run changes nothing.
    const again = applyTransform(keepaliveTransform, pair.options, { path: pair.inputPath, source: expected }, { parser: parserForPath(pair.inputPath) });
    expect(again).toBe(expected.trim());
  });
});

describe('transform', () => {
  const path = `${ownFixtures}client-cjs.input.js`;
  const source = readFileSync(path, 'utf8');

  it('keeps a byte order mark', () => {
    const { api } = fakeApi();
    const out = transform({ path, source: `\uFEFF${source}` }, api, {});
    expect(out.startsWith('\uFEFF')).toBe(true);
    expect(out.slice(1)).toBe(transform({ path, source }, api, {}));
    expect(out).not.toBe(`\uFEFF${source}`);
  });

  it('counts sites and rewrites through api.stats', () => {
    const { api, stats } = fakeApi();
    transform({ path, source }, api, {});
    expect(stats).toContain('site net.connect');
    expect(stats).toContain('rewritten');
  });

  it('skips minified build output without an error, and says so', () => {
    const { api, stats, reports } = fakeApi();
    const line = `var net=require("net");${'var a=1,b=2,c=3;'.repeat(120)}net.connect(1);`;
    const minified: FileInfo = { path: `${ownFixtures}bundle.min.js`, source: `${line}\n${line}\n` };
    expect(transform(minified, api, {})).toBe(minified.source);
    expect(stats).toEqual(['skipped: minified']);
    expect(reports[0]).toMatch(/minified/u);
  });

  it('leaves files with syntax errors alone and says why', () => {
    const { api } = fakeApi();
    const broken: FileInfo = { path: `${ownFixtures}broken.js`, source: "const net = require('net');\nnet.connect({ port: 1 ;\n" };
    expect(() => transform(broken, api, {})).toThrow();
  });
});

describe('skipBabelForDependencies', () => {
  it("does nothing outside jscodeshift's Babel-compiled runner", async () => {
    const { skipBabelForDependencies } = await import('../lib/skip-babel-for-dependencies.js');
    expect(skipBabelForDependencies()).toBe(false);
  });
});
