import { readFileSync } from 'node:fs';
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

export function clearEnginesCache(): void {
  cache.clear();
  dirCache.clear();
}
