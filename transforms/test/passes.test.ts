import { createRequire } from 'node:module';
import type { API } from 'jscodeshift';
import { describe, expect, it, vi } from 'vitest';
import transform from '../keepalive.js';

/**
 * A fake engine that, like the real one when two fixes overlap, fixes one site per run: `A` then `B`.
 * The transform must re-run it until nothing changes, and count by outcome.
 */
vi.mock('@ka-codemod/ts', () => {
  const site = (line: number, fixed: boolean) => ({
    file: 'f.js', line, column: 1, language: 'ts', call: 'net.connect', function: null, tcp: 'yes',
    keepalive: fixed ? 'yes' : 'no', how: '', tuning: [], errorHandler: fixed ? 'yes' : 'no', fixable: true,
  });
  return {
    analyzeTsSource: ({ text }: { text: string }) => {
      const a = text.includes('A;'), b = text.includes('B;');
      const edits = !a ? [{ start: 0, end: 0, text: 'A;' }] : !b ? [{ start: text.length, end: text.length, text: 'B;' }] : [];
      return { sites: [site(1, a), site(2, b)], problems: [], edits };
    },
  };
});

describe('transform passes', () => {
  it('re-runs the engine until nothing changes and counts what changed', () => {
    const stats = new Map<string, number>();
    const j = createRequire(import.meta.url)('jscodeshift') as API['jscodeshift'];
    const api: API = { j, jscodeshift: j, stats: (name, n = 1) => void stats.set(name, (stats.get(name) ?? 0) + n), report: () => {} };
    expect(transform({ path: 'f.js', source: 'x();' }, api, {})).toBe('A;x();B;');
    expect(stats.get('rewritten')).toBe(2);
    expect(stats.get("'error' listener added")).toBe(2);
  });
});
