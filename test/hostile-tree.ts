/**
 * Builds a tree that holds what real checkouts hold on a bad day, for test/hostile.test.ts: binary
 * files with source names, Latin-1 and invalid UTF-8 text, CRLF and BOM files, a 10 MB file,
 * deeply nested code, symbolic link loops and escapes, a FIFO, empty files, a file with an unusual
 * owner and mode. All content is generated here.
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { chmodSync, chownSync, mkdirSync, readdirSync, readFileSync, lstatSync, symlinkSync, writeFileSync, readlinkSync } from 'node:fs';
import path from 'node:path';
import type { FileProblem } from '@ka-codemod/core';

export interface HostileTree {
  /** The directory handed to the CLI. */
  proj: string;
  /** A sibling directory that links point into; nothing may ever change there. */
  outside: string;
  /** Files that must be skipped, each with the one line it deserves. */
  skipped: Record<string, FileProblem['kind']>;
  /** Source files whose sockets need keepalive, relative to proj. */
  fixable: string[];
}

const TCP_C = (fn: string) => `int ${fn}(void)\n{\n    int fd = socket(AF_INET, SOCK_STREAM, 0);\n    if (fd < 0)\n        return -1;\n    return fd;\n}\n`;
const C_HEAD = '#include <sys/socket.h>\n#include <netinet/in.h>\n\n';
const TCP_TS = (host: string) => `import net from 'node:net';\n\nexport function open() {\n  const socket = net.connect({ host: '${host}', port: 5432 });\n  socket.on('error', () => socket.destroy());\n  return socket;\n}\n`;

export const TEN_MB = 10 * 1024 * 1024;

