import { lstat, readFile, realpath, rename, stat, unlink, writeFile, chmod, chown } from 'node:fs/promises';
import path from 'node:path';
import { globby } from 'globby';

/** Directories no audit ever descends into, whatever the ignore files say. */
const ALWAYS_EXCLUDED = ['**/node_modules/**', '**/.git/**'];

export interface DiscoverRequest {
  /** Files or directories as the user gave them. */
  paths: readonly string[];
  cwd: string;
  /** File name endings to keep, with the dot. */
  extensions: readonly string[];
  include?: readonly string[];
  exclude?: readonly string[];
}

export interface Discovered {
  /** The common directory site paths are made relative to. */
  root: string;
  /** Absolute, sorted, unique. */
  files: string[];
}

/**
 * Candidate files under the given paths: honours .gitignore files, never enters node_modules,
 * does not follow symbolic links to directories. Files named explicitly are kept even if ignored.
 */
export async function discoverFiles(request: DiscoverRequest): Promise<Discovered> {
  const found = new Set<string>();
  const absolute = request.paths.map((p) => path.resolve(request.cwd, p));
  const exts = request.extensions.map((e) => e.slice(1)).join(',');
  const patternForExts = request.extensions.length === 1 ? `**/*${request.extensions[0]}` : `**/*.{${exts}}`;
  for (const target of absolute) {
    const info = await stat(target); // a missing path is the caller's usage error: let it throw
    if (info.isFile()) {
      found.add(target);
      continue;
    }
    const files = await globby(request.include?.length ? [...request.include] : [patternForExts], {
      cwd: target,
      absolute: true,
      gitignore: true,
      dot: true,
      followSymbolicLinks: false,
      ignore: [...ALWAYS_EXCLUDED, ...(request.exclude ?? [])],
      onlyFiles: true,
    });
    for (const f of files) if (request.extensions.some((e) => f.endsWith(e))) found.add(path.normalize(f));
  }
  return { root: commonRoot(absolute, request.cwd), files: [...found].sort() };
}

function commonRoot(targets: readonly string[], cwd: string): string {
  if (targets.length === 1) return targets[0]!.endsWith(path.sep) ? targets[0]! : dirOrSelf(targets[0]!);
  return cwd;
}

function dirOrSelf(p: string): string {
  return path.extname(p) !== '' && !p.endsWith(path.sep) ? path.dirname(p) : p;
}

/** `/`-separated path relative to root, for reports. */
export function relativePath(root: string, file: string): string {
  return path.relative(root, file).split(path.sep).join('/');
}

export type WriteOutcome = { ok: true } | { ok: false; reason: 'changed-on-disk' | 'write-failed'; message: string };

/**
 * Replaces a file's content atomically (temp file in the same directory, then rename), keeping
 * its mode and ownership — but only if the file still holds exactly `expected`.
 */
export async function writeIfUnchanged(file: string, expected: Buffer, next: Buffer): Promise<WriteOutcome> {
  const target = await realpath(file);
  const current = await readFile(target);
  if (!current.equals(expected)) {
    return { ok: false, reason: 'changed-on-disk', message: `${file}: changed on disk since it was analysed; not rewritten` };
  }
  const info = await lstat(target);
  const tmp = path.join(path.dirname(target), `.${path.basename(target)}.ka-codemod-${process.pid}.tmp`);
  try {
    await writeFile(tmp, next, { mode: info.mode & 0o7777, flag: 'wx' });
    await chmod(tmp, info.mode & 0o7777);
    if (process.getuid?.() === 0) await chown(tmp, info.uid, info.gid);
    await rename(tmp, target);
    return { ok: true };
  } catch (error) {
    await unlink(tmp).catch(() => undefined);
    return { ok: false, reason: 'write-failed', message: `${file}: ${(error as Error).message}` };
  }
}
