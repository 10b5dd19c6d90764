/**
 * Every folder of fixtures/c/audit is one small project written for one concept; its
 * expected.json pins the sites (TCP class, verdict, tuning), problems, fix targets and keepalive
 * helpers the engine must report. Adding a case needs no code: write the folder, run this file
 * once with KA_UPDATE_FIXTURES=1 to write its expected.json, then review that file line by line.
 */
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { DEFAULT_OPTIONS, discoverFiles } from '@ka-codemod/core';
import { analyzeC } from '@ka-codemod/c';

const base = fileURLToPath(new URL('../../../fixtures/c/audit/', import.meta.url));
const cases = readdirSync(base, { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => d.name);

describe('C audit fixtures', () => {
  it('has cases', () => expect(cases.length).toBeGreaterThan(5));
  for (const name of cases) {
    it(name, async () => {
      const root = path.join(base, name);
      const expectedPath = path.join(root, 'expected.json');
      const { files } = await discoverFiles({ paths: [root], cwd: root, extensions: ['.c', '.h'] });
      const a = await analyzeC({ root, files, options: DEFAULT_OPTIONS });
      const actual = {
        sites: a.result.sites.map((s) => ({
          file: s.file, line: s.line, column: s.column, call: s.call, function: s.function, tcp: s.tcp,
          keepalive: s.keepalive, tuning: s.tuning, fixable: s.fixable, ...(s.tuningValues ? { tuningValues: s.tuningValues } : {}),
        })),
        problems: a.result.problems.map((p) => ({ file: p.file, kind: p.kind, line: p.line })),
        targets: a.targets.map((t) => ({ function: t.function, covers: t.covers.map((s) => `${s.file}:${s.line}`) })),
        keepaliveHelpers: a.keepaliveHelpers.map((h) => ({
          name: h.name, fdParam: h.fdParam, arity: h.arity, conditional: h.conditional, returns: h.returns,
          declaredIn: h.declaredIn.map((d) => path.relative(root, d)),
        })),
      };
      if (process.env.KA_UPDATE_FIXTURES && !existsSync(expectedPath)) writeFileSync(expectedPath, `${JSON.stringify(actual, null, 2)}\n`);
      expect(actual).toEqual(JSON.parse(readFileSync(expectedPath, 'utf8')));
      // the contract every site keeps
      for (const s of a.result.sites) {
        expect(s.language).toBe('c');
        expect(s.errorHandler).toBe('n/a');
        expect(s.how.length).toBeGreaterThan(10);
        if (s.tcp === 'no') expect(s.keepalive).toBe('n/a');
      }
      // every flagged, fixable site is covered by exactly one target
      const flagged = a.result.sites.filter((s) => s.fixable);
      const covered = a.targets.flatMap((t) => t.covers);
      expect(covered.length).toBe(flagged.length);
      for (const s of flagged) expect(covered.filter((c) => c === s)).toHaveLength(1);
    });
  }
});
