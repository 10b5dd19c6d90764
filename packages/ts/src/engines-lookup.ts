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

/** undefined: no package.json here (keep looking up); null: a package.json without engines.node. */
function readEngines(file: string): string | null | undefined {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
  try {
    const json = JSON.parse(text) as { engines?: { node?: unknown } };
    return typeof json.engines?.node === 'string' ? json.engines.node : null;
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
