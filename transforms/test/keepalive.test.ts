import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import type { API, FileInfo } from 'jscodeshift';
import { analyzeTsSource } from '@ka-codemod/ts';
import { isFlagged } from '@ka-codemod/core';
import { describe, expect, it, onTestFinished } from 'vitest';
import { engineOptions, fixtureCases, nodeRange, stageCase, transformOptions, TS_FIXTURES } from '../../test/helpers/ts-fixtures.js';
import transform, { initialDelayFrom, parserForPath } from '../keepalive.js';

const mixed = join(TS_FIXTURES, 'mixed');

function fakeApi(): { api: API; stats: string[]; counts: Map<string, number>; reports: string[] } {
  const stats: string[] = [];
  const counts = new Map<string, number>();
  const reports: string[] = [];
  // jscodeshift's core is CommonJS.
  const j = createRequire(import.meta.url)('jscodeshift') as API['jscodeshift'];
  const stat = (name: string, quantity = 1) => {
    stats.push(name);
    counts.set(name, (counts.get(name) ?? 0) + quantity);
  };
  return { api: { j, jscodeshift: j, stats: stat, report: (m: string) => reports.push(m) }, stats, counts, reports };
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

/**
 * The transform over every shared case, against the engine on the same file: exactly the case's
 * expected output, and the counts jscodeshift's runner prints (sites rewritten, 'error' listeners
 * added) are the engine's.
 */
describe('fixtures/ts', () => {
  const cases = fixtureCases();
  it.each(cases.map((c) => [c.name, c] as const))('%s', (_name, c) => {
    // The transform judges a file within its package: the case alone (fixtures/ts is one package of unrelated cases).
    const staged = stageCase(c);
    onTestFinished(() => staged.remove());
    const source = readFileSync(c.input, 'utf8');
    const expected = readFileSync(c.output, 'utf8');
    const engine = analyzeTsSource({ fileName: staged.input, text: source, options: engineOptions(c.options), nodeRange: nodeRange(c.options), scope: 'package' });
    const { api, counts } = fakeApi();
    const problem = engine.problems.find((p) => p.kind === 'parse-error')?.message;
    if (problem !== undefined) {
      // Syntax errors: the runner counts the file as an error with the engine's reason and leaves it alone.
      expect(c.noTransform).toBe(true);
      expect(() => transform({ path: staged.input, source }, api, transformOptions(c.options))).toThrow(problem);
      return;
    }
    expect(transform({ path: staged.input, source }, api, transformOptions(c.options))).toBe(expected);
    const fixed = engine.sites.filter((s) => isFlagged(s) && s.fix);
    expect(counts.get('rewritten') ?? 0).toBe(engine.edits.length > 0 ? fixed.length : 0);
    expect(counts.get("'error' listener added") ?? 0).toBe(engine.edits.length > 0 ? fixed.filter((s) => s.fix!.addsErrorListener).length : 0);
  });
});

describe('transform', () => {
  const path = join(mixed, 'client-cjs.input.js');
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
    const minified: FileInfo = { path: join(mixed, 'bundle.min.js'), source: `${line}\n${line}\n` };
    expect(transform(minified, api, {})).toBe(minified.source);
    expect(stats).toEqual(['skipped: minified']);
    expect(reports[0]).toMatch(/minified/u);
  });

  it('leaves files with syntax errors alone and says why', () => {
    const { api } = fakeApi();
    const broken: FileInfo = { path: join(mixed, 'broken.js'), source: "const net = require('net');\nnet.connect({ port: 1 ;\n" };
    expect(() => transform(broken, api, {})).toThrow();
  });
});

describe('skipBabelForDependencies', () => {
  it("does nothing outside jscodeshift's Babel-compiled runner", async () => {
    const { skipBabelForDependencies } = await import('../lib/skip-babel-for-dependencies.js');
    expect(skipBabelForDependencies()).toBe(false);
  });
});
