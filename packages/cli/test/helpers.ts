import { mkdtempSync, readFileSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { readSourceFileSync, relativePath, type AnalyzeRequest, type Engine, type FileProblem, type MachineTimers, type PlannedFile, type Site } from '@ka-codemod/core';
import { main, type CliIo, type MainDeps } from '../src/index.js';

export interface Captured {
  code: number;
  stdout: string;
  stderr: string;
}

export function captureIo(cwd: string, opts: { tty?: boolean; columns?: number; env?: Record<string, string> } = {}): { io: CliIo; out: () => string; err: () => string } {
  let out = '';
  let err = '';
  return {
    io: {
      cwd,
      env: opts.env ?? {},
      stdout: { write: (s: string) => (out += s), isTTY: opts.tty ?? false, ...(opts.columns ? { columns: opts.columns } : {}) },
      stderr: { write: (s: string) => (err += s), isTTY: false },
    },
    out: () => out,
    err: () => err,
  };
}

export const TEST_TIMERS: MachineTimers = { idleSeconds: 7200, intervalSeconds: 75, probes: 9, source: 'linux-defaults' };

export async function runCli(argv: string[], cwd: string, deps: MainDeps = {}, opts: { tty?: boolean; columns?: number; env?: Record<string, string> } = {}): Promise<Captured> {
  const cap = captureIo(cwd, opts);
  const code = await main(argv, cap.io, { engines: [fakeCEngine], machineTimers: () => TEST_TIMERS, ...deps });
  return { code, stdout: cap.out(), stderr: cap.err() };
}

export function tmpDir(prefix = 'ka-cli-'): string {
  return mkdtempSync(path.join(tmpdir(), prefix));
}

export async function writeTree(root: string, files: Record<string, string>): Promise<void> {
  for (const [name, content] of Object.entries(files)) {
    await mkdir(path.dirname(path.join(root, name)), { recursive: true });
    await writeFile(path.join(root, name), content);
  }
}

/**
 * A stand-in C engine for testing the CLI's plumbing, independent of the real analysis: every
 * `socket(` call is a TCP site; it has keepalive when the file mentions SO_KEEPALIVE, is conditional
 * when the file mentions `if (cfg.keepalive)`, and its fix inserts a marker line after the call's line.
 */
export const fakeCEngine: Engine = {
  language: 'c',
  extensions: ['.c', '.h'],
  async analyze(request: AnalyzeRequest) {
    const { texts, problems } = readAll(request);
    return { sites: fakeSites(request, texts), problems, stats: { files: request.files.length } };
  },
  async plan(request: AnalyzeRequest) {
    const { texts, problems } = readAll(request);
    const sites = fakeSites(request, texts);
    const files: PlannedFile[] = [];
    for (const file of texts.keys()) {
      const before = readFileSync(file);
      const mine = sites.filter((s) => s.fix?.path === file);
      if (mine.length === 0) continue;
      let text = before.toString('utf8');
      for (const s of [...mine].sort((a, b) => b.fix!.edits[0]!.start - a.fix!.edits[0]!.start)) {
        const e = s.fix!.edits[0]!;
        text = text.slice(0, e.start) + e.text + text.slice(e.end);
      }
      files.push({ path: file, before, after: Buffer.from(text), changes: mine.map((s) => `${s.file}:${s.line}: SO_KEEPALIVE on the socket in ${s.function}`) });
    }
    return { sites, problems, stats: {}, files };
  },
};

/** As real engines do: each file read once with core's checks, what they refuse is a problem. */
function readAll(request: AnalyzeRequest): { texts: Map<string, string>; problems: FileProblem[] } {
  const texts = new Map<string, string>();
  const problems: FileProblem[] = [];
  for (const file of request.files) {
    const read = readSourceFileSync(file, request.root);
    if (read.ok) texts.set(file, read.content.toString('utf8'));
    else problems.push(read.problem);
  }
  return { texts, problems };
}

function fakeSites(request: AnalyzeRequest, texts: ReadonlyMap<string, string>): Site[] {
  const sites: Site[] = [];
  for (const [file, text] of texts) {
    const conditional = text.includes('if (cfg.keepalive)');
    const yes = !conditional && text.includes('SO_KEEPALIVE');
    // The fd handed to a function the fake engine "cannot follow".
    const unknown = !conditional && !yes && text.includes('hand_off(fd)');
    const lines = text.split('\n');
    let offset = 0;
    let fn: string | null = null;
    lines.forEach((line, i) => {
      const def = /^\w[\w\s*]*?\b(\w+)\s*\(/.exec(line);
      if (def && !line.startsWith(' ')) fn = def[1]!;
      const col = line.search(/\bsocket\(/);
      if (col >= 0) {
        const unix = line.includes('AF_UNIX');
        const keepalive = unix ? 'n/a' : conditional ? 'conditional' : yes ? 'yes' : unknown ? 'unknown' : 'no';
        const lineEnd = offset + Buffer.byteLength(line) + 1;
        const site: Site = {
          file: relativePath(request.root, file),
          line: i + 1,
          column: col + 1,
          endLine: i + 1,
          endColumn: col + 1 + 'socket'.length,
          language: 'c',
          call: 'socket',
          function: fn,
          tcp: unix ? 'no' : 'yes',
          keepalive,
          how: keepalive === 'no' ? `no setsockopt(SO_KEEPALIVE) on the fd in ${fn}` : keepalive === 'unknown' ? `the fd is handed to hand_off, which cannot be followed` : `keepalive set in ${fn}`,
          tuning: [],
          errorHandler: 'n/a',
          fixable: keepalive === 'no',
        };
        if (keepalive === 'no') {
          site.fix = { description: `set SO_KEEPALIVE in ${fn}`, path: file, unit: 'byte', edits: [{ start: lineEnd, end: lineEnd, text: '    /* keepalive */ setsockopt(fd, SOL_SOCKET, SO_KEEPALIVE, &on, sizeof on);\n' }], kind: 'safe', addsErrorListener: false };
        }
        sites.push(site);
      }
      offset += Buffer.byteLength(line) + 1;
    });
  }
  return sites;
}

/** Small hand-made C programs (our own, not corpus code). */
export const C_FILES = {
  'src/client.c': `#include <sys/socket.h>
int connect_to(const char *host)
{
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    return fd;
}
`,
  'src/server.c': `#include <sys/socket.h>
int listen_on(int port)
{
    int fd = socket(AF_INET6, SOCK_STREAM, 0);
    int on = 1;
    setsockopt(fd, SOL_SOCKET, SO_KEEPALIVE, &on, sizeof on);
    return fd;
}
`,
  'src/ipc/local.c': `#include <sys/socket.h>
int local_pair(void)
{
    int fd = socket(AF_UNIX, SOCK_STREAM, 0);
    return fd;
}
`,
  'lib/opt.c': `#include <sys/socket.h>
int dial(struct cfg cfg)
{
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    if (cfg.keepalive) enable(fd);
    return fd;
}
`,
};
