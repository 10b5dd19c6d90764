import { describe, expect, it } from 'vitest';
import { branchView } from '../src/branches.js';

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
});
