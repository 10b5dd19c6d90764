import { describe, expect, it } from 'vitest';
import { groupByProject } from '../src/projects.js';

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
});
