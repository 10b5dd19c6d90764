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
  /** Files that mark a folder as another project's copy: its own licence or an upstream note. */
  upstreamMarkers: ['LICENSE', 'LICENSE.txt', 'LICENSE.md', 'COPYING', 'COPYRIGHT', 'UPSTREAM', 'README.upstream', '.gitrepo', '.git'],
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

const markerCache = new Map<string, string | null>();

function upstreamMarkerIn(dir: string): string | null {
  let hit = markerCache.get(dir);
  if (hit === undefined) {
    hit = SCOPE.upstreamMarkers.find((m) => existsSync(join(dir, m))) ?? null;
    markerCache.set(dir, hit);
  }
  return hit;
}

/**
 * Is this file (under `root`) vendored code or a test/example program the options leave alone?
 * Folders are read from the root down; the root itself (the project being fixed) never counts.
 */
export function outOfScope(root: string, path: string, options: Pick<KeepaliveOptions, 'includeVendored' | 'includeTests'>): OutOfScope | null {
  const rel = relative(root, path);
  if (rel.startsWith('..')) return null;
  const parts = rel.split(sep);
  const file = parts.pop()!;
  if (!options.includeVendored) {
    const named = parts.findIndex((p) => (SCOPE.vendoredDirs as readonly string[]).includes(p.toLowerCase()));
    if (named >= 0) return { kind: 'vendored', why: `${parts.slice(0, named + 1).join('/')}/ holds vendored code`, flag: '--include-vendored' };
    for (let i = 0; i < parts.length; i++) {
      const marker = upstreamMarkerIn(join(root, ...parts.slice(0, i + 1)));
      if (marker) return { kind: 'vendored', why: `${parts.slice(0, i + 1).join('/')}/ is a copy of another project (it has its own ${marker})`, flag: '--include-vendored' };
    }
  }
  if (!options.includeTests) {
    const named = parts.findIndex((p) => (SCOPE.testDirs as readonly string[]).includes(p.toLowerCase()));
    if (named >= 0) return { kind: 'test', why: `${parts.slice(0, named + 1).join('/')}/ holds test or example programs`, flag: '--include-tests' };
    if (SCOPE.testFile.test(file)) return { kind: 'test', why: `${file} is a test program`, flag: '--include-tests' };
  }
  return null;
}
