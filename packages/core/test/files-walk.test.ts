import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import ignore from 'ignore';
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

  it('matches a glob without a slash at any depth, as .gitignore and ESLint do', async () => {
    put('top.js');
    put('src/deep/a.js');
    put('src/deep/a.c');
    put('build/out.js');
    expect(await rels('', { include: ['*.js'] })).toEqual(['build/out.js', 'src/deep/a.js', 'top.js']);
    expect(await rels('', { include: ['*.js'], exclude: ['build'] })).toEqual(['src/deep/a.js', 'top.js']);
    // a slash anchors the glob to the walked directory
    expect(await rels('', { include: ['src/*.js'] })).toEqual([]);
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

  it('re-includes the files of a directory a negation re-includes, even when the negation names no wanted file', async () => {
    // found by the property test below: `!build` cannot match a .c name, yet decides build/x.c
    put('.gitignore', 'B*\n!build\n');
    put('build/x.c');
    put('boot.c');
    expect(await rels('', { wanted: (n: string) => n.endsWith('.c'), extensions: ['.c'] })).toEqual(['build/x.c']);
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

describe('walkTree against a reference that asks every .gitignore about every entry', () => {
  // The walk skips a rule for an entry when none of its lines can match the entry's own name and
  // the rule said nothing about a parent (walk.ts, gitIgnored). The reference never skips.
  const reference = (root: string, wanted: (name: string) => boolean): string[] => {
    const out: string[] = [];
    const visit = (abs: string, chain: Array<{ base: string; matcher: ReturnType<typeof ignore> }>): void => {
      const entries = readdirSync(abs, { withFileTypes: true });
      const own = entries.some((e) => e.name === '.gitignore') ? [...chain, { base: abs, matcher: ignore().add(readFileSync(path.join(abs, '.gitignore'), 'utf8')) }] : chain;
      for (const e of entries) {
        const child = path.join(abs, e.name);
        if (!e.isDirectory() && !wanted(e.name)) continue;
        let ignored = false;
        for (const r of own) {
          const verdict = r.matcher.test(path.relative(r.base, child).split(path.sep).join('/') + (e.isDirectory() ? '/' : ''));
          if (verdict.ignored) ignored = true;
          else if (verdict.unignored) ignored = false;
        }
        if (ignored) continue;
        if (e.isDirectory()) visit(child, own);
        else out.push(path.relative(root, child).split(path.sep).join('/'));
      }
    };
    visit(root, []);
    return out.sort();
  };

  it('lists the same files for generated trees and .gitignore files', async () => {
    const names = ['a', 'b', 'build', 'gen', 'x.c', 'y.h', 'a.c', 'lib.so.1', 'Build', 'x.o', 'gram.c'];
    const lines = ['*.o', '*.c', 'build/', 'build', '/a', 'a/*.c', '!x.c', '!build', '*.so.[0-9]', 'gen*', '[xy].c', '**/b', 'x.c', '/gram.c', '!/gram.c', '# note', 'B*', '[]x].c'];
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.array(fc.constantFrom(...names), { minLength: 1, maxLength: 3 }), { minLength: 1, maxLength: 14 }),
        fc.array(fc.tuple(fc.constantFrom('', 'a', 'b', 'a/b', 'build', 'gen'), fc.array(fc.constantFrom(...lines), { maxLength: 4 })), { maxLength: 4 }),
        async (files, ignores) => {
          rmSync(dir, { recursive: true, force: true });
          mkdirSync(dir, { recursive: true });
          for (const segments of files) {
            const rel = segments.join('/');
            try {
              put(rel.endsWith('.c') || rel.endsWith('.h') ? rel : `${rel}/f.c`);
            } catch {
              // a name taken as a file and as a directory: keep the first
            }
          }
          for (const [where, content] of ignores) {
            try {
              put(path.join(where, '.gitignore'), content.join('\n') + '\n');
            } catch {
              // `where` is a file in this tree
            }
          }
          const wanted = (name: string) => name.endsWith('.c') || name.endsWith('.h') || name === '.gitignore';
          const got = await walkTree(dir, { wanted, extensions: ['.c', '.h'] });
          expect(got.map((e) => e.rel)).toEqual(reference(dir, wanted));
        },
      ),
      // fast-check's default run count: every run draws a new seed, so CI runs add coverage over time
      { numRuns: 100 },
    );
  }, 60_000);
});
