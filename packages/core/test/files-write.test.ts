import { execFileSync } from 'node:child_process';
import { chmodSync, chownSync, linkSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { writeIfUnchanged } from '@ka-codemod/core';
import { stageForAnyUser } from '../../../test/helpers/stage.js';
import { skipWithout } from '../../../test/helpers/system-tools.js';

const isRoot = process.getuid?.() === 0;

/** Runs `body(c)` with @ka-codemod/core loaded as uid 65534, from a copy that user can read. */
function asNobody(body: string): string {
  const staged = stageForAnyUser(path.resolve(import.meta.dirname, '..'));
  try {
    const core = path.join(staged.packageDir, 'dist/index.js');
    const script = `import(${JSON.stringify(core)}).then(async (c) => { ${body} })`;
    return execFileSync(process.execPath, ['-e', script], { uid: 65534, gid: 65534, encoding: 'utf8' });
  } finally {
    staged.remove();
  }
}

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'ka-write-'));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

const OLD = Buffer.from('int fd = socket(AF_INET, SOCK_STREAM, 0);\n');
const NEW = Buffer.from('int fd = socket(AF_INET, SOCK_STREAM, 0);\nenable_keepalive(fd);\n');
const put = (name: string, content: Buffer = OLD) => {
  const file = path.join(dir, name);
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, content);
  return file;
};
const leftovers = () => readdirSync(dir).filter((n) => n.includes('ka-codemod'));

