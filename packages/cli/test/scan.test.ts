import { describe, expect, it } from 'vitest';
import type { AnalyzeRequest, Engine } from '@ka-codemod/core';
import type { Progress } from '../src/progress.js';
import { scan } from '../src/scan.js';
import { resolveSettings } from '../src/settings.js';
import { C_FILES, tmpDir, writeTree } from './helpers.js';

function recorder() {
  const events: string[] = [];
  const progress: Progress = { grow: (n) => events.push(`grow ${n}`), advance: (n) => events.push(`advance ${n}`), stop: () => events.push('stop') };
  return { events, progress };
}

describe('scan', () => {
  it('hands each engine the files of its language, one root for all, and merges what they return', async () => {
    const dir = tmpDir();
    await writeTree(dir, { ...C_FILES, 'web/a.ts': 'x', 'web/b.mjs': 'y' });
    const seen: Record<string, AnalyzeRequest> = {};
    const engine = (language: 'c' | 'ts', extensions: string[]): Engine => ({
      language,
      extensions,
      analyze: async (req) => {
        seen[language] = req;
        req.onProgress?.(1, 2);
        req.onProgress?.(2, 2);
        return { sites: [], problems: [{ file: `${language}.x`, kind: 'parse-error', message: 'm' }], stats: { n: req.files.length } };
      },
      plan: async () => ({ sites: [], problems: [], stats: {}, files: [] }),
    });
    const { events, progress } = recorder();
    const settings = resolveSettings(['.'], { jobs: '3' }, {}, null, dir);
    const r = await scan([engine('c', ['.c', '.h']), engine('ts', ['.ts', '.mjs'])], settings, dir, 'analyze', progress);
    expect(seen.c!.files.map((f) => f.slice(dir.length + 1))).toEqual(['lib/opt.c', 'src/client.c', 'src/ipc/local.c', 'src/server.c']);
    expect(seen.ts!.files.map((f) => f.slice(dir.length + 1))).toEqual(['web/a.ts', 'web/b.mjs']);
    expect(seen.c!.root).toBe(dir);
    expect(seen.c!.jobs).toBe(3);
    expect(r.filesScanned).toBe(6);
    expect(r.problems.map((p) => p.file)).toEqual(['c.x', 'ts.x']);
    expect(r.stats).toEqual({ c: { n: 4 }, ts: { n: 2 } });
    // the bar grows by each engine's files and advances exactly that much, partly from the engine's reports
    expect(events).toEqual(['grow 4', 'grow 2', 'advance 0', 'advance 2', 'advance 2', 'advance 0', 'advance 0', 'advance 1', 'advance 1', 'advance 0']);
  });

  it('a missing path is a usage error before any engine runs', async () => {
    const dir = tmpDir();
    const settings = resolveSettings(['gone'], {}, {}, null, dir);
    await expect(scan([], settings, dir, 'analyze', recorder().progress)).rejects.toThrow('no such file or directory: gone');
  });
});
