/**
 * The C analysis spread over worker threads gives exactly what one thread gives. The workers only
 * exist in the built package (dist/shard-worker.js), so this runs the built engine.
 */
import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { DEFAULT_OPTIONS, discoverFiles } from '@ka-codemod/core';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const built = pathToFileURL(path.join(repo, 'packages/c/dist/index.js')).href;

describe('C analysis across threads', () => {
  it('gives the same sites, targets and problems with 1 and 3 threads, and really uses 3', async () => {
    const { analyzeC } = (await import(built)) as typeof import('@ka-codemod/c');
    const root = path.join(repo, 'fixtures/c');
    const { files } = await discoverFiles({ paths: [root], cwd: root, extensions: ['.c', '.h'], probe: false });
    expect(files.length).toBeGreaterThan(50);
    const one = await analyzeC({ root, files, options: DEFAULT_OPTIONS, jobs: 1 });
    const three = await analyzeC({ root, files, options: DEFAULT_OPTIONS, jobs: 3 });
    expect(one.result.stats.threads).toBe(1);
    expect(three.result.stats.threads).toBe(3);
    expect(three.result.sites).toEqual(one.result.sites);
    expect(three.result.problems).toEqual(one.result.problems);
    expect(three.targets).toEqual(one.targets);
    expect(three.keepaliveHelpers).toEqual(one.keepaliveHelpers);
    expect(three.statementMacros).toEqual(one.statementMacros);
    expect(three.result.stats.filesParsed).toBe(one.result.stats.filesParsed);
    expect(one.result.sites.length).toBeGreaterThan(100);
  }, 120_000);

  it('reports files it cannot read the same way when worker threads join', async () => {
    const { analyzeC } = (await import(built)) as typeof import('@ka-codemod/c');
    const root = mkdtempSync(path.join(tmpdir(), 'ka-threads-'));
    try {
      cpSync(path.join(repo, 'fixtures/c/audit'), root, { recursive: true });
      writeFileSync(path.join(root, 'blob.c'), Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0, 0, 1]));
      writeFileSync(path.join(root, 'zz-blob.h'), Buffer.from([0, 1, 2, 3]));
      const { files } = await discoverFiles({ paths: [root], cwd: root, extensions: ['.c', '.h'], probe: false });
      const one = await analyzeC({ root, files, options: DEFAULT_OPTIONS, jobs: 1 });
      const two = await analyzeC({ root, files, options: DEFAULT_OPTIONS, jobs: 2 });
      expect(two.result.stats.threads).toBe(2);
      expect(two.result.problems).toEqual(one.result.problems);
      expect(one.result.problems.filter((p) => p.kind === 'binary').map((p) => p.file)).toEqual(['blob.c', 'zz-blob.h']);
      expect(two.result.sites).toEqual(one.result.sites);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  }, 120_000);
});
