import { execFile } from 'node:child_process';

/**
 * Paths under `paths` with uncommitted changes (modified, staged or untracked), as git prints them.
 * Empty when clean, when git is missing, or when the paths are not in a git work tree: then there
 * is nothing to warn about that git could undo.
 */
export async function dirtyPaths(cwd: string, paths: readonly string[]): Promise<string[]> {
  // a few thousand paths per git call keep the command line well under the system's limit
  const out: string[] = [];
  for (let i = 0; i < paths.length; i += 2000) out.push(...(await dirtyChunk(cwd, paths.slice(i, i + 2000))));
  return out;
}

function dirtyChunk(cwd: string, paths: readonly string[]): Promise<string[]> {
  return new Promise((resolve) => {
    execFile('git', ['status', '--porcelain', '--untracked-files=all', '--', ...paths], { cwd, timeout: 30_000, maxBuffer: 16 << 20 }, (error, stdout) => {
      if (error) return resolve([]);
      resolve(
        stdout
          .split('\n')
          .filter((l) => l.length > 3)
          .map((l) => l.slice(3)),
      );
    });
  });
}
