import { mkdtempSync, readFileSync, writeFileSync, copyFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { planC } from '../../src/rewrite/index.js';
import { listCases, optionsOf, targetsFor, type FixtureCase } from './cases.js';

async function planCase(c: FixtureCase, file: string) {
  const options = optionsOf(c.spec);
  return planC(
    { result: { sites: [], problems: [], stats: {} }, targets: targetsFor(file, c.spec), keepaliveHelpers: [] },
    { root: join(file, '..'), files: [file], options },
  );
}

describe('C rewrite fixtures (fixtures/c/rewrite/*)', () => {
  for (const c of listCases()) {
    it(`${c.name}: ${c.spec.description}`, async () => {
      const before = readFileSync(c.input);
      const plan = await planCase(c, c.input);
      const after = plan.files[0]?.after ?? before;
      if (process.env.UPDATE_FIXTURES && c.expected === null && !after.equals(before)) writeFileSync(join(c.dir, 'expected.c'), after);
      if (process.env.UPDATE_FIXTURES && c.expected) writeFileSync(c.expected, after);
      const expected = c.expected ? readFileSync(c.expected) : before;
      expect(after.toString('latin1')).toBe(expected.toString('latin1'));
      expect(plan.problems.map((p) => p.kind)).toEqual(c.spec.problems ?? []);
      for (const s of c.spec.mustContain ?? []) expect(after.toString('latin1')).toContain(s);
      if (c.expected) expect(plan.files[0]?.changes.length).toBeGreaterThan(0);
    });

    it(`${c.name}: a second run changes nothing`, async () => {
      const dir = mkdtempSync(join(tmpdir(), 'ka-rewrite-'));
      const file = join(dir, 'input.c');
      copyFileSync(c.expected ?? c.input, file);
      // Same calls, now in the rewritten text: the planner itself must see the keepalive it added.
      const plan = await planCase(c, file);
      expect(plan.files.map((f) => f.changes)).toEqual([]);
    });
  }
});