describe('writeIfUnchanged', () => {
  it('replaces the content when the file still holds what was analysed, leaving no temp file', async () => {
    const file = put('a.c');
    expect(await writeIfUnchanged(file, OLD, NEW)).toEqual({ ok: true });
    expect(readFileSync(file)).toEqual(NEW);
    expect(leftovers()).toEqual([]);
  });

  it('replaces the file by rename (a new inode), so readers see old or new bytes, never a mix', async () => {
    const file = put('a.c');
    const before = statSync(file).ino;
    await writeIfUnchanged(file, OLD, NEW);
    expect(statSync(file).ino).not.toBe(before);
  });

  it('refuses a file changed since the analysis and leaves it byte-identical', async () => {
    const file = put('a.c');
    const edited = Buffer.concat([OLD, Buffer.from('// edited by a person\n')]);
    writeFileSync(file, edited);
    const outcome = await writeIfUnchanged(file, OLD, NEW);
    expect(outcome).toEqual({ ok: false, reason: 'changed-on-disk', message: `${file}: changed on disk since it was analysed; not rewritten` });
    expect(readFileSync(file)).toEqual(edited);
    expect(leftovers()).toEqual([]);
  });

  it('reports a file deleted since the analysis as changed', async () => {
    const file = put('a.c');
    rmSync(file);
    expect(await writeIfUnchanged(file, OLD, NEW)).toMatchObject({ ok: false, reason: 'changed-on-disk' });
  });

  it('keeps the mode, set-group-ID bit included', async () => {
    const file = put('a.c');
    chmodSync(file, 0o2751);
    await writeIfUnchanged(file, OLD, NEW);
    expect(statSync(file).mode & 0o7777).toBe(0o2751);
  });

  it('keeps the owner and group (when running as root, the only user that can give files away)', async () => {
    if (process.getuid?.() !== 0) return;
    const file = put('a.c');
    chownSync(file, 4321, 8765);
    chmodSync(file, 0o640);
    expect(await writeIfUnchanged(file, OLD, NEW)).toEqual({ ok: true });
    const after = statSync(file);
    expect([after.uid, after.gid, after.mode & 0o7777]).toEqual([4321, 8765, 0o640]);
  });

  it.skipIf(skipWithout(isRoot, 'root (to run code as uid 65534)'))('refuses, as an unprivileged user, a file whose owner it could not keep', async () => {
    const file = put('theirs.c');
    chmodSync(dir, 0o777);
    chmodSync(file, 0o666); // writable by anyone, owned by root: a rename by nobody would steal it
    const out = JSON.parse(asNobody(`const fs = await import('node:fs'); const r = await c.writeIfUnchanged(${JSON.stringify(file)}, fs.readFileSync(${JSON.stringify(file)}), Buffer.from('x')); process.stdout.write(JSON.stringify(r));`));
    expect(out).toMatchObject({ ok: false, reason: 'write-failed', message: expect.stringContaining('could not keep that owner') });
    expect(readFileSync(file)).toEqual(OLD);
    expect(statSync(file).uid).toBe(0);
    expect(leftovers()).toEqual([]);
  });

  it('writes through a symbolic link: the link stays a link and the target gets the content', async () => {
    const target = put('real/a.c');
    const link = path.join(dir, 'link.c');
    symlinkSync(target, link);
    expect(await writeIfUnchanged(link, OLD, NEW, { within: [dir] })).toEqual({ ok: true });
    expect(readFileSync(target)).toEqual(NEW);
    expect(statSync(link).isFile() && readdirSync(dir).includes('link.c')).toBe(true);
  });

  it('never writes outside the given paths, even through a link', async () => {
    const outside = mkdtempSync(path.join(tmpdir(), 'ka-write-out-'));
    try {
      const target = path.join(outside, 'a.c');
      writeFileSync(target, OLD);
      const link = path.join(dir, 'sneaky.c');
      symlinkSync(target, link);
      const outcome = await writeIfUnchanged(link, OLD, NEW, { within: [dir] });
      expect(outcome).toMatchObject({ ok: false, reason: 'write-failed', message: expect.stringContaining('outside the given paths') });
      expect(readFileSync(target)).toEqual(OLD);
      expect(readdirSync(outside)).toEqual(['a.c']);
    } finally {
      rmSync(outside, { recursive: true, force: true });
    }
  });

  it('accepts a file given by name as its own "within" path', async () => {
    const file = put('a.c');
    expect(await writeIfUnchanged(file, OLD, NEW, { within: [file] })).toEqual({ ok: true });
  });

  it('refuses a file with several hard links rather than splitting them', async () => {
    const file = put('a.c');
    linkSync(file, path.join(dir, 'b.c'));
    expect(await writeIfUnchanged(file, OLD, NEW)).toMatchObject({ ok: false, reason: 'write-failed', message: expect.stringContaining('2 hard links') });
    expect(readFileSync(path.join(dir, 'b.c'))).toEqual(OLD);
  });

  it('reports a directory it cannot create the temp file in, and leaves the file as it was', async () => {
    const ro = path.join(dir, 'ro');
    const file = put('ro/a.c');
    chmodSync(dir, 0o755);
    chmodSync(ro, 0o555);
    if (process.getuid?.() !== 0) {
      expect(await writeIfUnchanged(file, OLD, NEW)).toMatchObject({ ok: false, reason: 'write-failed' });
    } else {
      // root ignores directory permissions: run the write as nobody, owner of a file in a read-only directory.
      chownSync(ro, 65534, 65534);
      chownSync(file, 65534, 65534);
      const out = JSON.parse(asNobody(`const r = await c.writeIfUnchanged(${JSON.stringify(file)}, Buffer.from(${JSON.stringify(OLD.toString())}), Buffer.from('x')); process.stdout.write(JSON.stringify(r));`));
      expect(out).toEqual({ ok: false, reason: 'write-failed', message: `${file}: cannot be written (permission denied); not rewritten` });
    }
    expect(readFileSync(file)).toEqual(OLD);
    expect(readdirSync(ro)).toEqual(['a.c']);
  });

  it('writes an empty file and an empty result', async () => {
    const file = put('e.c', Buffer.alloc(0));
    expect(await writeIfUnchanged(file, Buffer.alloc(0), Buffer.from('x'))).toEqual({ ok: true });
    expect(await writeIfUnchanged(file, Buffer.from('x'), Buffer.alloc(0))).toEqual({ ok: true });
    expect(readFileSync(file).length).toBe(0);
  });
});
