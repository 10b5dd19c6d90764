import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFAULT_OPTIONS } from '@ka-codemod/core';
import { cEngine } from '@ka-codemod/c';
import { tsEngine } from '@ka-codemod/ts';
import { DEFAULT_ENGINES, lazyTsEngine } from '../src/engines.js';

describe('default engines', () => {
  it('are the C engine and a lazily loaded TS engine with the same extensions', () => {
    expect(DEFAULT_ENGINES[0]).toBe(cEngine);
    expect(lazyTsEngine.language).toBe(tsEngine.language);
    expect([...lazyTsEngine.extensions]).toEqual([...tsEngine.extensions]);
  });

  it('the lazy TS engine answers as the TS engine does', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'ka-lazy-'));
    try {
      const file = path.join(dir, 'a.ts');
      writeFileSync(file, "import net from 'node:net';\nexport const s = net.connect(80);\n");
      const request = { root: dir, files: [file], options: DEFAULT_OPTIONS };
      // the same answer; the timings (`…Ms`) in the stats are the clock's
      const untimed = <T extends { stats: Record<string, number> }>(r: T) => ({ ...r, stats: Object.fromEntries(Object.entries(r.stats).filter(([k]) => !k.endsWith('Ms'))) });
      expect(untimed(await lazyTsEngine.plan(request))).toEqual(untimed(await tsEngine.plan(request)));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
