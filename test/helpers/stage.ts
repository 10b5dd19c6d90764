import { chmodSync, copyFileSync, existsSync, linkSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, realpathSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

/**
 * A copy of a built workspace package and its run-time dependencies that any user can read.
 *
 * Tests that run code as an unprivileged user (uid 65534) cannot load it from the checkout when
 * the checkout sits in a private folder (mode 700, like a home folder or any `mktemp -d`). They
 * run this copy instead: `<dir>/node_modules/<name>` with its dependencies beside it, under a
 * fresh world-readable directory in the system temp folder. Files are hard-linked where the file
 * system allows (a link to a file needs no access to the folders above the original), else copied.
 */
export interface Staged {
  /** The staged package's directory: `<dir>/node_modules/<name>`. */
  packageDir: string;
  /** Removes the copy. */
  remove(): void;
}

const SKIP_IN_WORKSPACE = new Set(['node_modules', 'src', 'test', '.tsbuildinfo']);

function place(src: string, dest: string, skip: (name: string) => boolean): void {
  mkdirSync(dest, { recursive: true });
  chmodSync(dest, 0o755);
  for (const e of readdirSync(src, { withFileTypes: true })) {
    if (skip(e.name)) continue;
    const from = path.join(src, e.name);
    const to = path.join(dest, e.name);
    if (e.isDirectory()) place(from, to, () => false);
    else if (e.isFile()) {
      try {
        linkSync(from, to);
      } catch {
        copyFileSync(from, to);
      }
    }
  }
}

/** Where Node would find `name` from `fromDir`: the nearest node_modules/<name> above it. */
function resolvePackage(name: string, fromDir: string): string | null {
  for (let dir = fromDir; ; dir = path.dirname(dir)) {
    const candidate = path.join(dir, 'node_modules', name);
    if (existsSync(path.join(candidate, 'package.json'))) return realpathSync(candidate);
    if (path.dirname(dir) === dir) return null;
  }
}

export function stageForAnyUser(packageDir: string): Staged {
  const root = mkdtempSync(path.join(tmpdir(), 'ka-stage-'));
  chmodSync(root, 0o755);
  const modules = path.join(root, 'node_modules');
  const done = new Set<string>();
  const stageOne = (dir: string): string => {
    const pkg = JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8')) as { name: string; dependencies?: Record<string, string>; peerDependencies?: Record<string, string>; optionalDependencies?: Record<string, string> };
    const dest = path.join(modules, pkg.name);
    if (done.has(pkg.name)) return dest;
    done.add(pkg.name);
    // a workspace package (not under node_modules): its build output, not its sources or tests
    const workspace = !dir.split(path.sep).includes('node_modules');
    place(dir, dest, (name) => name === 'node_modules' || (workspace && SKIP_IN_WORKSPACE.has(name)));
    for (const dep of Object.keys({ ...pkg.dependencies, ...pkg.peerDependencies, ...pkg.optionalDependencies })) {
      const found = resolvePackage(dep, dir);
      if (found) stageOne(found);
    }
    return dest;
  };
  const packageDirStaged = stageOne(realpathSync(packageDir));
  return { packageDir: packageDirStaged, remove: () => rmSync(root, { recursive: true, force: true }) };
}
