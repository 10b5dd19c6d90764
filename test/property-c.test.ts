/**
 * Property: for generated C programs with sockets in many shapes (property-c-programs.ts), the
 * C engine classifies every site as the generator meant it, and its rewrite
 *  - parses cleanly (tree-sitter: no ERROR or MISSING node) and still compiles (gcc -fsyntax-only),
 *  - gives every TCP site keepalive (re-analysis: no site left flagged, TCP sites say yes),
 *  - leaves non-TCP and already-keepalive code alone,
 *  - is a fixed point: planning again on the result changes nothing.
 * Seeded and bounded so it runs in `npm test` in seconds.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_OPTIONS, isFlagged, type AnalyzeRequest } from '@ka-codemod/core';
import { cEngine } from '@ka-codemod/c';
import { cParser } from '../packages/c/src/scan/source.js';
import { cProgram } from './property-c-programs.js';

// PROPERTY_RUNS / PROPERTY_SEED widen a local exploration; the suite runs the fixed, seeded default.
const RUNS = Number(process.env.PROPERTY_RUNS ?? 60);
const SEED = Number(process.env.PROPERTY_SEED ?? 20261121);
const gcc = spawnSync('gcc', ['--version']).status === 0;

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'ka-property-c-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** tree-sitter marks syntax it could not fit with ERROR or MISSING nodes: hasError covers both. The engine's own parser. */
function parsesCleanly(text: string): boolean {
  return !cParser().parse(text).rootNode.hasError;
}

function compiles(file: string): { ok: boolean; stderr: string } {
  const r = spawnSync('gcc', ['-fsyntax-only', '-std=gnu11', '-Werror=implicit-function-declaration', '-Werror=incompatible-pointer-types', file], { encoding: 'utf8' });
  return { ok: r.status === 0, stderr: r.stderr };
}

let n = 0;
const request = (file: string): AnalyzeRequest => ({ root: path.dirname(file), files: [file], options: DEFAULT_OPTIONS, jobs: 1 });

describe('C rewrite property', () => {
  it('every TCP site gets keepalive; the rewrite parses, compiles, touches nothing else and is idempotent', async () => {
    await fc.assert(
      fc.asyncProperty(cProgram, async (program) => {
        const sub = path.join(dir, String(n++));
        const file = path.join(sub, 'prog.c');
        spawnSync('mkdir', ['-p', sub]);
        writeFileSync(file, program.text, 'latin1');
        expect(parsesCleanly(program.text), 'the generated program itself parses').toBe(true);
        if (gcc) expect(compiles(file).stderr, 'the generated program itself compiles').toBe('');

        const first = await cEngine.plan(request(file));
        expect(first.problems).toEqual([]);
        // The analysis sees every site the generator wrote, with the TCP class it meant.
        const expected = program.functions.flatMap((f) => f.sites.map((s) => ({ call: s.call, tcp: s.tcp })));
        expect(first.sites.map((s) => ({ call: s.call, tcp: s.tcp }))).toEqual(expected);
        for (const [i, site] of first.sites.entries()) {
          const fn = program.functions.find((f) => f.code.includes(site.function ?? '\u0000'));
          if (site.tcp === 'no') expect(site.keepalive, `site ${i} is not TCP`).toBe('n/a');
          else if (fn?.keepalive) expect(site.keepalive, `site ${i} already has keepalive`).toBe('yes');
        }

        const flagged = first.sites.filter(isFlagged);
        if (flagged.length === 0) {
          expect(first.files, 'nothing to fix, nothing changes').toEqual([]);
          return;
        }
        expect(flagged.every((s) => s.fixable), `every flagged site is fixable: ${JSON.stringify(flagged.filter((s) => !s.fixable))}`).toBe(true);
        expect(first.files).toHaveLength(1);
        const after = first.files[0]!.after;
        const afterText = after.toString('latin1');
        expect(parsesCleanly(afterText), `the rewrite parses:\n${afterText}`).toBe(true);
        // Only insertions: every original line is still there, in order — except `return socket(...);`,
        // which becomes a block that stores the fd, enables keepalive and returns it (the call kept as written).
        const originalLines = program.text.split(/\r?\n/);
        const rewrittenLines = afterText.split(/\r?\n/);
        let at = 0;
        for (const line of originalLines) {
          const returned = /^\s*return (socket\(.*\));\s*$/.exec(line);
          const found = returned ? rewrittenLines.findIndex((l, i) => i >= at && l.includes(returned[1]!)) : rewrittenLines.indexOf(line, at);
          expect(found, `original line kept: ${JSON.stringify(line)}\n${afterText}`).toBeGreaterThanOrEqual(0);
          at = found + 1;
        }
        if (program.text.includes('\r\n')) expect(afterText, 'CRLF file stays CRLF').not.toMatch(/[^\r]\n/);

        writeFileSync(file, after);
        if (gcc) {
          const c = compiles(file);
          expect(c.ok, `gcc accepts the rewrite:\n${c.stderr}\n${afterText}`).toBe(true);
        }
        const second = await cEngine.plan(request(file));
        expect(second.sites.filter(isFlagged), 'no site left without keepalive').toEqual([]);
        for (const s of second.sites) if (s.tcp === 'yes') expect(s.keepalive).toBe('yes');
        expect(second.sites.length).toBe(first.sites.length);
        expect(second.files, 'a second run changes nothing').toEqual([]);
      }),
      { numRuns: RUNS, seed: SEED, endOnFailure: true },
    );
  });
});
