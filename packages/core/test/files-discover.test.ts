import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DEFAULT_MAX_FILE_BYTES, discoverFiles, probeSourceFile, readSourceFile, readSourceFileSync } from '@ka-codemod/core';
import { stageForAnyUser } from '../../../test/helpers/stage.js';
import { skipWithout } from '../../../test/helpers/system-tools.js';

let dir: string;
let outside: string;
beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'ka-discover-'));
  outside = mkdtempSync(path.join(tmpdir(), 'ka-outside-'));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
  rmSync(outside, { recursive: true, force: true });
});

const put = (rel: string, content: string | Buffer = 'int x;\n') => {
  mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
  writeFileSync(path.join(dir, rel), content);
};
const discover = (extra: Partial<Parameters<typeof discoverFiles>[0]> = {}) =>
  discoverFiles({ paths: [dir], cwd: dir, extensions: ['.c', '.h'], ...extra });
const rel = (files: string[]) => files.map((f) => path.relative(dir, f));

describe('discoverFiles', () => {
  it('finds files by extension, sorted, and nothing else', async () => {
    put('b.c');
    put('a/x.h');
    put('notes.txt');
    const found = await discover();
    expect(rel(found.files)).toEqual(['a/x.h', 'b.c']);
    expect(found.problems).toEqual([]);
    expect(found.root).toBe(dir);
  });

  it('keeps empty files (they are valid sources)', async () => {
    put('empty.c', '');
    expect(rel((await discover()).files)).toEqual(['empty.c']);
  });

  it('honours .gitignore and never enters node_modules or .git', async () => {
    put('.gitignore', 'gen/\n');
    put('gen/g.c');
    put('node_modules/m/m.c');
    put('.git/hooks/h.c');
    put('src/s.c');
    expect(rel((await discover()).files)).toEqual(['src/s.c']);
  });

  it('reports a binary file with a source extension in one line', async () => {
    put('blob.c', Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0, 1, 2]));
    const found = await discover();
    expect(found.files).toEqual([]);
    expect(found.problems).toEqual([{ file: 'blob.c', kind: 'binary', message: expect.stringMatching(/^blob\.c: binary content .*; skipped$/) }]);
  });

  it('skips a file above the size limit with a message, without reading it all', async () => {
    put('big.c', Buffer.alloc(2048, 0x20));
    const found = await discover({ maxFileBytes: 1024 });
    expect(found.files).toEqual([]);
    expect(found.problems[0]).toMatchObject({ file: 'big.c', kind: 'too-large' });
    expect(found.problems[0]!.message).not.toContain('\n');
  });

  it('has a default size limit that admits ordinary large sources', () => {
    expect(DEFAULT_MAX_FILE_BYTES).toBeGreaterThanOrEqual(4 * 1024 * 1024);
  });

  it('reports a FIFO with a source name instead of blocking on it', async () => {
    execFileSync('mkfifo', [path.join(dir, 'pipe.c')]);
    const found = await discover();
    expect(found.problems).toEqual([{ file: 'pipe.c', kind: 'unreadable', message: 'pipe.c: is a FIFO, not a regular file; skipped' }]);
  });

  it('with probe: false lists walked files unopened, for an engine that reads them with the same checks', async () => {
    put('blob.c', Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0, 1, 2]));
    put('ok.c');
    execFileSync('mkfifo', [path.join(dir, 'pipe.c')]);
    const found = await discover({ probe: false });
    expect(rel(found.files)).toEqual(['blob.c', 'ok.c']);
    // a FIFO is told from its directory entry and still reported here: opening it could block
    expect(found.problems.map((p) => [p.file, p.kind])).toEqual([['pipe.c', 'unreadable']]);
    const read = readSourceFileSync(path.join(dir, 'blob.c'), dir);
    expect(read.ok ? null : read.problem).toEqual({ file: 'blob.c', kind: 'binary', message: expect.stringMatching(/^blob\.c: binary content .*; skipped$/) });
  });

  it('ignores a directory whose name ends in .c', async () => {
    put('dir.c/inner.c');
    const found = await discover();
    expect(rel(found.files)).toEqual(['dir.c/inner.c']);
    expect(found.problems).toEqual([]);
  });

  it('does not follow symbolic links into loops, and reports a looping link with a source name', async () => {
    put('a.c');
    mkdirSync(path.join(dir, 'sub'));
    symlinkSync('..', path.join(dir, 'sub', 'up'));
    symlinkSync(dir, path.join(dir, 'self'));
    symlinkSync('l2.c', path.join(dir, 'l1.c'));
    symlinkSync('l1.c', path.join(dir, 'l2.c'));
    const found = await discover();
    expect(rel(found.files)).toEqual(['a.c']);
    expect(found.problems.map((p) => [p.file, p.kind])).toEqual([
      ['l1.c', 'unreadable'],
      ['l2.c', 'unreadable'],
    ]);
    expect(found.problems[0]!.message).toContain('symbolic link loop');
  });

  it('reports symbolic links that lead outside the given paths, file or directory, and does not follow them', async () => {
    writeFileSync(path.join(outside, 'secret.c'), 'int s;\n');
    symlinkSync(path.join(outside, 'secret.c'), path.join(dir, 'secret.c'));
    symlinkSync(outside, path.join(dir, 'vendor'));
    const found = await discover();
    expect(found.files).toEqual([]);
    expect(found.problems.map((p) => [p.file, p.kind])).toEqual([
      ['secret.c', 'symlink-outside-root'],
      ['vendor', 'symlink-outside-root'],
    ]);
    expect(found.problems[1]!.message).toMatch(/^vendor: symbolic link to directory .*, outside the given paths; not followed$/);
  });

  it('skips, silently, a link to a file inside the paths (the target is found under its own name)', async () => {
    put('real.c');
    symlinkSync('real.c', path.join(dir, 'alias.c'));
    const found = await discover();
    expect(rel(found.files)).toEqual(['real.c']);
    expect(found.problems).toEqual([]);
  });

  it('reports a broken link with a source name', async () => {
    symlinkSync('nowhere.c', path.join(dir, 'dangling.c'));
    const found = await discover();
    expect(found.problems).toMatchObject([{ file: 'dangling.c', kind: 'unreadable', message: 'dangling.c: is a broken symbolic link; skipped' }]);
  });

  it('follows a path named explicitly even when it is a link, and roots at its directory', async () => {
    writeFileSync(path.join(outside, 'named.c'), 'int n;\n');
    symlinkSync(path.join(outside, 'named.c'), path.join(dir, 'named.c'));
    const found = await discoverFiles({ paths: ['named.c'], cwd: dir, extensions: ['.c'] });
    expect(found.files).toEqual([path.join(dir, 'named.c')]);
    expect(found.root).toBe(dir);
    expect(found.within).toEqual([path.join(outside, 'named.c')]);
  });

  it('roots a single directory at itself even when its name has a dot', async () => {
    put('lib.d/a.c');
    const found = await discoverFiles({ paths: ['lib.d'], cwd: dir, extensions: ['.c'] });
    expect(found.root).toBe(path.join(dir, 'lib.d'));
  });

  it('throws for a missing path (a usage error for the caller to print)', async () => {
    await expect(discoverFiles({ paths: ['nope'], cwd: dir, extensions: ['.c'] })).rejects.toThrow(/ENOENT/);
  });

  it('walks deep directory nesting', async () => {
    const deep = Array.from({ length: 60 }, (_, i) => `d${i}`).join('/');
    put(`${deep}/deep.c`);
    expect((await discover()).files).toHaveLength(1);
  });
});