export function buildHostileTree(base: string, { owner = true, big = true }: { owner?: boolean; big?: boolean } = {}): HostileTree {
  const proj = path.join(base, 'proj');
  const outside = path.join(base, 'outside');
  mkdirSync(path.join(proj, 'src', 'sub'), { recursive: true });
  mkdirSync(outside);
  const put = (rel: string, content: string | Buffer) => writeFileSync(path.join(proj, rel), content);

  // Outside the given path: targets of escaping links.
  writeFileSync(path.join(outside, 'secret.c'), C_HEAD + TCP_C('secret_connect'));
  writeFileSync(path.join(outside, 'lib.ts'), TCP_TS('outside.example'));

  // Binary content with source names: an ELF header, a gzip stream.
  put('src/prebuilt.c', Buffer.from([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 3, 0, 0x3e, 0, ...Buffer.from('socket(AF_INET, SOCK_STREAM, 0)')]));
  put('src/bundle.ts', Buffer.concat([Buffer.from([0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 3]), Buffer.from('net.connect(80)'), Buffer.alloc(64)]));

  // Latin-1 comments (invalid UTF-8) in C and in TS: bytes the rewrite must give back untouched.
  put('src/latin1.c', Buffer.concat([Buffer.from('/* R\xe9seau: connexion \xe0 la base, \xa9 2024 */\n', 'latin1'), Buffer.from(C_HEAD + TCP_C('latin1_connect'))]));
  put('src/invalid-utf8.ts', Buffer.concat([Buffer.from('// caf\xe9 \xff\xfe broken bytes\n', 'latin1'), Buffer.from(TCP_TS('db.example'))]));

  // CRLF line endings, and a UTF-8 BOM (with CRLF too).
  put('src/crlf.c', (C_HEAD + TCP_C('crlf_connect')).replace(/\n/g, '\r\n'));
  put('src/bom.ts', Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(TCP_TS('bom.example').replace(/\n/g, '\r\n'))]));

  // 10 MB of C: above the size limit, skipped with one line.
  if (big) {
    const chunks = [C_HEAD];
    let size = C_HEAD.length;
    for (let i = 0; size < TEN_MB; i++) {
      const line = `static int filler_${i}(void) { return ${i}; }\n`;
      chunks.push(line);
      size += line.length;
    }
    put('src/generated-big.c', chunks.join('') + TCP_C('big_connect'));
  }

  // Deep nesting: a socket call under 1500 nested blocks / closures.
  const depth = 1500;
  put('src/deep.c', `${C_HEAD}int deep(int x)\n{\n${'if (x) {\n'.repeat(depth)}int fd = socket(AF_INET, SOCK_STREAM, 0); return fd;\n${'}\n'.repeat(depth)}return -1;\n}\n`);
  put('src/deep.ts', `import net from 'node:net';\nexport const f = ${'() => ('.repeat(depth)}net.connect(80)${')'.repeat(depth)};\n`);

  // Empty files are fine.
  put('src/empty.c', '');
  put('src/empty.ts', '');

  // An ordinary file with an unusual owner and mode: a rewrite keeps both.
  put('src/mode.c', C_HEAD + TCP_C('mode_connect'));
  chmodSync(path.join(proj, 'src/mode.c'), 0o751);
  if (owner && process.getuid?.() === 0) chownSync(path.join(proj, 'src/mode.c'), 4321, 8765);
  put('src/plain.ts', TCP_TS('plain.example'));

  // Symbolic links: a directory loop (inside, not followed, silent), a file link loop (reported),
  // escapes to a file and a directory outside (reported, never followed), a FIFO (reported, never opened).
  symlinkSync('..', path.join(proj, 'src', 'sub', 'up'));
  symlinkSync('loop-b.c', path.join(proj, 'src', 'loop-a.c'));
  symlinkSync('loop-a.c', path.join(proj, 'src', 'loop-b.c'));
  symlinkSync(path.join(outside, 'secret.c'), path.join(proj, 'src', 'escape.c'));
  symlinkSync(outside, path.join(proj, 'vendor'));
  execFileSync('mkfifo', [path.join(proj, 'src', 'pipe.c')]);

  return {
    proj,
    outside,
    skipped: {
      'src/prebuilt.c': 'binary',
      'src/bundle.ts': 'binary',
      'src/generated-big.c': 'too-large',
      'src/loop-a.c': 'unreadable',
      'src/loop-b.c': 'unreadable',
      'src/pipe.c': 'unreadable',
      'src/escape.c': 'symlink-outside-root',
      vendor: 'symlink-outside-root',
    },
    fixable: ['src/latin1.c', 'src/crlf.c', 'src/mode.c', 'src/invalid-utf8.ts', 'src/bom.ts', 'src/plain.ts'],
  };
}

export interface Entry {
  type: 'file' | 'link' | 'fifo' | 'dir';
  mode: number;
  uid: number;
  gid: number;
  ino: number;
  /** sha256 of a regular file's content (hashes, not bytes: deep equality on 10 MB buffers takes minutes). */
  sha?: string;
  target?: string;
}

export const sha = (content: Buffer) => createHash('sha256').update(content).digest('hex');

/** Every entry under dir (links not followed), with a content hash for regular files. */
export function snapshot(dir: string): Map<string, Entry> {
  const out = new Map<string, Entry>();
  const walk = (rel: string) => {
    for (const name of readdirSync(path.join(dir, rel))) {
      const r = rel ? `${rel}/${name}` : name;
      const abs = path.join(dir, r);
      const s = lstatSync(abs);
      const base = { mode: s.mode & 0o7777, uid: s.uid, gid: s.gid, ino: s.ino };
      if (s.isSymbolicLink()) out.set(r, { type: 'link', ...base, target: readlinkSync(abs) });
      else if (s.isFIFO()) out.set(r, { type: 'fifo', ...base });
      else if (s.isDirectory()) {
        out.set(r, { type: 'dir', ...base });
        walk(r);
      } else out.set(r, { type: 'file', ...base, sha: sha(readFileSync(abs)) });
    }
  };
  walk('');
  return out;
}
