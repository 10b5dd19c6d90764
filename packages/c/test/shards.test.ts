import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { Shard } from '../src/scan/shard.js';
import { threadLimit } from '../src/scan/shards.js';

describe('how many threads the C analysis may use', () => {
  it('follows an explicit job count', () => {
    expect(threadLimit(1, 8)).toBe(1);
    expect(threadLimit(3, 2)).toBe(3);
  });

  it('by default: at most two, never more than the cores', () => {
    expect(threadLimit(undefined, 8)).toBe(2);
    expect(threadLimit(undefined, 1)).toBe(1);
  });
});

describe('a round\'s parsing shared between shards', () => {
  const payload = { constants: [], aliases: [], typedefs: [], statementMacros: [] };
  const keep = '\\b(?:socket|accept)\\s*\\(';
  const round1 = { project: 0, round: 1, calls: ['open_a', 'open_b', 'open_c'], keepaliveWord: true, definitions: [], fresh: '(?!)', keep };

  function twoShards() {
    const dir = mkdtempSync(path.join(tmpdir(), 'ka-shards-'));
    const names = ['a.c', 'b.c', 'c.c', 'plain.c'];
    for (const name of names) {
      const body = name === 'plain.c' ? 'int add(int a, int b) { return a + b; }\n' : `int open_${name[0]}(void) { return socket(2, 1, 0); }\n`;
      writeFileSync(path.join(dir, name), body.repeat(name === 'b.c' ? 20 : 1));
    }
    const reader = new Shard();
    const loaded = reader.load(names.map((n) => ({ path: path.join(dir, n), project: 0 })), dir);
    const seeds = loaded.filter((f) => f.seed).map((f) => f.path);
    for (const s of [reader]) s.setMacros(0, payload);
    // round 0 wants exactly the seed files
    expect(reader.select({ ...round1, round: 0, calls: [], keepaliveWord: false }).wanted.map(([p]) => p)).toEqual(seeds);
    const helper = new Shard();
    helper.adopt(reader.copies(seeds));
    for (const s of [reader, helper]) s.setMacros(0, payload);
    return { dir, reader, helper, seeds };
  }


  it('each seed is parsed once, by the shard that claims it, and later rounds do not parse it again', () => {
    const { dir, reader, helper, seeds } = twoShards();
    try {
      expect(seeds).toHaveLength(3);
      const claims = new SharedArrayBuffer(4);
      // the helper comes first and claims every seed (copies); the reader then finds none left
      const helped = helper.parseClaimed(0, seeds, claims, keep);
      const read = reader.parseClaimed(0, seeds, claims, keep);
      expect(helped.map((f) => f.path).sort()).toEqual(seeds);
      expect(read).toEqual([]);
      expect(helper.stats().filesShared).toBe(3);
      expect(reader.stats().filesShared).toBe(0);
      // the reader dropped the seeds it did not parse: naming their functions wants nothing again
      expect(reader.select(round1)).toEqual({ wanted: [], refreshed: [] });
      expect(helper.select(round1)).toEqual({ wanted: [], refreshed: [] });
      expect(reader.stats().filesParsed + helper.stats().filesParsed).toBe(3);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('the reader keeps the seeds it parsed itself; the helper drops its unused copies', () => {
    const { dir, reader, helper, seeds } = twoShards();
    try {
      const claims = new SharedArrayBuffer(4);
      expect(reader.parseClaimed(0, seeds, claims, keep).map((f) => f.path).sort()).toEqual(seeds);
      expect(helper.parseClaimed(0, seeds, claims, keep)).toEqual([]);
      expect(helper.defining(0, ['open_a'])).toEqual([]);
      expect(reader.defining(0, ['open_a'])).toEqual([[path.join(dir, 'a.c'), ['open_a']]]);
      expect(reader.stats().filesShared).toBe(0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
