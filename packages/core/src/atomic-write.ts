/**
 * Replacing a source file so that it is, at every instant, either the old bytes or the new bytes:
 * the new content goes to a temporary file in the same directory (same file system), gets the
 * original's owner and mode, is flushed to disk, and is renamed over the original. Before the
 * rename the original must still hold exactly the bytes the plan was made from, so an edit made
 * by a person (or another tool) since the analysis is never lost.
 */
import { randomBytes } from 'node:crypto';
import { open, readFile, realpath, rename, stat, unlink } from 'node:fs/promises';
import type { Stats } from 'node:fs';
import path from 'node:path';
import { describeFsError } from './source-file.js';

export type WriteOutcome = { ok: true } | { ok: false; reason: 'changed-on-disk' | 'write-failed'; message: string };

export interface WriteOptions {
  /**
   * Files or directories the write must stay inside (the paths the user gave). The check is made
   * on real paths, so a symbolic link cannot lead a write elsewhere. Omitted: no check.
   */
  within?: readonly string[];
}

/** Is `inner` (a real path) `outer` itself or below it? */
export function isInside(outer: string, inner: string): boolean {
  const rel = path.relative(outer, inner);
  return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
}

async function realpaths(paths: readonly string[]): Promise<string[]> {
  const out: string[] = [];
  for (const p of paths) {
    try {
      out.push(await realpath(p));
    } catch {
      // A given path that no longer exists cannot contain anything.
    }
  }
  return out;
}

function sameVersion(a: Stats, b: Stats): boolean {
  return a.ino === b.ino && a.dev === b.dev && a.size === b.size && a.mtimeMs === b.mtimeMs && a.ctimeMs === b.ctimeMs;
}

const failed = (file: string, why: string): WriteOutcome => ({ ok: false, reason: 'write-failed', message: `${file}: ${why}; not rewritten` });
const changed = (file: string, why = 'changed on disk since it was analysed'): WriteOutcome => ({
  ok: false,
  reason: 'changed-on-disk',
  message: `${file}: ${why}; not rewritten`,
});

/**
 * Replaces a file's content atomically (temp file in the same directory, then rename), keeping
 * its mode and ownership — but only if the file still holds exactly `expected`. A symbolic link is
 * written through (the link stays a link). Refuses, with one line, files with several hard links
 * (a rename would split them), files outside `options.within`, and owners it cannot keep.
 */
export async function writeIfUnchanged(file: string, expected: Buffer, next: Buffer, options: WriteOptions = {}): Promise<WriteOutcome> {
  let target: string;
  let before: Stats;
  try {
    target = await realpath(file);
    before = await stat(target);
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'ENOENT' ? changed(file, 'no longer exists') : failed(file, describeFsError(error));
  }
  if (options.within) {
    const roots = await realpaths(options.within);
    if (!roots.some((root) => isInside(root, target))) return failed(file, `resolves to ${target}, outside the given paths`);
  }
  if (!before.isFile()) return failed(file, 'is not a regular file');
  if (before.nlink > 1) return failed(file, `has ${before.nlink} hard links and replacing it would split them`);

  let current: Buffer;
  try {
    current = await readFile(target);
  } catch (error) {
    return failed(file, describeFsError(error));
  }
  if (!current.equals(expected)) return changed(file);

  const tmp = path.join(path.dirname(target), `.${path.basename(target)}.ka-codemod-${process.pid}-${randomBytes(4).toString('hex')}.tmp`);
  let created = false;
  try {
    const handle = await open(tmp, 'wx', 0o600);
    created = true;
    try {
      await handle.writeFile(next);
      const mine = await handle.stat();
      if (mine.uid !== before.uid || mine.gid !== before.gid) {
        try {
          await handle.chown(before.uid, before.gid);
        } catch {
          throw new Error(`is owned by ${before.uid}:${before.gid} and a rewrite by this user could not keep that owner`);
        }
      }
      // After chown: chown clears set-user-ID and set-group-ID bits, chmod puts them back.
      await handle.chmod(before.mode & 0o7777);
      await handle.sync();
    } finally {
      await handle.close();
    }
    // The last look before the rename: anything that touched the file since it was read wins.
    const now = await stat(target);
    if (!sameVersion(before, now)) {
      const latest = await readFile(target);
      if (!latest.equals(expected)) {
        await unlink(tmp);
        return changed(file);
      }
    }
    await rename(tmp, target);
    return { ok: true };
  } catch (error) {
    if (created) await unlink(tmp).catch(() => undefined);
    const message = (error as NodeJS.ErrnoException).code ? describeFsError(error).replace('cannot be read', 'cannot be written') : (error as Error).message;
    return failed(file, message);
  }
}
