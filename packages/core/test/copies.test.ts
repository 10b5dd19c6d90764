import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { BUILD_COPIES, copyDirRule, copyFileRule, discoverFiles, skippedCopiesLine } from '@ka-codemod/core';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'ka-copies-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const put = (rel: string, content = 'int x;\n') => {
  mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
  writeFileSync(path.join(dir, rel), content);
};
const discover = (extra: Partial<Parameters<typeof discoverFiles>[0]> = {}) =>
  discoverFiles({ paths: [dir], cwd: dir, extensions: ['.c', '.h'], probe: false, ...extra });
const rel = (files: string[]) => files.map((f) => path.relative(dir, f));

/** A Debian source tree after `dpkg-source -x`: quilt's pre-patch copies under .pc/, a backup tree, stray copies. */
function debianTree(): void {
  put('src/main.c');
  put('src/net.c');
  put('.pc/.version', '2\n');
  put('.pc/applied-patches', '01-fix.patch\n');
  put('.pc/01-fix.patch/src/net.c');
  put('.pc/02-more.patch/src/net.c');
  put('.pc/02-more.patch/src/util.h');
  put('.pc/02-more.patch/NEWS', 'not a source\n');
  put('lib.orig/util.c');
  put('src/old~/net.c');
  put('src/net.orig.c');
  put('src/net.c.orig'); // no source extension: never a candidate, never counted
}

describe('copies that are not part of the build', () => {
  it('are skipped by default and counted by kind, in the order of the table', async () => {
    debianTree();
    const found = await discover();
    expect(rel(found.files)).toEqual(['src/main.c', 'src/net.c']);
    expect(found.skippedCopies).toEqual([
      { kind: 'quilt', label: 'quilt patch copies under .pc/', files: 3, paths: ['.pc'] },
      { kind: 'orig', label: '*.orig copies', files: 2, paths: ['lib.orig', 'src/net.orig.c'] },
      { kind: 'backup', label: 'editor backups (*~)', files: 1, paths: ['src/old~'] },
    ]);
    expect(skippedCopiesLine(found.skippedCopies)).toBe(
      'skipped 3 quilt patch copies under .pc/, 2 *.orig copies and 1 editor backups (*~), not part of the build; --include-copies to analyse them',
    );
  });

  it('are analysed with includeCopies, and then nothing is reported skipped', async () => {
    debianTree();
    const found = await discover({ includeCopies: true });
    expect(rel(found.files)).toEqual(['.pc/01-fix.patch/src/net.c', '.pc/02-more.patch/src/net.c', '.pc/02-more.patch/src/util.h', 'lib.orig/util.c', 'src/main.c', 'src/net.c', 'src/net.orig.c', 'src/old~/net.c']);
    expect(found.skippedCopies).toEqual([]);
    expect(skippedCopiesLine(found.skippedCopies)).toBeNull();
  });

  it('a .pc directory without quilt state is an ordinary directory', async () => {
    put('.pc/x.c');
    expect(rel((await discover()).files)).toEqual(['.pc/x.c']);
  });

  it('a copy directory named on the command line is analysed as asked', async () => {
    debianTree();
    const found = await discoverFiles({ paths: [path.join(dir, '.pc')], cwd: dir, extensions: ['.c', '.h'], probe: false });
    expect(found.files.map((f) => path.relative(dir, f))).toEqual(['.pc/01-fix.patch/src/net.c', '.pc/02-more.patch/src/net.c', '.pc/02-more.patch/src/util.h']);
  });

  it('directories .gitignore drops are not counted as skipped copies', async () => {
    debianTree();
    put('.gitignore', '.pc/\n');
    mkdirSync(path.join(dir, '.git'));
    const found = await discover();
    expect(found.skippedCopies.map((s) => s.kind)).toEqual(['orig', 'backup']);
  });

  it('a copy with no file of the languages asked for is not mentioned', async () => {
    put('src/a.ts');
    put('.pc/.version', '2\n');
    put('.pc/01.patch/src/a.c');
    const found = await discoverFiles({ paths: [dir], cwd: dir, extensions: ['.ts'], probe: false });
    expect(found.skippedCopies).toEqual([]);
  });

  it('the table decides, for directories and files alike', () => {
    const none = () => false;
    expect(copyDirRule('.pc', (m) => m === '.version')?.kind).toBe('quilt');
    expect(copyDirRule('.pc', none)).toBeUndefined();
    expect(copyDirRule('src.bak', none)?.kind).toBe('bak');
    expect(copyDirRule('.orig', none)).toBeUndefined(); // a bare marker is a name, not a copy of something
    expect(copyDirRule('src', none)).toBeUndefined();
    expect(copyFileRule('x.rej.c')?.kind).toBe('rej');
    expect(copyFileRule('x~.h')?.kind).toBe('backup');
    expect(copyFileRule('original.c')).toBeUndefined();
    expect(copyFileRule('x.c')).toBeUndefined();
    expect(new Set(BUILD_COPIES.map((r) => r.kind)).size).toBe(BUILD_COPIES.length);
  });
});