describe('readSourceFile', () => {
  it('returns the whole content of a good file', async () => {
    put('ok.c', 'int ok;\n');
    const read = await readSourceFile(path.join(dir, 'ok.c'), dir);
    expect(read).toEqual({ ok: true, content: Buffer.from('int ok;\n') });
  });

  it('reports a missing file as unreadable instead of throwing', async () => {
    const read = await readSourceFile(path.join(dir, 'gone.c'), dir);
    expect(read).toEqual({ ok: false, problem: { file: 'gone.c', kind: 'unreadable', message: 'gone.c: vanished while being read; skipped' } });
  });

  it('spots a NUL byte only within the first block, like git', async () => {
    put('late-nul.c', Buffer.concat([Buffer.alloc(9000, 0x20), Buffer.from([0])]));
    expect(await probeSourceFile(path.join(dir, 'late-nul.c'), dir)).toBeNull();
  });

  it.skipIf(skipWithout(process.getuid?.() === 0, 'root (to run code as uid 65534)'))('reports a permission-denied file (as an unprivileged user) as unreadable', async () => {
    // root reads anything regardless of mode bits; drop to nobody in a child to really get EACCES.
    put('secret.c');
    execFileSync('chmod', ['755', dir]);
    execFileSync('chmod', ['000', path.join(dir, 'secret.c')]);
    // nobody may not reach this checkout (a private home folder): it loads a readable copy
    const staged = stageForAnyUser(path.resolve(import.meta.dirname, '..'));
    let out: string;
    try {
      const script = `import(${JSON.stringify(path.join(staged.packageDir, 'dist/index.js'))}).then(async (c) => { const r = await c.readSourceFile(${JSON.stringify(path.join(dir, 'secret.c'))}, ${JSON.stringify(dir)}); process.stdout.write(JSON.stringify(r)); })`;
      out = execFileSync(process.execPath, ['-e', script], { uid: 65534, gid: 65534, encoding: 'utf8' });
    } finally {
      staged.remove();
    }
    expect(JSON.parse(out)).toEqual({ ok: false, problem: { file: 'secret.c', kind: 'unreadable', message: 'secret.c: cannot be read (permission denied); skipped' } });
  });
});
