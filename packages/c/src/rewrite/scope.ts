import { existsSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import type { KeepaliveOptions } from '@ka-codemod/core';

/**
 * What a maintainer expects the rewrite to leave alone unless asked, as data: copies of other
 * projects (their fixes belong upstream) and test or example programs (not what ships).
 */
export const SCOPE = {
  /** Folder names that hold copies of other projects. */
  vendoredDirs: ['vendor', 'vendors', 'vendored', 'third_party', 'third-party', 'thirdparty', '3rdparty', 'deps', 'external', 'extern', 'bundled', 'libcperciva'],
  /**
   * Files that mark a folder as a project of its own (its licence, an upstream note): inside
   * another project, that is a copy of it.
   */
  upstreamMarkers: ['LICENSE', 'LICENSE.txt', 'LICENSE.md', 'COPYING', 'COPYRIGHT', 'UPSTREAM', 'README.upstream', '.gitrepo', '.git'],
  /** Files that make a folder a project (the one being fixed when nothing above it is one). */
  projectMarkers: ['Makefile', 'Makefile.am', 'GNUmakefile', 'configure', 'configure.ac', 'CMakeLists.txt', 'meson.build', 'SConstruct', 'package.json'],
  /** Folder names of test and example programs. */
  testDirs: ['test', 'tests', 'testing', 't', 'regress', 'regression', 'unittest', 'unittests', 'unit-tests', 'fuzz', 'fuzzing', 'example', 'examples', 'sample', 'samples', 'demo', 'demos', 'bench', 'benchmarks'],
  /** File names of test programs. */
  testFile: /^(?:test|t_)|[_-]tests?\.[ch]$/i,
} as const;

export interface OutOfScope {
  kind: 'vendored' | 'test';
  /** Why, for the site's note: `deps/ (vendored)`, `libfoo/ has its own COPYING`. */
  why: string;
  flag: '--include-vendored' | '--include-tests';
}

function markerIn(markerCache: Map<string, string | null>, dir: string, markers: readonly string[]): string | null {
  const key = `${markers === SCOPE.upstreamMarkers ? 'u' : 'p'}:${dir}`;
  let hit = markerCache.get(key);
  if (hit === undefined) {
    hit = markers.find((m) => existsSync(join(dir, m))) ?? null;
    markerCache.set(key, hit);
  }
  return hit;
}

/**
 * Is this file (under `root`) vendored code or a test/example program the options leave alone?
 * Folders are read from the root down; the root itself (the project being fixed) never counts.
 * `cache` remembers which folders hold which marker files (one per run).
 */
export function outOfScope(root: string, path: string, options: Pick<KeepaliveOptions, 'includeVendored' | 'includeTests'>, cache = new Map<string, string | null>()): OutOfScope | null {
  const rel = relative(root, path);
  if (rel.startsWith('..')) return null;
  const parts = rel.split(sep);
  const file = parts.pop()!;
  if (!options.includeVendored) {
    const named = parts.findIndex((p) => (SCOPE.vendoredDirs as readonly string[]).includes(p.toLowerCase()));
    if (named >= 0) return { kind: 'vendored', why: `${parts.slice(0, named + 1).join('/')}/ holds vendored code`, flag: '--include-vendored' };
    // the first project from the root down is the one being fixed (the root itself, or a folder
    // of a tree that holds several projects); a project inside it is a copy of another one
    let inProject = !!markerIn(cache, root, SCOPE.upstreamMarkers) || !!markerIn(cache, root, SCOPE.projectMarkers);
    for (let i = 0; i < parts.length; i++) {
      const dir = join(root, ...parts.slice(0, i + 1));
      const marker = markerIn(cache, dir, SCOPE.upstreamMarkers);
      if (marker && inProject) return { kind: 'vendored', why: `${parts.slice(0, i + 1).join('/')}/ is a copy of another project (it has its own ${marker})`, flag: '--include-vendored' };
      if (marker || markerIn(cache, dir, SCOPE.projectMarkers)) inProject = true;
    }
  }
  if (!options.includeTests) {
    const named = parts.findIndex((p) => (SCOPE.testDirs as readonly string[]).includes(p.toLowerCase()));
    if (named >= 0) return { kind: 'test', why: `${parts.slice(0, named + 1).join('/')}/ holds test or example programs`, flag: '--include-tests' };
    if (SCOPE.testFile.test(file)) return { kind: 'test', why: `${file} is a test program`, flag: '--include-tests' };
  }
  return null;
}
