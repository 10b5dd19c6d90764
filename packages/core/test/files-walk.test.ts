import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { discoverFiles, mayMatchWantedFile, walkTree } from '@ka-codemod/core';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'ka-walk-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const put = (rel: string, content = 'x\n') => {
  mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
  writeFileSync(path.join(dir, rel), content);
};
const rels = async (sub = '', options = {}) => (await walkTree(path.join(dir, sub), options)).map((e) => e.rel);

describe('walkTree', () => {
  it('lists files sorted, skipping node_modules and .git', async () => {
    put('b.c');
    put('a/a.c');
    put('node_modules/x/x.c');
    put('.git/HEAD');
    put('.hidden/h.c');
    expect(await rels()).toEqual(['.hidden/h.c', 'a/a.c', 'b.c']);
  });

  it('applies .gitignore files per directory, with negations in deeper ones', async () => {
    put('.gitignore', '*.gen.c\nbuild/\n');
    put('keep.c');
    put('x.gen.c');
    put('build/out.c');
    put('src/.gitignore', '!y.gen.c\nlocal.c\n');
    put('src/y.gen.c');
    put('src/local.c');
    put('src/z.gen.c');
    expect(await rels()).toEqual(['.gitignore', 'keep.c', 'src/.gitignore', 'src/y.gen.c']);
  });

  it('treats a pattern with a slash as anchored to its .gitignore directory', async () => {
    put('src/.gitignore', '/gen.c\n');
    put('src/gen.c');
    put('src/deeper/gen.c');
    expect(await rels('src')).toEqual(['.gitignore', 'deeper/gen.c']);
  });

  it("honours the .gitignore files above the walked directory, up to the repository's root", async () => {
    mkdirSync(path.join(dir, '.git'));
    put('.gitignore', 'vendor/\n*.tmp.c\n');
    put('pkg/src/a.c');
    put('pkg/src/b.tmp.c');
    put('pkg/src/vendor/v.c');
    expect(await rels('pkg/src')).toEqual(['a.c']);
  });

  it('ignores nothing outside a repository but the walked tree itself says so', async () => {
    put('.gitignore', '*.c\n'); // above the walked dir, and no .git anywhere: not this tree's rules
    put('pkg/a.c');
    expect(await rels('pkg')).toEqual(['a.c']);
  });

  it('filters by include and exclude globs, relative to the walked directory', async () => {
    put('src/a.c');
    put('src/a_test.c');
    put('third_party/t.c');
    expect(await rels('', { exclude: ['third_party/**', '**/*_test.c'] })).toEqual(['src/a.c']);
    expect(await rels('', { include: ['src/**'] })).toEqual(['src/a.c', 'src/a_test.c']);
  });

  it('reports links and other nodes by kind without following them', async () => {
    put('real.c');
    symlinkSync('real.c', path.join(dir, 'link.c'));
    symlinkSync('.', path.join(dir, 'loop'));
    const entries = await walkTree(dir);
    expect(entries.map((e) => [e.rel, e.kind])).toEqual([
      ['link.c', 'symlink'],
      ['loop', 'symlink'],
      ['real.c', 'file'],
    ]);
  });

  it('drops file names the caller does not want, but always lists links', async () => {
    put('a.c');
    put('README.md');
    symlinkSync('README.md', path.join(dir, 'docs.md'));
    expect(await rels('', { wanted: (name: string) => name.endsWith('.c') })).toEqual(['a.c', 'docs.md']);
  });

  it('lets discoverFiles honour a repository .gitignore for a sub-directory given alone', async () => {
    mkdirSync(path.join(dir, '.git'));
    put('.gitignore', 'generated/\n');
    put('lib/generated/g.c');
    put('lib/l.c');
    const found = await discoverFiles({ paths: ['lib'], cwd: dir, extensions: ['.c'] });
    expect(found.files).toEqual([path.join(dir, 'lib/l.c')]);
  });
});

describe('mayMatchWantedFile (which .gitignore lines file tests can skip)', () => {
  const wanted = (name: string) => name.endsWith('.c') || name.endsWith('.h');
  it.each([
    ['/gram.c', true],
    ['src/*.o', true], // a glob: may match anything
    ['*.so.[0-9]', true],
    ['!keep.h', true], // a re-include counts as much as an exclusion
    ['/GNUmakefile', false],
    ['objfiles.txt', false],
    ['tmp_check/', false], // directories only
    ['/results/', false],
    ['# gram.c', false],
    ['', false],
    ['odd\\ name.c', true], // escapes: not worth reading, so maybe
    ['gram.c   ', true], // trailing blanks are not part of the pattern
  ])('%j -> %s', (line, expected) => {
    expect(mayMatchWantedFile(line, wanted)).toBe(expected);
  });

  it.each([
    ['*.o', false],
    ['lib*dll.def', false], // must end in dll.def
    ['*.so.[0-9]', false], // must end in a digit
    ['*.[ch]', true],
    ['*c', true],
    ['x?.h', true],
    ['foo*', true], // may end any way
    ['*.[!o]', true], // negated classes are not read: maybe
    ['/GNUmakefile', false],
  ])('with the extensions known, %j -> %s', (line, expected) => {
    expect(mayMatchWantedFile(line, wanted, ['.c', '.h'])).toBe(expected);
  });

  it('keeps a nested literal pattern for a wanted file and a parent glob in force', async () => {
    mkdirSync(path.join(dir, 'src/parser'), { recursive: true });
    writeFileSync(path.join(dir, '.gitignore'), '*.o\n*.gen.c\nlib*dll.def\n');
    writeFileSync(path.join(dir, 'src/parser/.gitignore'), '/gram.c\n/Makefile.depend\n');
    for (const f of ['src/parser/gram.c', 'src/parser/scan.c', 'src/parser/x.gen.c', 'src/parser/Makefile.depend']) writeFileSync(path.join(dir, f), '');
    expect((await walkTree(dir, { wanted })).map((e) => e.rel)).toEqual(['src/parser/scan.c']);
    expect((await walkTree(dir, { wanted, extensions: ['.c', '.h'] })).map((e) => e.rel)).toEqual(['src/parser/scan.c']);
  });
});
