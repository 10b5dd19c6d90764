/**
 * The CLI's audit, check and fix over a hostile tree (see hostile-tree.ts). Expected: no crash;
 * one clear line per skipped file; nothing written outside the given paths; symbolic links out of
 * the tree not followed; every file byte-identical or fully rewritten (exactly the engines' plan),
 * mode and owner kept; a second fix changes nothing; a file changed between analysis and write is
 * not overwritten.
 *
 * Unreadable files: the suite runs as root, and root reads a mode-000 file. Two stand-ins that
 * really refuse: a FIFO named pipe.c (open() would block; discovery must not even try to read it),
 * and a mode-000 file read by an unprivileged child (spawned with uid/gid 65534), which gets EACCES.
 */
import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_OPTIONS, discoverFiles, writeIfUnchanged, type Engine, type PlannedFile } from '@ka-codemod/core';
import { cEngine } from '@ka-codemod/c';
import { tsEngine } from '@ka-codemod/ts';
import { buildHostileTree, sha, snapshot, type Entry, type HostileTree } from './hostile-tree.js';
import { stageForAnyUser } from './helpers/stage.js';
import { skipWithout } from './helpers/system-tools.js';

const CLI = path.resolve('packages/cli/dist/bin.js');
const isRoot = process.getuid?.() === 0;

let base: string;
let tree: HostileTree;
let before: Map<string, Entry>;

function cli(args: string[], options: { uid?: number; gid?: number } = {}): SpawnSyncReturns<string> {
  return spawnSync(process.execPath, [CLI, ...args], {
    cwd: base,
    encoding: 'utf8',
    timeout: 60_000,
    env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: '0', CI: '1' },
    maxBuffer: 64 * 1024 * 1024,
    ...options,
  });
}

/** What the engines plan for the tree: the only content a rewritten file may have. */
async function plan(proj: string): Promise<PlannedFile[]> {
  const files: PlannedFile[] = [];
  for (const engine of [cEngine, tsEngine] as Engine[]) {
    const found = await discoverFiles({ paths: [proj], cwd: proj, extensions: engine.extensions });
    files.push(...(await engine.plan({ root: proj, files: found.files, options: DEFAULT_OPTIONS, jobs: 1 })).files);
  }
  return files;
}

/** No crash: a normal exit code, no signal, no stack trace, no "Unhandled" on stderr. */
function expectNoCrash(run: SpawnSyncReturns<string>, allowed: number[]) {
  expect(run.error, 'spawn error or timeout').toBeUndefined();
  expect(run.signal).toBeNull();
  expect(run.stderr).not.toMatch(/^\s+at .+:\d+:\d+\)?$/m);
  expect(run.stderr).not.toMatch(/internal error|Unhandled|^\w*Error: /m);
  expect(allowed, `exit ${run.status}\n${run.stderr}`).toContain(run.status);
}

/** Exactly one stderr line names each skipped file, and it is one line. */
function expectOneLinePerSkippedFile(stderr: string) {
  const lines = stderr.split('\n');
  for (const rel of Object.keys(tree.skipped)) {
    const name = rel.split('/').pop()!;
    const mentioning = lines.filter((l) => new RegExp(`(^|[/\\s])${name.replace('.', '\\.')}\\b`).test(l));
    expect(mentioning, `lines naming ${rel}:\n${stderr}`).toHaveLength(1);
  }
}

beforeAll(() => {
  base = mkdtempSync(path.join(tmpdir(), 'ka-hostile-'));
  chmodSync(base, 0o755);
  tree = buildHostileTree(base);
  before = snapshot(base);
  expect(existsSync(CLI), 'the CLI is built (npm test runs tsc -b first)').toBe(true);
});

afterAll(() => {
  rmSync(base, { recursive: true, force: true });
});

