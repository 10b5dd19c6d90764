/**
 * Reading one candidate source file without ever crashing or hanging on what a real tree holds:
 * FIFOs and devices (opening a FIFO for reading blocks until a writer comes), binary files with a
 * source extension, huge generated files, files that vanish or cannot be read. Every refusal is a
 * FileProblem with one line for people; nothing here throws for a bad file.
 */
import { closeSync, constants, fstatSync, openSync, readSync, type Stats } from 'node:fs';
import path from 'node:path';
import { detectBom, looksBinary } from './encoding.js';
import type { FileProblem } from './site.js';

/**
 * Files above this size are skipped with a message. Hand-written C and TS files stay far below it
 * (PostgreSQL's largest is about 1.5 MB); what exceeds it is generated (amalgamations, bundles,
 * minified output) that nobody should rewrite, and parsing it would cost hundreds of MB.
 */
export const DEFAULT_MAX_FILE_BYTES = 8 * 1024 * 1024;

/** How much of a file the binary test looks at: git's and grep's first block. */
export const SNIFF_BYTES = 8000;

export interface ReadLimits {
  /** Files larger than this are skipped as `too-large`; default {@link DEFAULT_MAX_FILE_BYTES}. */
  maxFileBytes?: number;
  /**
   * The engine decodes UTF-16 (a file that starts with its byte order mark). Without it such a
   * file is skipped as `encoding`, in one line: an engine that works on bytes would find nothing.
   */
  utf16?: boolean;
}

export type SourceRead = { ok: true; content: Buffer } | { ok: false; problem: FileProblem };

/** `/`-separated path relative to root, for reports. */
export function relativePath(root: string, file: string): string {
  return path.relative(root, file).split(path.sep).join('/');
}

function problem(root: string, file: string, kind: FileProblem['kind'], why: string): FileProblem {
  const rel = relativePath(root, file) || path.basename(file);
  return { file: rel, kind, message: `${rel}: ${why}; skipped` };
}

/** A human reason for a failed open/read, by errno code. */
export function describeFsError(error: unknown): string {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  switch (code) {
    case 'EACCES':
    case 'EPERM':
      return 'cannot be read (permission denied)';
    case 'ENOENT':
      return 'vanished while being read';
    case 'ELOOP':
      return 'is a symbolic link loop';
    case 'EISDIR':
      return 'is a directory';
    case 'EIO':
      return 'cannot be read (I/O error)';
    default:
      return `cannot be read (${code ?? (error as Error | undefined)?.message ?? 'unknown error'})`;
  }
}

function kindOfNode(stats: Stats): string {
  if (stats.isFIFO()) return 'a FIFO';
  if (stats.isSocket()) return 'a socket';
  if (stats.isCharacterDevice() || stats.isBlockDevice()) return 'a device';
  if (stats.isDirectory()) return 'a directory';
  return 'not a regular file';
}

/**
 * Reads up to `bytes` bytes: own memory for a whole file (kept by the caller), the shared pool
 * for a sniff that dies at once. `expected` is the size fstat gave: a read that returns less than
 * asked and reaches it is the end of the file, without one more read to see 0 (a system call per
 * file saved: 2,273 on PostgreSQL).
 */
function readUpTo(fd: number, bytes: number, expected: number, own = false): Buffer {
  const buffer = own ? Buffer.allocUnsafeSlow(bytes) : Buffer.allocUnsafe(bytes);
  let filled = 0;
  while (filled < bytes) {
    const asked = bytes - filled;
    const n = readSync(fd, buffer, filled, asked, filled);
    if (n === 0) break;
    filled += n;
    if (n < asked && filled >= expected) break;
  }
  return buffer.subarray(0, filled);
}

/**
 * Synchronous on purpose: a file is a handful of system calls, and going through the thread pool
 * for each (open, fstat, read, close) cost more than the calls themselves on a 2,400-file tree.
 */
function inspect(file: string, root: string, limits: ReadLimits, whole: boolean): SourceRead {
  let fd: number;
  try {
    // O_NONBLOCK: a FIFO opens at once instead of waiting for a writer; fstat then refuses it.
    fd = openSync(file, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (error) {
    return { ok: false, problem: problem(root, file, 'unreadable', describeFsError(error)) };
  }
  try {
    const stats = fstatSync(fd);
    if (!stats.isFile()) return { ok: false, problem: problem(root, file, 'unreadable', `is ${kindOfNode(stats)}, not a regular file`) };
    const max = limits.maxFileBytes ?? DEFAULT_MAX_FILE_BYTES;
    if (stats.size > max) {
      const mb = (n: number) => `${(n / 1024 / 1024).toFixed(1)} MB`;
      return { ok: false, problem: problem(root, file, 'too-large', `${mb(stats.size)} is above the ${mb(max)} limit (generated code?)`) };
    }
    // Whole: the size fstat gave plus one byte, to notice a file that grew meanwhile.
    const content = whole ? readUpTo(fd, Math.min(stats.size, max) + 1, stats.size, true) : readUpTo(fd, SNIFF_BYTES, stats.size);
    if (whole && content.length > stats.size) return { ok: false, problem: problem(root, file, 'unreadable', 'grew while being read') };
    if (looksBinary(content.subarray(0, SNIFF_BYTES))) {
      return { ok: false, problem: problem(root, file, 'binary', `binary content (a NUL byte in the first ${SNIFF_BYTES} bytes)`) };
    }
    if (whole && !limits.utf16) {
      const bom = detectBom(content);
      if (bom === 'utf16le' || bom === 'utf16be') return { ok: false, problem: problem(root, file, 'encoding', `UTF-16 text (${bom === 'utf16le' ? 'LE' : 'BE'} byte order mark); convert it to UTF-8 to audit it`) };
    }
    return { ok: true, content };
  } catch (error) {
    return { ok: false, problem: problem(root, file, 'unreadable', describeFsError(error)) };
  } finally {
    try {
      closeSync(fd);
    } catch {
      // nothing to do: the descriptor is gone either way
    }
  }
}

/** Reads a whole source file, or says in one line why it is skipped. Never throws, never blocks on a FIFO. */
export async function readSourceFile(file: string, root: string, limits: ReadLimits = {}): Promise<SourceRead> {
  return inspect(file, root, limits, true);
}

/** {@link readSourceFile} without the promise: one open, fstat, read and close per file. */
export function readSourceFileSync(file: string, root: string, limits: ReadLimits = {}): SourceRead {
  return inspect(file, root, limits, true);
}

/** The same checks as {@link readSourceFile} on the first block only: null when the file looks fine. */
export async function probeSourceFile(file: string, root: string, limits: ReadLimits = {}): Promise<FileProblem | null> {
  return probeSourceFileSync(file, root, limits);
}

/** {@link probeSourceFile} without the promise, for loops over thousands of files. */
export function probeSourceFileSync(file: string, root: string, limits: ReadLimits = {}): FileProblem | null {
  const read = inspect(file, root, limits, false);
  return read.ok ? null : read.problem;
}
