/**
 * Property: for generated TS/JS modules with sockets in many shapes (property-ts-programs.ts), the
 * TS engine finds every site with the TCP class the generator meant, and its rewrite
 *  - parses cleanly (no TypeScript parse diagnostic),
 *  - gives every TCP site keepalive (re-analysis: none left flagged, TCP sites say yes),
 *  - leaves every rewritten socket with an 'error' listener or one it cannot see ('unknown'),
 *    never a known 'no' (a keepalive timeout without one crashes the process),
 *  - keeps a CRLF file CRLF, and leaves non-TCP and already-keepalive code alone,
 *  - is complete in ONE run, nested and overlapping fixes included: planning again on the result
 *    changes nothing,
 *  - and each site's own fix (the ESLint rule's suggestion) still applies alone to the original.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import ts from 'typescript';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyTextEdits, DEFAULT_OPTIONS, isFlagged, type AnalyzeRequest } from '@ka-codemod/core';
import { tsEngine } from '@ka-codemod/ts';
import { tsProgram } from './property-ts-programs.js';

// PROPERTY_RUNS / PROPERTY_SEED widen a local exploration; the suite runs the fixed, seeded default.
const RUNS = Number(process.env.PROPERTY_RUNS ?? 60);
const SEED = Number(process.env.PROPERTY_SEED ?? 20261121);

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'ka-property-ts-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function parseDiagnostics(fileName: string, text: string): string[] {
  const kind = /\.[mc]?ts$/.test(fileName) ? ts.ScriptKind.TS : ts.ScriptKind.JS;
  const sf = ts.createSourceFile(fileName, text, ts.ScriptTarget.Latest, true, kind);
  const diags = (sf as unknown as { parseDiagnostics?: ts.Diagnostic[] }).parseDiagnostics ?? [];
  return diags.map((d) => ts.flattenDiagnosticMessageText(d.messageText, ' '));
}

let n = 0;
const request = (file: string): AnalyzeRequest => ({ root: path.dirname(file), files: [file], options: DEFAULT_OPTIONS, jobs: 1 });

describe('TS rewrite property', () => {
  it('every TCP site gets keepalive and error handling; the rewrite parses and is idempotent', async () => {
    await fc.assert(
      fc.asyncProperty(tsProgram, async (program) => {
        const sub = path.join(dir, String(n++));
        mkdirSync(sub);
        const file = path.join(sub, program.fileName);
        writeFileSync(path.join(sub, 'package.json'), JSON.stringify({ name: `p${n}`, private: true, ...(program.nodeRange ? { engines: { node: program.nodeRange } } : {}) }));
        writeFileSync(file, program.text);
        expect(parseDiagnostics(program.fileName, program.text), 'the generated module itself parses').toEqual([]);

        const first = await tsEngine.plan(request(file));
        expect(first.problems).toEqual([]);
        const expected = program.snippets.flatMap((s) => s.sites);
        expect(first.sites.map((s) => ({ call: s.call, tcp: s.tcp }))).toEqual(expected);
        // A snippet may hold several sites (nested and overlapping shapes): each site with its snippet.
        const snippetOf = program.snippets.flatMap((snippet) => snippet.sites.map(() => snippet));
        snippetOf.forEach((snippet, i) => {
          const site = first.sites[i]!;
          if (site.tcp === 'no') expect(site.keepalive).toBe('n/a');
          else if (snippet.keepalive && snippet.keepaliveByOption && program.nodeRange === '>=12') expect(site.keepalive, 'the option is ignored before Node 16.15').toBe('no');
          else if (snippet.keepalive) expect(site.keepalive, 'keepalive already set').toBe('yes');
          else expect(site.keepalive).toBe('no');
        });

        const flagged = first.sites.filter(isFlagged);
        if (flagged.length === 0) {
          expect(first.files, 'nothing to fix, nothing changes').toEqual([]);
          return;
        }
        expect(flagged.filter((s) => !s.fixable), 'every flagged site is fixable').toEqual([]);
        expect(first.files).toHaveLength(1);
        // Each site's own fix (the ESLint rule's suggestion) stays valid on the original text, alone.
        for (const site of flagged) {
          const alone = applyTextEdits(program.text, site.fix!.edits);
          expect(parseDiagnostics(program.fileName, alone), `the fix of ${site.call} at ${site.line}:${site.column} alone parses:\n${alone}`).toEqual([]);
        }
        const afterText = first.files[0]!.after.toString('utf8');
        expect(parseDiagnostics(program.fileName, afterText), `the rewrite parses:\n${afterText}`).toEqual([]);
        if (program.text.includes('\r\n')) expect(afterText, 'CRLF file stays CRLF').not.toMatch(/[^\r]\n/);

        writeFileSync(file, first.files[0]!.after);
        const second = await tsEngine.plan(request(file));
        expect(second.problems).toEqual([]);
        expect(second.sites.filter(isFlagged), `no site left without keepalive:\n${afterText}`).toEqual([]);
        expect(second.sites.length).toBe(first.sites.length);
        second.sites.forEach((site, i) => {
          if (site.tcp === 'yes') expect(site.keepalive, `site ${i} has keepalive:\n${afterText}`).toBe('yes');
          if (isFlagged(first.sites[i]!)) expect(site.errorHandler, `rewritten site ${i} is not left without an 'error' listener:\n${afterText}`).not.toBe('no');
        });
        expect(second.files, `a second run changes nothing:\n${afterText}`).toEqual([]);
      }),
      { numRuns: RUNS, seed: SEED, endOnFailure: true },
    );
  });
});
