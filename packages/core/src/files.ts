import { lstat, realpath, stat } from 'node:fs/promises';
import path from 'node:path';
import { isInside } from './atomic-write.js';
import type { FileProblem } from './site.js';
import { BUILD_COPIES, type SkippedCopies } from './copies.js';
import { walkTree } from './walk.js';
import { describeFsError, probeSourceFileSync, relativePath, type ReadLimits } from './source-file.js';

export { writeIfUnchanged, isInside, type WriteOutcome, type WriteOptions } from './atomic-write.js';
export { relativePath } from './source-file.js';

export interface DiscoverRequest extends ReadLimits {
  /** Files or directories as the user gave them. */
  paths: readonly string[];
  cwd: string;
  /** File name endings to keep, with the dot. */
  extensions: readonly string[];
  include?: readonly string[];
  exclude?: readonly string[];
  /**
   * Open every walked regular file to check it (binary, too large, unreadable) here, once (default
   * true). A caller whose engines read each file through {@link readSourceFileSync} anyway passes
   * false: the same checks then happen in that one read, and a 2,000-file tree is not opened twice.
   * Files named explicitly and non-regular entries (FIFOs, devices) are always checked here.
   */
  probe?: boolean;
  /**
   * Walk into copies that are not part of the build too (copies.ts: quilt's `.pc/`, `*.orig`,
   * backup trees). Default false: they are skipped and counted in `skippedCopies`. Paths named
   * explicitly are always taken.
   */
  includeCopies?: boolean;
}

export interface Discovered {
  /** The common directory site paths are made relative to. */
  root: string;
  /** Absolute, sorted, unique; each one a readable, non-binary regular file within the size limit (unless `probe: false`). */
  files: string[];
  /** Candidates that were skipped, one line each: binary, too large, unreadable, symbolic links leading out of the paths. */
  problems: FileProblem[];
  /** Real paths of the given paths: pass them to writeIfUnchanged's `within` so no write leaves them. */
  within: string[];
  /** Copies left out while walking (unless `includeCopies`), by rule; empty when there were none. */
  skippedCopies: SkippedCopies[];
}

/**
 * Candidate files under the given paths: honours .gitignore files (from the repository root
 * down, see walk.ts), never enters node_modules or .git. Symbolic links found while walking are
 * never followed (no loops, no escapes): a link whose target lies outside the given paths is reported, a link inside them is skipped because its target
 * is found under its own name, a broken or looping link with a candidate name is reported.
 * Paths named explicitly are taken as named (a named link is followed), even if ignored.
 * Each candidate is probed (type, size, first block) so binary, huge and unreadable files are
 * reported here, once, instead of failing later in an engine.
 */
export async function discoverFiles(request: DiscoverRequest): Promise<Discovered> {
  const found = new Set<string>();
  const problems: FileProblem[] = [];
  const absolute = request.paths.map((p) => path.resolve(request.cwd, p));
  const within: string[] = [];
  for (const target of absolute) within.push(await realpath(target)); // a missing path is the caller's usage error: let it throw
  const root = await commonRoot(absolute, request.cwd);

  // a name ends with an extension when the part from one of its dots is one (a Set lookup per dot:
  // asking every extension of every language about each of PostgreSQL's 8,000 entries cost more)
  const extensions = new Set(request.extensions);
  const hasExtension = (name: string) => {
    for (let dot = name.indexOf('.'); dot >= 0; dot = name.indexOf('.', dot + 1)) if (extensions.has(name.slice(dot))) return true;
    return false;
  };
  const skipped = new Map<string, SkippedCopies>();
  const candidates: string[] = [];
  // regular files met while walking, when the caller reads them with the same checks itself
  const unprobed = new Set<string>();
  for (const target of absolute) {
    const info = await stat(target);
    if (!info.isDirectory()) {
      candidates.push(target);
      continue;
    }
    const onCopy = request.includeCopies
      ? undefined
      : (rule: { kind: string; label: string }, rel: string, files: number) => {
          if (files === 0) return;
          const s = skipped.get(rule.kind) ?? { kind: rule.kind, label: rule.label, files: 0, paths: [] };
          s.files += files;
          s.paths.push(relativePath(root, path.join(target, rel)));
          skipped.set(rule.kind, s);
        };
    for (const entry of await walkTree(target, { include: request.include, exclude: request.exclude, wanted: hasExtension, extensions: request.extensions, ...(onCopy ? { onCopy } : {}) })) {
      const file = entry.path;
      if (entry.kind === 'symlink') {
        const verdict = await classifySymlink(file, within, hasExtension(file));
        if (verdict) problems.push({ ...verdict, file: relativePath(root, file), message: `${relativePath(root, file)}: ${verdict.message}` });
        continue;
      }
      // Regular files, and FIFOs/sockets/devices with a source name (the probe reports those, never opens them blocking).
      if (!hasExtension(file)) continue;
      if (entry.kind === 'file' && request.probe === false) unprobed.add(file);
      else candidates.push(file);
    }
  }

  for (const file of unprobed) found.add(file);
  for (const file of new Set(candidates)) {
    if (found.has(file)) continue;
    const problem = probeSourceFileSync(file, root, request);
    if (problem) problems.push(problem);
    else found.add(file);
  }
  problems.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0));
  const skippedCopies = BUILD_COPIES.flatMap((rule) => {
    const s = skipped.get(rule.kind);
    return s ? [{ ...s, paths: s.paths.sort() }] : [];
  });
  return { root, files: [...found].sort(), problems, within, skippedCopies };
}

/** Why a symbolic link met while walking is reported, or null when skipping it silently is right. */
async function classifySymlink(link: string, within: readonly string[], candidateName: boolean): Promise<Omit<FileProblem, 'file'> | null> {
  let target: string;
  try {
    target = await realpath(link);
  } catch (error) {
    if (!candidateName) return null;
    const code = (error as NodeJS.ErrnoException).code;
    const why = code === 'ELOOP' ? 'is a symbolic link loop' : code === 'ENOENT' ? 'is a broken symbolic link' : describeFsError(error);
    return { kind: 'unreadable', message: `${why}; skipped` };
  }
  if (within.some((root) => isInside(root, target))) return null;
  const what = (await lstat(target).then((s) => s.isDirectory()).catch(() => false)) ? 'directory' : 'file';
  if (what === 'file' && !candidateName) return null;
  return { kind: 'symlink-outside-root', message: `symbolic link to ${what} ${target}, outside the given paths; not followed` };
}

/** One given directory is its own root, one given file its directory; several paths share the working directory. */
async function commonRoot(targets: readonly string[], cwd: string): Promise<string> {
  if (targets.length !== 1) return cwd;
  const only = targets[0]!;
  return (await stat(only)).isDirectory() ? only : path.dirname(only);
}
