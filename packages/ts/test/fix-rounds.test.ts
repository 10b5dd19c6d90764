import fc from 'fast-check';
import { applyTextEdits, DEFAULT_OPTIONS, type Edit, type SiteFix } from '@ka-codemod/core';
import { describe, expect, it } from 'vitest';
import { analyzeSources, dropUnparsableRewrites } from '../src/analyze-sources.js';
import { composeEdits, originalOffset } from '../src/edit-compose.js';
import { fixRange, mergeRound, type PlannedFix } from '../src/fix-rounds.js';

const fix = (key: string, edits: Edit[], path = '/p/a.js'): PlannedFix => ({ key, where: `a.js:${key}`, fix: { description: `fix ${key}`, path, unit: 'utf16', edits } satisfies SiteFix });
const ins = (at: number, text: string): Edit => ({ start: at, end: at, text });

describe('originalOffset', () => {
  // "ab|cd" with "XY" inserted at 2 and "c" replaced by "Q": "abXYQd"
  const edits = [ins(2, 'XY'), { start: 2, end: 3, text: 'Q' }];
  it('maps kept text back and is null strictly inside written text', () => {
    expect(applyTextEdits('abcd', edits)).toBe('abXYQd');
    expect(originalOffset(edits, 1)).toBe(1);
    expect(originalOffset(edits, 2)).toBe(2); // start of the insertion
    expect(originalOffset(edits, 3)).toBeNull();
    expect(originalOffset(edits, 4)).toBe(2); // end of the insertion = start of the replacement
    expect(originalOffset(edits, 5)).toBe(3); // end of the replacement
    expect(originalOffset(edits, 6)).toBe(4);
  });
});

describe('composeEdits', () => {
  it('folds a chain written where a wrap closes into one edit, in the right order', () => {
    const original = 'f((c) => g(1));';
    const body = original.indexOf('g(1)');
    const wrap = [ins(body, '{ h(c); return '), ins(body + 4, '; }')];
    const middle = applyTextEdits(original, wrap);
    const at = middle.indexOf('g(1)') + 4;
    const composed = composeEdits(original, wrap, [ins(at, '.k()')]);
    expect(applyTextEdits(original, composed)).toBe('f((c) => { h(c); return g(1).k(); });');
    // The untouched opening insertion is kept as it was; the other two became one edit.
    expect(composed).toEqual([wrap[0], { start: body + 4, end: body + 4, text: '.k(); }' }]);
  });

  it('keeps edits that touch nothing earlier small, at their original offsets', () => {
    const original = 'aaa\nbbb\nccc\n';
    const first = [ins(3, '\nX')];
    const second = [ins(applyTextEdits(original, first).indexOf('ccc') + 3, ';')];
    expect(composeEdits(original, first, second)).toEqual([ins(3, '\nX'), ins(11, ';')]);
  });

  const textArb = fc.string({ unit: fc.constantFrom('a', 'b', '\n', '{', '}'), maxLength: 24 });
  /** Non-overlapping edits on a text of this length (insertions may share an offset). */
  const editsOn = (length: number) =>
    fc.array(fc.record({ at: fc.nat({ max: length }), span: fc.nat({ max: 3 }), text: fc.string({ unit: fc.constantFrom('X', 'Y', ';', '\n'), maxLength: 4 }) }), { maxLength: 5 }).map((raw) => {
      const out: Edit[] = [];
      let floor = 0;
      for (const r of [...raw].sort((x, y) => x.at - y.at)) {
        const start = Math.max(floor, r.at);
        const end = Math.min(length, start + r.span);
        if (start > length) break;
        out.push({ start, end, text: r.text });
        floor = end;
      }
      return out;
    });
  const rounds = textArb
    .chain((original) => editsOn(original.length).map((first) => ({ original, first, middle: applyTextEdits(original, first) })))
    .chain((c) => editsOn(c.middle.length).map((second) => ({ ...c, second })));

  it('has the effect of the two lists applied one after the other (property)', () => {
    fc.assert(
      fc.property(rounds, ({ original, first, middle, second }) => {
        const composed = composeEdits(original, first, second);
        expect(applyTextEdits(original, composed)).toBe(applyTextEdits(middle, second));
      }),
      { numRuns: Number(process.env.PROPERTY_RUNS ?? 2000), seed: 20261121 },
    );
  });
});

describe('mergeRound', () => {
  it('takes fixes in range order; one starting at or before the end of a taken one waits', () => {
    const outer = fix('outer', [ins(10, '{ '), ins(20, ' }')]);
    const inner = fix('inner', [ins(20, '.k()')]);
    const later = fix('later', [ins(30, ';')]);
    const r = mergeRound([inner, later, outer]);
    expect([...r.waiting]).toEqual(['inner']);
    expect(r.byPath.get('/p/a.js')!.edits).toEqual([ins(10, '{ '), ins(20, ' }'), ins(30, ';')]);
    expect(r.byPath.get('/p/a.js')!.changes).toEqual(['a.js:outer: fix outer', 'a.js:later: fix later']);
  });

  it('lets the first of two insertions at one offset go first (eslint --fix does the same)', () => {
    const r = mergeRound([fix('a', [ins(5, 'A')]), fix('b', [ins(5, 'B')])]);
    expect([...r.waiting]).toEqual(['b']);
  });

  it('takes a fix whose edits are all present for free, without a change line', () => {
    const shared = [ins(4, '.k()')];
    const r = mergeRound([fix('socket', shared), fix('tls', [...shared])]);
    expect(r.waiting.size).toBe(0);
    expect(r.byPath.get('/p/a.js')!.changes).toEqual(['a.js:socket: fix socket']);
  });

  it('merges each file on its own', () => {
    const r = mergeRound([fix('a', [ins(5, 'A')], '/p/a.js'), fix('b', [ins(5, 'B')], '/p/b.js')]);
    expect(r.waiting.size).toBe(0);
  });

  it('fixRange spans a fix from its first edit to its last', () => {
    expect(fixRange([ins(9, 'x'), { start: 2, end: 4, text: '' }])).toEqual({ start: 2, end: 9 });
  });
});

describe('analyzeSources composes colliding fixes in rounds', () => {
  const run = (text: string) => analyzeSources([{ path: '/virtual/a.js', relFile: 'a.js', text, nodeRange: '>=20' }], DEFAULT_OPTIONS);

  it('one round when nothing collides', () => {
    const r = run("const net = require('net');\nconst s = net.connect(80);\n");
    expect(r.stats['fixRounds']).toBe(1);
  });

  it('three declarators of one statement: three rounds, one edit list, every site fixed', () => {
    const text = "const net = require('net');\nconst a = net.connect(1), b = net.connect(2), c = net.connect(3);\n";
    const r = run(text);
    expect(r.stats['fixRounds']).toBe(3);
    expect(r.stats['fixesLeftForNextRun']).toBeUndefined();
    const out = applyTextEdits(text, r.editsByPath.get('/virtual/a.js')!);
    for (const v of ['a', 'b', 'c']) expect(out).toContain(`${v}.setKeepAlive(true, 60000);`);
    expect(r.changesByPath.get('/virtual/a.js')).toHaveLength(3);
    // Each site's own fix stays valid on the original text.
    for (const site of r.sites) expect(applyTextEdits(text, site.fix!.edits)).toContain('.setKeepAlive(true, 60000);');
    const again = run(out);
    expect(again.editsByPath.size).toBe(0);
  });

  it('a wrap and a chain at one offset give code that parses, fixed in one run', () => {
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
