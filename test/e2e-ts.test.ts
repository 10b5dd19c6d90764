/**
 * End to end: rewrite the runnable programs of fixtures/ts/run (CJS, ESM, TS compiled with tsc),
 * and the creation forms of forms.ts (a net.Socket subclass, new tls.TLSSocket, a re-exported
 * creator), run them before and after against a loopback server (plain and TLS, itself rewritten) under
 * strace, and prove that every connected TCP socket — client and accepted side, TLS included —
 * gets SO_KEEPALIVE with the requested idle time, and that the programs' output is unchanged.
 */
import { execFileSync, spawn } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_OPTIONS, writeIfUnchanged } from '@ka-codemod/core';
import { tsEngine } from '@ka-codemod/ts';

const repo = fileURLToPath(new URL('../', import.meta.url));
const runDir = path.join(repo, 'fixtures/ts/run');
const PROGRAMS = ['server.cjs', 'client.cjs', 'client.mjs', 'client.ts', 'forms.ts', 'forms-dial.ts'];
/** forms-dial.ts only re-exports net.connect: its sites are in forms.ts, which calls it. */
const REWRITTEN = PROGRAMS.filter((p) => p !== 'forms-dial.ts');
/** Connections the clients make: cjs 2, esm 3, ts 2, ts forms 3 (subclass, new tls.TLSSocket, re-exported creator). */
const EXPECTED_CONNECTIONS = 10;
const DELAY_MS = 45_000;

interface SocketLife {
  fd: number;
  tcp: boolean;
  connected: boolean;
  keepalive: boolean;
  idle: number | null;
  via: 'connect' | 'accept';
}

/** Follows fds through an strace log: socket/accept4 open one, connect marks it, close ends it. */
export function socketLives(log: string): SocketLife[] {
  const done: SocketLife[] = [];
  const open = new Map<number, SocketLife>();
  const listening = new Set<number>();
  const pending = new Map<string, string>();
  for (let line of log.split('\n')) {
    const pid = /^(\d+)\s+/.exec(line)?.[1] ?? '';
    line = line.replace(/^\d+\s+/, '');
    if (line.endsWith('<unfinished ...>')) {
      pending.set(pid, line.replace(/\s*<unfinished \.\.\.>$/, ''));
      continue;
    }
    const resumed = /^<\.\.\. (\w+) resumed>(.*)$/.exec(line);
    if (resumed) line = (pending.get(pid) ?? `${resumed[1]}(`) + resumed[2];
    const call = /^(\w+)\((.*)\)\s+=\s+(-?\d+)/.exec(line);
    if (!call) continue;
    const [, name, args, retText] = call as unknown as [string, string, string, string];
    const ret = Number(retText);
    const fd = Number(args.split(',')[0]);
    const finish = (n: number) => {
      const life = open.get(n);
      if (life) done.push(life);
      open.delete(n);
      listening.delete(n);
    };
    if (name === 'socket' && ret >= 0) {
      finish(ret);
      open.set(ret, { fd: ret, tcp: /AF_INET6?/.test(args) && /SOCK_STREAM/.test(args), connected: false, keepalive: false, idle: null, via: 'connect' });
    } else if ((name === 'accept4' || name === 'accept') && ret >= 0) {
      finish(ret);
      open.set(ret, { fd: ret, tcp: open.get(fd)?.tcp ?? false, connected: true, keepalive: false, idle: null, via: 'accept' });
    } else if (name === 'connect') {
      const life = open.get(fd);
      if (life && (ret === 0 || /EINPROGRESS/.test(line))) life.connected = true;
    } else if (name === 'listen') listening.add(fd);
    else if (name === 'setsockopt') {
      const life = open.get(fd);
      if (!life || ret !== 0) continue;
      if (/SOL_SOCKET, SO_KEEPALIVE, \[1\]/.test(args)) life.keepalive = true;
      const idle = /TCP_KEEPIDLE, \[(\d+)\]/.exec(args);
      if (idle) life.idle = Number(idle[1]);
    } else if (name === 'close' && ret === 0) finish(fd);
  }
  for (const n of [...open.keys()]) if (!listening.has(n)) done.push(open.get(n)!);
  return done.filter((l) => l.tcp && l.connected);
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
    s.on('error', reject);
  });
}

interface Run {
  output: string;
  lives: SocketLife[];
}

/** Runs `node file` under strace; resolves when it exits (bounded by a timeout). */
function traced(dir: string, file: string, env: NodeJS.ProcessEnv, onLine?: (line: string) => void): Promise<Run> {
  const trace = path.join(dir, `${path.basename(file)}.strace`);
  return new Promise((resolve, reject) => {
    const child = spawn('strace', ['-f', '-qq', '-o', trace, '-e', 'trace=socket,connect,accept4,accept,listen,setsockopt,close', process.execPath, file], { cwd: dir, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    let errors = '';
    const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
    child.stdout.on('data', (d: Buffer) => {
      output += d.toString();
      for (const line of d.toString().split('\n')) if (line) onLine?.(line);
    });
    child.stderr.on('data', (d: Buffer) => {
      errors += d.toString();
    });
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      if (code !== 0) return reject(new Error(`${file} exited ${code}: ${errors}`));
      resolve({ output: output + errors, lives: socketLives(readFileSync(trace, 'utf8')) });
    });
  });
}

