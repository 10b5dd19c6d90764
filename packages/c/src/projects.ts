/**
 * Independent projects under one audit root (vendored trees, a directory of checkouts): each is
 * analysed on its own, so a function, macro or option table of one never decides a site of another.
 * A project starts at the outermost directory below the root that holds a build or VCS marker.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';

export const PROJECT_MARKERS = ['.git', 'configure.ac', 'configure.in', 'configure', 'CMakeLists.txt', 'meson.build', 'Makefile.am', 'Makefile', 'makefile', 'GNUmakefile'];

/** Groups files by project directory (the root itself when no marker is found below it). */
export function groupByProject(root: string, files: readonly string[], hasMarker: (dir: string) => boolean = defaultHasMarker): Map<string, string[]> {
  const groups = new Map<string, string[]>();
  const cache = new Map<string, string>();
  for (const file of files) {
    const dir = path.dirname(file);
    let project = cache.get(dir);
    if (project === undefined) {
      project = outermostProject(root, dir, hasMarker);
      cache.set(dir, project);
    }
    const list = groups.get(project);
    if (list) list.push(file);
    else groups.set(project, [file]);
  }
  return groups;
}

function outermostProject(root: string, dir: string, hasMarker: (dir: string) => boolean): string {
  const rel = path.relative(root, dir);
  if (rel.startsWith('..') || path.isAbsolute(rel) || rel === '') return root;
  if (hasMarker(root)) return root;
  let cur = root;
  for (const part of rel.split(path.sep)) {
    cur = path.join(cur, part);
    if (hasMarker(cur)) return cur;
  }
  return root;
}

/** The markers of a build directory (a library's or a program's own Makefile), VCS markers aside. */
export const BUILD_MARKERS = PROJECT_MARKERS.filter((m) => m !== '.git');

/**
 * The build unit a file belongs to: the innermost directory at or above it, up to the root, with a
 * build marker of its own (a project's `lib/` and its `tests/server/` programs are built apart).
 * The root itself when none is found.
 */
export function buildUnitOf(root: string, file: string, hasMarker: (dir: string) => boolean = defaultHasBuildMarker): string {
  const top = path.resolve(root);
  let dir = path.dirname(path.resolve(top, file));
  for (;;) {
    const rel = path.relative(top, dir);
    if (rel === '' || rel.startsWith('..') || path.isAbsolute(rel)) return top;
    if (hasMarker(dir)) return dir;
    dir = path.dirname(dir);
  }
}

/** Does a directory hold one of these files? Asked once per directory (many files share one). */
function markerCheck(markers: readonly string[]): (dir: string) => boolean {
  const cache = new Map<string, boolean>();
  return (dir) => {
    let found = cache.get(dir);
    if (found === undefined) {
      found = markers.some((m) => existsSync(path.join(dir, m)));
      cache.set(dir, found);
    }
    return found;
  };
}

const defaultHasBuildMarker = markerCheck(BUILD_MARKERS);
const defaultHasMarker = markerCheck(PROJECT_MARKERS);
