import { describe, expect, it } from 'vitest';
import { buildUnitOf, groupByProject } from '../src/projects.js';

describe('independent projects under one root', () => {
  it('groups files by the outermost directory holding a build marker', () => {
    const markers = new Set(['/r/a', '/r/a/sub', '/r/b/src']);
    const groups = groupByProject('/r', ['/r/a/x.c', '/r/a/sub/y.c', '/r/b/src/z.c', '/r/loose.c'], (d) => markers.has(d));
    expect([...groups.entries()]).toEqual([
      ['/r/a', ['/r/a/x.c', '/r/a/sub/y.c']],
      ['/r/b/src', ['/r/b/src/z.c']],
      ['/r', ['/r/loose.c']],
    ]);
  });

  it('is one project when the root itself has a marker', () => {
    const groups = groupByProject('/r', ['/r/a/x.c', '/r/b/y.c'], (d) => d === '/r' || d === '/r/a');
    expect([...groups.keys()]).toEqual(['/r']);
  });

  it('puts a file in the innermost directory with a build marker of its own', () => {
    const markers = new Set(['/r', '/r/lib', '/r/tests/server']);
    const has = (d: string) => markers.has(d);
    expect(buildUnitOf('/r', '/r/lib/vtls/x.c', has)).toBe('/r/lib');
    expect(buildUnitOf('/r', '/r/tests/server/y.c', has)).toBe('/r/tests/server');
    expect(buildUnitOf('/r', '/r/src/z.c', has)).toBe('/r');
    expect(buildUnitOf('/r', 'lib/w.c', has)).toBe('/r/lib');
  });
});