async function runAll(dir: string, cert: { key: string; cert: string }): Promise<Run[]> {
  const env = { NET_PORT: String(await freePort()), TLS_PORT: String(await freePort()), TLS_KEY: cert.key, TLS_CERT: cert.cert, EXPECTED: String(EXPECTED_CONNECTIONS) };
  let ready!: () => void;
  const listening = new Promise<void>((r) => (ready = r));
  const server = traced(dir, 'server.cjs', env, (line) => line === 'listening' && ready());
  await Promise.race([listening, server]);
  const clients: Run[] = [];
  for (const client of ['client.cjs', 'client.mjs', 'out/client.js', 'out/forms.js']) clients.push(await traced(dir, client, env));
  return [await server, ...clients];
}

function compileTs(dir: string): void {
  execFileSync(process.execPath, [path.join(repo, 'node_modules/typescript/bin/tsc'), '--module', 'nodenext', '--moduleResolution', 'nodenext', '--target', 'es2022', '--strict', '--esModuleInterop', '--skipLibCheck', '--types', 'node', '--typeRoots', path.join(repo, 'node_modules/@types'), '--outDir', path.join(dir, 'out'), path.join(dir, 'client.ts'), path.join(dir, 'forms.ts')], { cwd: dir, stdio: 'pipe' });
}

describe('rewritten Node programs really get TCP keepalive (strace)', () => {
  const tmp = mkdtempSync(path.join(tmpdir(), 'ka-e2e-ts-'));
  const before = path.join(tmp, 'before');
  const after = path.join(tmp, 'after');
  let cert: { key: string; cert: string };
  let runsBefore: Run[];
  let runsAfter: Run[];
  let changed: string[];

  beforeAll(async () => {
    for (const dir of [before, after]) {
      mkdirSync(dir);
      for (const p of PROGRAMS) cpSync(path.join(runDir, p), path.join(dir, p));
      // A project of its own: engines.node decides which keepAlive options count.
      writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ private: true, engines: { node: '>=20' } }));
    }
    cert = { key: path.join(tmp, 'key.pem'), cert: path.join(tmp, 'cert.pem') };
    execFileSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-keyout', cert.key, '-out', cert.cert, '-days', '1', '-subj', '/CN=127.0.0.1'], { stdio: 'pipe' });

    const plan = await tsEngine.plan({ root: after, files: PROGRAMS.map((p) => path.join(after, p)), options: { ...DEFAULT_OPTIONS, initialDelayMs: DELAY_MS } });
    changed = plan.files.map((f) => path.basename(f.path));
    for (const f of plan.files) expect(await writeIfUnchanged(f.path, f.before, f.after)).toEqual({ ok: true });
    compileTs(before);
    compileTs(after); // throws (and fails the suite) if the rewritten TS does not type-check
    runsBefore = await runAll(before, cert);
    runsAfter = await runAll(after, cert);
  }, 60_000);
  afterAll(() => rmSync(tmp, { recursive: true, force: true }));

  it('rewrites every program', () => {
    expect(changed.sort()).toEqual([...REWRITTEN].sort());
  });

  it('sees every connection on both sides', () => {
    const count = (runs: Run[]) => runs.reduce((n, r) => n + r.lives.length, 0);
    // Each connection is one client socket and one accepted socket.
    expect(count(runsBefore)).toBe(EXPECTED_CONNECTIONS * 2);
    expect(count(runsAfter)).toBe(EXPECTED_CONNECTIONS * 2);
  });

  it('without the rewrite, sockets lack keepalive (the check can fail)', () => {
    expect(runsBefore.flatMap((r) => r.lives).filter((l) => !l.keepalive).length).toBe(EXPECTED_CONNECTIONS * 2);
  });

  it('after the rewrite, every connected TCP socket has SO_KEEPALIVE and TCP_KEEPIDLE = delay', () => {
    const lives = runsAfter.flatMap((r) => r.lives);
    expect(lives.filter((l) => !l.keepalive || l.idle !== DELAY_MS / 1000)).toEqual([]);
    expect(lives.filter((l) => l.via === 'accept')).toHaveLength(EXPECTED_CONNECTIONS);
  });

  it('output is unchanged', () => {
    expect(runsAfter.map((r) => r.output)).toEqual(runsBefore.map((r) => r.output));
    expect(runsAfter[0]!.output).toContain('served cjs-net,cjs-tls,esm-options,esm-socket,esm-wrapped,ts-dial,ts-net,ts-subclass,ts-tls,ts-tlssocket');
  });
});
