import { createRequire } from 'node:module';
import type { API } from 'jscodeshift';
import { describe, expect, it, vi } from 'vitest';
import transform from '../keepalive.js';

/**
 * The engine composes colliding fixes itself (packages/ts/src/compose-fixes.ts), so the transform calls
 * it once per file and applies its edits as they are. A fake engine that counts its calls: two
 * flagged sites whose fixes insert at the same offset, one also adding an 'error' listener.
 */
const calls = vi.hoisted(() => ({ n: 0 }));
vi.mock('@ka-codemod/ts', () => {
  const site = (line: number, description: string, addsErrorListener: boolean) => ({
    file: 'f.js', line, column: 1, endLine: line, endColumn: 12, language: 'ts', call: 'net.connect', function: null, tcp: 'yes',
    keepalive: 'no', how: '', tuning: [], errorHandler: 'no', fixable: true,
    fix: { description, path: 'f.js', unit: 'utf16', edits: [], kind: 'safe', addsErrorListener },
  });
  return {
    analyzeTsSource: ({ text }: { text: string }) => {
      calls.n++;
      return {
        sites: [site(1, "chain .setKeepAlive(true, 60000) on the net.connect call and add an 'error' listener", true), site(2, 'call b.setKeepAlive(true, 60000) right after the socket is created', false)],
        problems: [],
        edits: [{ start: text.length, end: text.length, text: 'A;' }, { start: text.length, end: text.length, text: 'B;' }],
      };
    },
  };
});

describe('transform', () => {
  it('calls the engine once and applies its complete edit list; counts fixes and added listeners', () => {
    const stats = new Map<string, number>();
    const j = createRequire(import.meta.url)('jscodeshift') as API['jscodeshift'];
    const api: API = { j, jscodeshift: j, stats: (name, n = 1) => void stats.set(name, (stats.get(name) ?? 0) + n), report: () => {} };
    expect(transform({ path: 'f.js', source: 'x();' }, api, {})).toBe('x();A;B;');
    expect(calls.n).toBe(1);
    expect(stats.get('rewritten')).toBe(2);
    expect(stats.get("'error' listener added")).toBe(1);
  });
});
