import { rmSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { ENGINE_PHASES } from '@ka-codemod/core';
import { timingsTable } from '../src/timings.js';
import { runCli, tmpDir, writeTree } from './helpers.js';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

/** A source package as dpkg-source leaves it: the patched file, and quilt's pre-patch copy under .pc/. */
async function patchedTree(): Promise<string> {
  const dir = tmpDir();
  dirs.push(dir);
  await writeTree(dir, {
    'src/server.c': 'int serve(void) {\n  int fd = socket(AF_INET, SOCK_STREAM, 0);\n  return fd;\n}\n',
    '.pc/.version': '2\n',
    '.pc/01-fix.patch/src/server.c': 'int serve(void) {\n  int fd = socket(AF_INET, SOCK_STREAM, 0);\n  return fd;\n}\n',
  });
  return dir;
}

describe('copies that are not part of the build', () => {
  it('audit skips them and says so in one line; --include-copies analyses them', async () => {
    const dir = await patchedTree();
    const skipped = await runCli(['audit', '.', '--format', 'json'], dir);
    expect(JSON.parse(skipped.stdout).sites.map((s: { file: string }) => s.file)).toEqual(['src/server.c']);
    expect(skipped.stderr).toContain('ka-codemod: skipped 1 quilt patch copies under .pc/, not part of the build; --include-copies to analyse them\n');
    const all = await runCli(['audit', '.', '--format', 'json', '--include-copies'], dir);
    expect(JSON.parse(all.stdout).sites.map((s: { file: string }) => s.file)).toEqual(['.pc/01-fix.patch/src/server.c', 'src/server.c']);
    expect(all.stderr).not.toContain('skipped');
  });

  it('check and fix skip them too; --quiet drops the line', async () => {
    const dir = await patchedTree();
    const check = await runCli(['check', '.'], dir);
    expect(check.stderr).toContain('skipped 1 quilt patch copies');
    const quiet = await runCli(['fix', '.', '--dry-run', '--quiet'], dir);
    expect(quiet.stdout).not.toContain('.pc/');
    expect(quiet.stderr).not.toContain('skipped');
  });
});

describe('--timings', () => {
  it('prints one row per phase, the engine phases named once in core', async () => {
    const dir = await patchedTree();
    const r = await runCli(['audit', '.', '--format', 'json', '--timings'], dir);
    const rows = r.stderr.split('\n').map((l) => l.split(/\s{2,}/)[0]);
    expect(rows).toEqual(expect.arrayContaining(['phase', 'start-up', 'discovery', ...ENGINE_PHASES.map((p) => p.phase), 'engine (wall)', 'report', 'total (wall)']));
    JSON.parse(r.stdout); // the report on stdout stays clean
    const without = await runCli(['audit', '.', '--format', 'json'], dir);
    expect(without.stderr).not.toContain('discovery');
  });

  it('takes each engine phase from the stats keys core names, one column per engine', () => {
    const table = timingsTable(
      { stats: { c: { readMs: 5, prefilterMs: 7, macroMs: 1, parseMs: 20, copyMs: 2, factsMs: 3, decideMs: 4, filesRead: 9, filesParsed: 2, flowFacts: 30, threads: 2 }, ts: { readMs: 1, parseMs: 6 } }, discoveryMs: 11, engineMs: { c: 50, ts: 9 }, startedAt: 100, endedAt: 170 },
      90,
      200,
    );
    const cell = (phase: string) => table.split('\n').find((l) => l.startsWith(`${phase} `))!.trim().split(/\s+/).slice(-2);
    expect(cell('prefilter')).toEqual(['8', '0']);
    expect(cell('parse')).toEqual(['22', '6']);
    expect(table).toMatch(/^report\s+30$/m);
    expect(table).toContain('c: 9 files read, 2 parsed, 30 flow facts, 2 threads');
  });
});
