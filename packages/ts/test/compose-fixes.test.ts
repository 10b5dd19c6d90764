import { applyTextEdits, DEFAULT_OPTIONS, type Edit } from '@ka-codemod/core';
import { describe, expect, it } from 'vitest';
import { analyzeSources, dropUnparsableRewrites } from '../src/analyze-sources.js';

const ins = (at: number, text: string): Edit => ({ start: at, end: at, text });

describe('analyzeSources composes fixes that meet at one offset, in one pass', () => {
  const run = (text: string) => analyzeSources([{ path: '/virtual/a.js', relFile: 'a.js', text, nodeRange: '>=20' }], DEFAULT_OPTIONS);

  it('three declarators of one statement: one edit list, every site fixed, the later declarator\'s line first (as eslint --fix leaves them)', () => {
    const text = "const net = require('net');\nconst a = net.connect(1), b = net.connect(2), c = net.connect(3);\n";
    const r = run(text);
    expect(r.stats['fixesLeftForNextRun']).toBeUndefined();
    const out = applyTextEdits(text, r.editsByPath.get('/virtual/a.js')!);
    expect(out.indexOf('c.setKeepAlive')).toBeLessThan(out.indexOf('b.setKeepAlive'));
    expect(out.indexOf('b.setKeepAlive')).toBeLessThan(out.indexOf('a.setKeepAlive'));
    for (const v of ['a', 'b', 'c']) expect(out).toContain(`${v}.setKeepAlive(true, 60000);\n${v}.on('error', (err) => console.error(err));`);
    expect(r.changesByPath.get('/virtual/a.js')).toHaveLength(3);
    // Each site's own fix stays valid on the original text.
    for (const site of r.sites) expect(applyTextEdits(text, site.fix!.edits)).toContain('.setKeepAlive(true, 60000);');
    const again = run(out);
    expect(again.editsByPath.size).toBe(0);
  });

  it('a wrap and a chain at one offset: the chain, begun inside the wrap, goes before it closes', () => {
    const text = "const net = require('net');\nnet.createServer((c) => net.connect(80)).listen(1);\n";
    const r = run(text);
    const out = applyTextEdits(text, r.editsByPath.get('/virtual/a.js')!);
    expect(r.problems).toEqual([]);
    expect(out).toContain('return net.connect(80).setKeepAlive(true, 60000); })');
    expect(run(out).editsByPath.size).toBe(0);
  });
});

describe('dropUnparsableRewrites', () => {
  it('drops the edits of a file whose rewrite would not parse and reports it; keeps the others', () => {
    const good = { path: '/v/good.js', relFile: 'good.js', text: 'f(1);\n' };
    const bad = { path: '/v/bad.js', relFile: 'bad.js', text: 'f(1);\n' };
    const edits = new Map([[good.path, [ins(4, '.k()')]], [bad.path, [ins(4, '; }')]]]);
    const changes = new Map([[good.path, ['good.js:1: x']], [bad.path, ['bad.js:1: y']]]);
    const problems = dropUnparsableRewrites([good, bad], edits, changes);
    expect(problems).toEqual([expect.objectContaining({ file: 'bad.js', kind: 'parse-error', line: 1 })]);
    expect([...edits.keys()]).toEqual([good.path]);
    expect([...changes.keys()]).toEqual([good.path]);
  });
});
