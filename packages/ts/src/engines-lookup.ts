import { readFileSync } from 'node:fs';
import picomatch from 'picomatch';
import path from 'node:path';

/**
 * engines.node of the package.json nearest to a file (searching up from its directory), cached per
 * directory. The only file reading the synchronous entry point does; kept apart from the analysis.
 */
const cache = new Map<string, string | null>();

export function nearestEnginesNode(fileName: string): string | null {
  const start = path.dirname(path.resolve(fileName));
  const visited: string[] = [];
  let dir = start;
  let found: string | null = null;
  for (;;) {
    const cached = cache.get(dir);
    if (cached !== undefined) {
      found = cached;
      break;
    }
    visited.push(dir);
    const value = readEngines(path.join(dir, 'package.json'));
    if (value !== undefined) {
      found = value;
      break;
    }
    const parent = path.dirname(dir);
    if (parent === dir) break;
    dir = parent;
  }
  for (const d of visited) cache.set(d, found);
  return found;
}

/** Keys of a package.json that only marks how a folder's files load (dist/cjs, dist/esm). */
const MODULE_MARKER_KEYS = new Set(['type', 'sideEffects']);

/**
 * undefined: no package.json here, or one that only marks the module type of a folder
 * (`{ "type": "commonjs" }` in dist/cjs), so keep looking up;
 * null: a package's package.json without engines.node.
 */
function readEngines(file: string): string | null | undefined {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
  try {
    const json = JSON.parse(text) as { engines?: { node?: unknown } };
    if (typeof json.engines?.node === 'string') return json.engines.node;
    return json && typeof json === 'object' && Object.keys(json).every((k) => MODULE_MARKER_KEYS.has(k)) ? undefined : null;
  } catch {
    return null;
  }
}

const dirCache = new Map<string, string | null>();

/**
 * The directory of the package.json nearest to a file: the package a file belongs to. Name-based
 * links between functions (factories, helpers) never cross packages.
 */
export function nearestPackageDir(fileName: string): string | null {
  const start = path.dirname(path.resolve(fileName));
  const visited: string[] = [];
  let found: string | null = null;
  for (let dir = start; ; ) {
    const cached = dirCache.get(dir);
    if (cached !== undefined) {
      found = cached;
      break;
    }
    visited.push(dir);
    if (readEngines(path.join(dir, 'package.json')) !== undefined) {
      found = dir;
      break;
    }
    const parent = path.dirname(dir);
    if (parent === dir) break;
    dir = parent;
  }
  for (const d of visited) dirCache.set(d, found);
  return found;
}

/** What a package.json says about how other packages load it: its name and its entry points. */
export interface PackageManifest {
  name: string;
  /** The `exports` field as written (a string, an object of subpaths or of conditions, nested). */
  exports?: unknown;
  main?: string;
  /**
   * The root of the workspace the package belongs to (workspaceRoot), else null. Only
   * inside one workspace does a bare specifier load the package of the tree by that name (the
   * package manager links it); elsewhere it loads whatever copy the importer installed.
   */
  workspace: string | null;
}

const manifestCache = new Map<string, PackageManifest | null>();

/** The manifest of the package in `dir` (a directory nearestPackageDir returned), or null without a name. */
export function packageManifest(dir: string): PackageManifest | null {
  let m = manifestCache.get(dir);
  if (m !== undefined) return m;
  m = null;
  try {
    const json = JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8')) as { name?: unknown; exports?: unknown; main?: unknown };
    if (typeof json.name === 'string' && json.name) {
      m = { name: json.name, workspace: workspaceRoot(dir) };
      if (json.exports !== undefined && json.exports !== null) m.exports = json.exports;
      if (typeof json.main === 'string') m.main = json.main;
    }
  } catch {
    // unreadable or not JSON: a package no other package can name
  }
  manifestCache.set(dir, m);
  return m;
}

const workspaceCache = new Map<string, string[] | null>();

/**
 * The root of the workspace whose package globs include `dir`: the nearest folder above it whose
 * package.json `workspaces` (an array, or `{ packages }`), pnpm-workspace.yaml `packages` or
 * lerna.json `packages` match it. Null when none does.
 */
function workspaceRoot(dir: string): string | null {
  for (let root = path.dirname(dir); ; ) {
    const globs = workspaceGlobs(root);
    if (globs?.length) {
      const rel = path.relative(root, dir).split(path.sep).join('/');
      const include = globs.filter((g) => !g.startsWith('!')).map((g) => g.replace(/^\.\//, '').replace(/\/$/, ''));
      const exclude = globs.filter((g) => g.startsWith('!')).map((g) => g.slice(1).replace(/^\.\//, '').replace(/\/$/, ''));
      if (include.length && picomatch(include)(rel) && !(exclude.length && picomatch(exclude)(rel))) return root;
    }
    const parent = path.dirname(root);
    if (parent === root) return null;
    root = parent;
  }
}

/** The package globs a folder declares as a workspace root, else null. */
function workspaceGlobs(dir: string): string[] | null {
  let globs = workspaceCache.get(dir);
  if (globs !== undefined) return globs;
  globs = null;
  const read = (file: string): string | null => {
    try {
      return readFileSync(path.join(dir, file), 'utf8');
    } catch {
      return null;
    }
  };
  const strings = (v: unknown): string[] | null => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : null);
  try {
    const pkg = read('package.json');
    const ws = pkg !== null ? (JSON.parse(pkg) as { workspaces?: unknown }).workspaces : undefined;
    globs = strings(ws) ?? strings((ws as { packages?: unknown } | undefined)?.packages);
  } catch {
    // not JSON: no workspaces declared here
  }
  const pnpm = globs ? null : read('pnpm-workspace.yaml');
  if (pnpm !== null) {
    // `packages:` then `  - 'glob'` lines (the only key read here)
    const block = /^packages:\s*\n((?:[ \t]*(?:-.*|#.*)?\n?)*)/m.exec(pnpm)?.[1] ?? '';
    globs = [...block.matchAll(/^[ \t]*-[ \t]*['"]?([^'"#\n]+?)['"]?[ \t]*(?:#.*)?$/gm)].map((m) => m[1]!);
  }
  const lerna = globs ? null : read('lerna.json');
  if (lerna !== null) {
    try {
      globs = strings((JSON.parse(lerna) as { packages?: unknown }).packages) ?? ['packages/*'];
    } catch {
      // not JSON
    }
  }
  workspaceCache.set(dir, globs);
  return globs;
}

export function clearEnginesCache(): void {
  cache.clear();
  dirCache.clear();
  manifestCache.clear();
  workspaceCache.clear();
}
