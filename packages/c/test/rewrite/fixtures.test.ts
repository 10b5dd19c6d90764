import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { applyByteEdits, isFlagged } from '@ka-codemod/core';
import { cEngine } from '../../src/index.js';
import { planC } from '../../src/rewrite/index.js';
import { effectivePolicy, helpersFor, layOut, listCases, optionsOf, targetsFor, type FixtureCase } from './cases.js';

async function planCase(c: FixtureCase, file: string, root = join(file, '..')) {
  const options = optionsOf(c.spec);
  return planC(
    { result: { sites: [], problems: [], stats: {} }, targets: targetsFor(file, c.spec), keepaliveHelpers: helpersFor(file, c.spec), ...(c.spec.statementMacros ? { statementMacros: c.spec.statementMacros } : {}) },
    { root, files: [file], options },
  );
}

/** The words the summary line uses for each policy (`on failure: log …`, `on failure: ignore …`). */
function saysPolicy(change: string, policy: 'fail' | 'log' | 'ignore'): boolean {
  const said = /on failure: (\S+)/.exec(change)?.[1] ?? '';
  return policy === 'fail' ? said !== 'log' && said !== 'ignore' : said === policy;
}

describe('C rewrite fixtures (fixtures/c/rewrite/*)', () => {
  for (const c of listCases()) {
    it(`${c.name}: ${c.spec.description}`, async () => {
      const before = readFileSync(c.input);
      // a case placed in a project (`at`) is planned there, from that project's root
      const dir = c.spec.at ? mkdtempSync(join(tmpdir(), 'ka-rewrite-at-')) : null;
      const plan = dir ? await planCase(c, layOut(c, dir), dir) : await planCase(c, c.input);
      if (dir) rmSync(dir, { recursive: true, force: true });
      const after = plan.files[0]?.after ?? before;
      if (process.env.UPDATE_FIXTURES && c.expected === null && !after.equals(before)) writeFileSync(join(c.dir, 'expected.c'), after);
      if (process.env.UPDATE_FIXTURES && c.expected) writeFileSync(c.expected, after);
      const expected = c.expected ? readFileSync(c.expected) : before;
      expect(after.toString('latin1')).toBe(expected.toString('latin1'));
      expect(plan.problems.map((p) => p.kind)).toEqual(c.spec.problems ?? []);
      for (const s of c.spec.mustContain ?? []) expect(after.toString('latin1')).toContain(s);
      if (c.expected) expect(plan.files[0]?.changes.length).toBeGreaterThan(0);
      for (const change of plan.files[0]?.changes ?? []) expect(saysPolicy(change, effectivePolicy(c.spec)), change).toBe(true);
    });

    it(`${c.name}: a second run changes nothing`, async () => {
      const dir = mkdtempSync(join(tmpdir(), 'ka-rewrite-'));
      const file = layOut(c, dir, 'input.c', c.expected ?? c.input);
      // Same calls, now in the rewritten text: the planner itself must see the keepalive it added.
      const plan = await planCase(c, file, dir);
      rmSync(dir, { recursive: true, force: true });
      expect(plan.files.map((f) => f.changes)).toEqual([]);
    });
  }
});

/**
 * The same inputs through the real analysis: its targets may differ from case.json (it may prefer
 * the listener to an accept); `expected-engine.c` pins the result where it does.
 */
describe('C rewrite fixtures through the whole engine (analysis + planner)', () => {
  for (const c of listCases()) {
    it(`${c.name}`, async () => {
      const dir = mkdtempSync(join(tmpdir(), 'ka-rewrite-engine-'));
      const file = layOut(c, dir);
      const before = readFileSync(file);
      const plan = await cEngine.plan({ root: dir, files: [file], options: optionsOf(c.spec) });
      if (c.spec.note) {
        const mine = plan.sites.filter((s) => isFlagged(s));
        expect(mine.length, 'the case has flagged sites').toBeGreaterThan(0);
        for (const s of mine) expect(s.notes?.join(' ')).toContain(c.spec.note);
      }
      if (c.spec.verdict) {
        expect(plan.sites.length, 'the case has sites').toBeGreaterThan(0);
        for (const s of plan.sites) expect(s.keepalive, `${s.file}:${s.line}`).toBe(c.spec.verdict);
      }
      const after = plan.files.find((f) => f.path === file)?.after ?? before;
      const pinned = join(c.dir, 'expected-engine.c');
      const planned = join(c.dir, 'expected.c');
      const expectedFile = existsSync(pinned) ? pinned : existsSync(planned) ? planned : c.input;
      if (process.env.UPDATE_FIXTURES && !after.equals(readFileSync(expectedFile))) writeFileSync(pinned, after);
      expect(after.toString('latin1')).toBe(readFileSync(existsSync(pinned) ? pinned : expectedFile).toString('latin1'));

      // Planned for real, `fixable` is the rewrite's answer: every flagged site it calls fixable
      // carries the edit that fixes it alone, and that edit is keepalive; one it declines says why.
      for (const site of plan.sites.filter((s) => isFlagged(s) && !s.fixable && s.function !== null)) {
        expect(site.notes?.join(' '), `${site.file}:${site.line} says why it is not fixable`).toMatch(/not rewritten: /);
      }
      for (const site of plan.sites.filter((s) => isFlagged(s) && s.fixable)) {
        expect(site.fix, `${site.file}:${site.line} has a fix`).toBeDefined();
        const alone = applyByteEdits(before, site.fix!.edits).toString('latin1');
        expect(alone).toMatch(/SO_KEEPALIVE/);
        expect(site.fix!.unit).toBe('byte');
        expect(site.fix!.addsErrorListener).toBe(false);
        if (c.spec.fixKind) expect(site.fix!.kind, `${site.file}:${site.line}`).toBe(c.spec.fixKind);
      }
      // And the engine, run again on its own output, finds nothing left to do.
      writeFileSync(file, after);
      const again = await cEngine.plan({ root: dir, files: [file], options: optionsOf(c.spec) });
      expect(again.files.map((f) => f.changes)).toEqual([]);
      rmSync(dir, { recursive: true, force: true });
    });
  }
});