describe('hostile tree', () => {
  it('audit: no crash, one line per skipped file, nothing written', () => {
    const run = cli(['audit', 'proj', '--format', 'json']);
    expectNoCrash(run, [0]);
    expectOneLinePerSkippedFile(run.stderr);
    const report = JSON.parse(run.stdout) as { sites: { file: string }[] };
    expect(Array.isArray(report.sites)).toBe(true);
    // Nothing under a link out of the tree was analysed.
    expect(report.sites.filter((s) => s.file.startsWith('vendor/') || s.file.includes('escape.c'))).toEqual([]);
    expect(snapshot(base)).toEqual(before);
  });

  it('check: no crash (exit 0 or 1), one line per skipped file, nothing written', () => {
    const run = cli(['check', 'proj']);
    expectNoCrash(run, [0, 1]);
    expectOneLinePerSkippedFile(run.stderr);
    expect(snapshot(base)).toEqual(before);
  });

  it('fix: every file byte-identical or exactly the planned rewrite, mode and owner kept, nothing outside touched; a second fix changes nothing', async () => {
    const planned = new Map((await plan(tree.proj)).map((f) => [path.relative(base, f.path).split(path.sep).join('/'), f]));
    // Every ordinary TCP site of the tree is fixable, whatever its encoding, BOM or line endings.
    expect([...planned.keys()]).toEqual(expect.arrayContaining(tree.fixable.map((f) => `proj/${f}`)));
    const run = cli(['fix', 'proj', '--force']);
    expectNoCrash(run, [0]);
    expectOneLinePerSkippedFile(run.stderr);

    const after = snapshot(base);
    expect([...after.keys()].sort(), 'no file appears or disappears (no temp file left)').toEqual([...before.keys()].sort());
    for (const [rel, was] of before) {
      const now = after.get(rel)!;
      const p = planned.get(rel);
      if (p) {
        expect(now.sha, `${rel} holds exactly the planned rewrite`).toBe(sha(p.after));
        expect({ mode: now.mode, uid: now.uid, gid: now.gid }, `${rel} keeps mode and owner`).toEqual({ mode: was.mode, uid: was.uid, gid: was.gid });
      } else {
        expect(now, `${rel} is untouched`).toEqual(was);
      }
    }
    for (const [rel, p] of planned) {
      expect(rel.startsWith('proj/'), `${rel} is inside the given path`).toBe(true);
      expect(Object.keys(tree.skipped).map((s) => `proj/${s}`)).not.toContain(rel);
      // Rewrites keep what the file was made of: its BOM, its line endings, its non-UTF-8 bytes.
      const old = p.before;
      if (old[0] === 0xef) expect(p.after.subarray(0, 3)).toEqual(old.subarray(0, 3));
      if (old.includes('\r\n')) expect(p.after.toString('latin1'), `${rel} keeps CRLF`).not.toMatch(/[^\r]\n/);
      const firstLine = old.subarray(0, old.indexOf(10) + 1);
      expect(p.after.includes(firstLine), `${rel} keeps its first line byte for byte`).toBe(true);
    }

    const again = cli(['fix', 'proj', '--force']);
    expectNoCrash(again, [0]);
    expect(snapshot(base), 'a second fix changes nothing').toEqual(after);
  });

  it('a file changed on disk between analysis and write is not overwritten', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'ka-hostile-race-'));
    try {
      const t = buildHostileTree(dir, { owner: false, big: false });
      let files = await plan(t.proj);
      if (files.length === 0) {
        // Engines not planning yet: a hand-made plan still exercises the write path.
        const file = path.join(t.proj, 'src/plain.ts');
        const content = readFileSync(file);
        files = [{ path: file, before: content, after: Buffer.concat([content, Buffer.from('// rewritten\n')]), changes: [] }];
      }
      const [victim, ...rest] = files;
      const edited = Buffer.concat([victim!.before, Buffer.from('\n/* a person edited this meanwhile */\n')]);
      writeFileSync(victim!.path, edited);
      const outcome = await writeIfUnchanged(victim!.path, victim!.before, victim!.after, { within: [t.proj] });
      expect(outcome).toMatchObject({ ok: false, reason: 'changed-on-disk' });
      expect(readFileSync(victim!.path)).toEqual(edited);
      for (const f of rest) expect(await writeIfUnchanged(f.path, f.before, f.after, { within: [t.proj] })).toEqual({ ok: true });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it.skipIf(skipWithout(isRoot, 'root (to run the CLI as uid 65534)'))('audit as an unprivileged user: a mode-000 file gets one "permission denied" line, the rest is audited', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'ka-hostile-perm-'));
    // nobody may not reach this checkout (a private home folder): it runs a readable copy of the CLI
    const staged = stageForAnyUser(path.resolve('packages/cli'));
    try {
      chmodSync(dir, 0o755);
      writeFileSync(path.join(dir, 'ok.c'), '#include <sys/socket.h>\nint f(void) { return socket(AF_INET, SOCK_STREAM, 0); }\n');
      writeFileSync(path.join(dir, 'secret.c'), 'int hidden;\n');
      chmodSync(path.join(dir, 'secret.c'), 0o000);
      const run = spawnSync(process.execPath, [path.join(staged.packageDir, 'dist/bin.js'), 'audit', dir, '--format', 'json'], {
        encoding: 'utf8',
        timeout: 60_000,
        uid: 65534,
        gid: 65534,
        cwd: dir,
        env: { PATH: process.env.PATH ?? '', NO_COLOR: '1', HOME: dir },
      });
      expectNoCrash(run, [0]);
      const lines = run.stderr.split('\n').filter((l) => l.includes('secret.c'));
      expect(lines).toHaveLength(1);
      expect(lines[0]).toMatch(/permission denied/);
      expect(statSync(path.join(dir, 'secret.c')).mode & 0o777).toBe(0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
      staged.remove();
    }
  });
});
