import { describe, expect, it } from 'vitest';
import { branchView, pathView } from '../src/branches.js';

const text = ['#ifdef WIN32', '  if (a) {', '#else', '  if (b) {', '#endif', '  x();', '  }'].join('\n');

describe('#if branch views', () => {
  it('keeps offsets: every view has the same length and line breaks', () => {
    for (const v of ['all', 'first', 'rest', 'restFirst'] as const) {
      const out = branchView(text, v);
      expect(out.length).toBe(text.length);
      expect(out.split('\n').length).toBe(text.split('\n').length);
    }
  });

  it('all: directives blanked, every branch kept', () => {
    expect(branchView(text, 'all').split('\n').map((l) => l.trim())).toEqual(['', 'if (a) {', '', 'if (b) {', '', 'x();', '}']);
  });

  it('first and rest: one branch each, the code after #endif in both', () => {
    expect(branchView(text, 'first').split('\n').map((l) => l.trim())).toEqual(['', 'if (a) {', '', '', '', 'x();', '}']);
    expect(branchView(text, 'rest').split('\n').map((l) => l.trim())).toEqual(['', '', '', 'if (b) {', '', 'x();', '}']);
  });

  it('rest keeps a first branch that has no alternative', () => {
    const single = '#ifdef X\nint a;\n#endif\n';
    expect(branchView(single, 'rest').trim()).toBe('int a;');
  });

  it('restFirst: the first branch of a group nested in another group\'s alternative', () => {
    const nested = ['#if A', 'a();', '#elif B', '#if C', 'bc();', '#else', 'b();', '#endif', '#endif'].join('\n');
    const lines = (v: 'first' | 'rest' | 'restFirst') => branchView(nested, v).split('\n').map((l) => l.trim()).filter(Boolean);
    expect(lines('first')).toEqual(['a();']);
    expect(lines('rest')).toEqual(['b();']);
    expect(lines('restFirst')).toEqual(['bc();']);
  });
  it('level n: first branches down to the n-th group with an alternative, then its other branches', () => {
    const nested = ['#ifndef W', '#if A', 'a();', '#else', '#if C', 'c();', '#else', 'd();', '#endif', '#endif', '#else', 'w();', '#endif'].join('\n');
    const lines = (v: 'first' | 'rest' | 'restFirst', level = 0) => branchView(nested, v, level).split('\n').map((l) => l.trim()).filter(Boolean);
    expect(lines('first')).toEqual(['a();']);
    expect(lines('rest')).toEqual(['w();']);
    expect(lines('restFirst')).toEqual(['w();']);
    expect(lines('restFirst', 1)).toEqual(['c();']);
    expect(lines('rest', 1)).toEqual(['d();']);
    // deeper than every group: the first branches again
    expect(lines('restFirst', 3)).toEqual(lines('first'));
    expect(lines('rest', 3)).toEqual(lines('first'));
  });
  it('pathView: the branches one line sits in, first branches elsewhere', () => {
    const text = ['#ifndef W', '#if A', 'a();', '#else', '#if C', 'c();', '#else', 'd();', '#endif', '#endif', '#if E', 'e();', '#else', 'f();', '#endif', '#else', 'w();', '#endif'].join('\n');
    const lines = (target: number) => pathView(text, target).split('\n').map((l) => l.trim()).filter(Boolean);
    expect(lines(7)).toEqual(['d();', 'e();']);
    expect(lines(5)).toEqual(['c();', 'e();']);
    expect(lines(13)).toEqual(['a();', 'f();']);
    expect(lines(16)).toEqual(['w();']);
    expect(pathView(text, 7)).toHaveLength(text.length);
  });
});
