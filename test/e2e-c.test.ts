/**
 * End to end for the C rewrite: every runnable fixture under fixtures/c/rewrite/ is compiled before
 * and after the rewrite with `gcc -Wall -Wextra` (no new warnings), run against a loopback peer
 * under strace, and must print the same output while every connected TCP socket now has
 * SO_KEEPALIVE (directly or through its listener) and no UDP/AF_UNIX socket got it.
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cEngine } from '@ka-codemod/c';
import { effectivePolicy, layOut, listCases, optionsOf, type FixtureCase } from '../packages/c/test/rewrite/cases.js';
import { auditTrace, effectiveTcpOptions, parseStrace } from './helpers/strace.js';
import { skipWithout } from './helpers/system-tools.js';

const work = mkdtempSync(join(tmpdir(), 'ka-e2e-c-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

const have = (cmd: string) => spawnSync(cmd, ['--version'], { stdio: 'ignore' }).status === 0;
// strace also needs ptrace (containers without CAP_SYS_PTRACE refuse it): probe for real.
const canTrace = () => spawnSync('strace', ['-f', '-o', '/dev/null', 'true'], { stdio: 'ignore' }).status === 0;
const tools = have('gcc') && have('strace') && canTrace();
const GREETING = 'hello from the loopback peer\n';

/** Warnings without positions, so moved lines do not count as new. */
function warnings(stderr: string): string[] {
  return stderr
    .split('\n')
    .filter((l) => /(warning|error):/.test(l))
    .map((l) => l.replace(/^[^:]*:\d+:\d+:\s*/, ''))
    .sort();
}

function compile(src: string, out: string, c: FixtureCase): { ok: boolean; warnings: string[]; stderr: string } {
  const flags = ['-Wall', '-Wextra', ...(c.spec.cflags ?? []), ...(c.spec.run ? ['-o', out] : ['-c', '-o', `${out}.o`]), src];
  const r = spawnSync('gcc', flags, { encoding: 'utf8', timeout: 30_000 });
  return { ok: r.status === 0, warnings: warnings(r.stderr), stderr: r.stderr };
}

interface Run {
  code: number | null;
  stdout: string;
  trace: string;
}

/** A loopback peer that greets every connection (for client fixtures). */
async function greeter(): Promise<net.Server> {
  // A fixture whose setsockopt was made to fail closes its fd at once, so the greeting may meet a
  // reset connection: that is the behaviour under test, not an error of the peer.
  const server = net.createServer((s) => {
    s.on('error', () => undefined);
    s.end(GREETING);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return server;
}

async function freePort(): Promise<number> {
  const s = net.createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const port = (s.address() as net.AddressInfo).port;
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}

/** Connects to a fixture server, retrying while it starts (and runs); resolves with what it sent. */
async function visit(port: number, deadline: number, running: () => boolean = () => true): Promise<string> {
  for (;;) {
    try {
      return await new Promise<string>((resolve, reject) => {
        const s = net.connect(port, '127.0.0.1');
        let data = '';
        s.on('data', (d) => (data += d.toString()));
        s.on('end', () => resolve(data));
        s.on('error', reject);
      });
    } catch (e) {
      if (Date.now() > deadline || !running()) throw e;
      await new Promise((r) => setTimeout(r, 50));
    }
  }
}

interface RunOptions {
  /** Extra syscalls to trace (the leak check adds close). */
  trace?: string[];
  env?: Record<string, string>;
  killAfterMs?: number;
  /** strace fault injection, e.g. `setsockopt:error=ENOPROTOOPT`. */
  inject?: string;
  /** Server fixtures: connect, but do not require a greeting (the program may give up on purpose). */
  lenient?: boolean;
}

async function runTraced(bin: string, c: FixtureCase, o: RunOptions = {}): Promise<Run> {
  const run = c.spec.run!;
  const traceFile = `${bin}.strace`;
  let server: net.Server | null = null;
  let port: number;
  const calls = ['socket', 'connect', 'accept', 'accept4', 'listen', 'setsockopt', ...(o.trace ?? [])];
  const args = ['-f', '-o', traceFile, '-e', `trace=${calls.join(',')}`, ...(o.inject ? ['-e', `inject=${o.inject}`] : []), bin];
  if (run.role === 'client') {
    server = await greeter();
    port = (server.address() as net.AddressInfo).port;
    args.push(String(port));
  } else {
    port = await freePort();
    args.push(String(port), String(run.connections));
  }
  // Its own process group: a timeout kills strace and the traced program together.
  const child = spawn('strace', args, { env: { ...process.env, ...run.env, ...o.env }, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  let stdout = '';
  child.stdout.on('data', (d) => (stdout += d.toString()));
  const kill = () => {
    try {
      process.kill(-child.pid!, 'SIGKILL');
    } catch {
      child.kill('SIGKILL');
    }
  };
  const killer = setTimeout(kill, o.killAfterMs ?? 15_000);
  let exitedAlready = false;
  const exited = new Promise<number | null>((r) => child.on('close', (code) => { exitedAlready = true; r(code); }));
  if (run.role === 'server') {
    const deadline = Date.now() + (o.lenient ? 2_000 : 10_000);
    for (let i = 0; i < run.connections && !exitedAlready; i++) {
      if (o.lenient) await visit(port, deadline, () => !exitedAlready).catch(() => '');
      else expect(await visit(port, deadline)).toMatch(/hello/);
    }
    // A lenient server may wait forever for connections it did not count (an accept loop that
    // drops the fd whose keepalive failed and goes on): its connections are made, the trace holds
    // what the test reads, so it gets a moment to finish and is then stopped.
    if (o.lenient && !exitedAlready) await Promise.race([exited, new Promise((r) => setTimeout(r, 500))]).then(() => exitedAlready || kill());
  }
  const code = await exited;
  clearTimeout(killer);
  if (server) await new Promise<void>((r) => server.close(() => r()));
  return { code, stdout, trace: readFileSync(traceFile, 'utf8') };
}

/** The rewrite through the whole engine (analysis + planner), when the analysis finds the sites. */
async function engineRewrite(c: FixtureCase, dir: string): Promise<string | null> {
  const file = layOut(c, dir, 'engine.c');
  const plan = await cEngine.plan({ root: dir, files: [file], options: optionsOf(c.spec) });
  if (plan.sites.length === 0) return null;
  const f = plan.files.find((p) => p.path === file);
  if (f) writeFileSync(file, f.after);
  return file;
}

const cases = listCases().filter((c) => c.spec.compile !== false);

describe.skipIf(skipWithout(tools, 'gcc and strace able to ptrace'))('C rewrite end to end: gcc -Wall -Wextra, run, strace', () => {
  it('reads strace lines into sockets, listeners and inherited keepalive', () => {
    const trace = [
      '100 socket(AF_INET, SOCK_STREAM, IPPROTO_IP) = 3',
      '100 setsockopt(3, SOL_SOCKET, SO_KEEPALIVE, [1], 4) = 0',
      '100 setsockopt(3, SOL_TCP, TCP_KEEPIDLE, [60], 4) = 0',
      '100 listen(3, 16) = 0',
      '100 accept(3, NULL, NULL) = 4',
      '100 socket(AF_INET, SOCK_DGRAM, IPPROTO_IP) = 5',
      '100 socket(AF_INET, SOCK_STREAM, IPPROTO_IP) = 6',
      '100 connect(6, {sa_family=AF_INET, sin_port=htons(9), sin_addr=inet_addr("127.0.0.1")}, 16) = 0',
    ].join('\n');
    const a = auditTrace(trace);
    expect(a.connectedTcp.map((s) => s.fd)).toEqual([4, 6]);
    expect(a.missing.map((s) => s.fd)).toEqual([6]);
    expect(a.nonTcp.map((s) => s.fd)).toEqual([5]);
    expect(effectiveTcpOptions(parseStrace(trace)[1]!)).toEqual({ TCP_KEEPIDLE: 60 });
  });

  for (const c of cases) {
    const dir = join(work, c.name);
    it(`${c.name}: builds without new warnings${c.spec.run ? ', same output, every TCP connection has keepalive' : ''}`, async () => {
      rmSync(dir, { recursive: true, force: true });
      spawnSync('mkdir', ['-p', dir]);
      const rewritten = c.expected ?? c.input;
      const before = compile(c.input, join(dir, 'before'), c);
      const after = compile(rewritten, join(dir, 'after'), c);
      expect(before.ok, before.stderr).toBe(true);
      expect(after.ok, after.stderr).toBe(true);
      expect(after.warnings).toEqual(before.warnings);
      if (!c.spec.run) return;

      const original = await runTraced(join(dir, 'before'), c);
      const fixed = await runTraced(join(dir, 'after'), c);
      expect(original.code).toBe(0);
      expect(fixed.code).toBe(0);
      expect(fixed.stdout).toBe(original.stdout);

      const was = auditTrace(original.trace);
      const now = auditTrace(fixed.trace);
      expect(now.connectedTcp.length, 'the program made TCP connections').toBeGreaterThan(0);
      // The original really lacked keepalive: otherwise this check proves nothing.
      expect(was.missing.length).toBeGreaterThan(0);
      expect(now.missing.map((s) => s.origin), 'connected TCP sockets without SO_KEEPALIVE').toEqual([]);
      expect(now.wrongly.map((s) => s.origin), 'non-TCP sockets that got SO_KEEPALIVE').toEqual([]);
      expect(now.nonTcp.length).toBe(was.nonTcp.length);
      const o = optionsOf(c.spec);
      const env = c.spec.run.env ?? {};
      const idle = env.KEEPIDLE !== undefined && o.toggle === 'env' ? Number(env.KEEPIDLE) : o.idleSeconds;
      const count = env.KEEPCNT !== undefined && o.toggle === 'env' ? Number(env.KEEPCNT) : o.count;
      for (const s of now.connectedTcp) {
        const set = effectiveTcpOptions(s);
        if (idle !== undefined) expect(set.TCP_KEEPIDLE).toBe(idle);
        if (o.intervalSeconds !== undefined) expect(set.TCP_KEEPINTVL).toBe(o.intervalSeconds);
        if (count !== undefined) expect(set.TCP_KEEPCNT).toBe(count);
        if (o.userTimeoutMs !== undefined) expect(set.TCP_USER_TIMEOUT).toBe(o.userTimeoutMs);
      }
    });
  }

  it('--toggle=env: KEEPALIVE=off at run time leaves sockets without keepalive', async () => {
    const c = cases.find((x) => x.spec.options?.toggle === 'env');
    expect(c).toBeDefined();
    const dir = join(work, 'toggle-off');
    spawnSync('mkdir', ['-p', dir]);
    const bin = join(dir, 'after');
    expect(compile(c!.expected!, bin, c!).ok).toBe(true);
    const off = await runTraced(bin, { ...c!, spec: { ...c!.spec, run: { ...c!.spec.run!, env: { KEEPALIVE: 'off' } } } });
    expect(off.code).toBe(0);
    expect(auditTrace(off.trace).connectedTcp.every((s) => !s.keepalive)).toBe(true);
  });

  describe('the new error path never leaks the fd (strace makes every setsockopt fail: -e inject=setsockopt:error=ENOPROTOOPT)', () => {
    for (const c of cases.filter((x) => x.spec.run && x.expected && effectivePolicy(x.spec) !== 'ignore')) {
      it(`${c.name}: every fd whose SO_KEEPALIVE failed is closed${effectivePolicy(c.spec) === 'log' ? ', and the program goes on' : ''}`, async () => {
        const dir = join(work, `${c.name}-leak`);
        spawnSync('mkdir', ['-p', dir]);
        const bin = join(dir, 'after');
        expect(compile(c.expected!, bin, c).ok).toBe(true);
        const run = await runTraced(bin, c, { trace: ['close'], inject: 'setsockopt:error=ENOPROTOOPT', killAfterMs: 4_000, lenient: true });
        const lines = run.trace.split('\n');
        let failures = 0;
        lines.forEach((line, i) => {
          const m = /^(\d+)\s+setsockopt\((\d+), SOL_SOCKET, SO_KEEPALIVE, .*= -1 ENOPROTOOPT/.exec(line);
          if (!m) return;
          failures++;
          if (effectivePolicy(c.spec) === 'log') return;
          const closed = lines.slice(i + 1).some((l) => new RegExp(`^${m[1]}\\s+close\\(${m[2]}\\)\\s+= 0`).test(l));
          expect(closed, `fd ${m[2]} closed after its SO_KEEPALIVE failed\n${run.trace}`).toBe(true);
        });
        expect(failures, 'strace made SO_KEEPALIVE fail at least once').toBeGreaterThan(0);
        if (effectivePolicy(c.spec) === 'log' && c.spec.run!.role === 'client') {
          const before = join(dir, 'before');
          expect(compile(c.input, before, c).ok).toBe(true);
          const original = await runTraced(before, c);
          expect(run.stdout).toBe(original.stdout);
          expect(run.code).toBe(0);
        }
      });
    }
  });

  for (const c of cases.filter((x) => x.spec.run)) {
    it(`${c.name}: the whole engine (analysis + rewrite) gives every TCP connection keepalive`, async () => {
      const dir = join(work, `${c.name}-engine`);
      spawnSync('mkdir', ['-p', dir]);
      const file = await engineRewrite(c, dir);
      expect(file, 'the engine planned no rewrite for this runnable fixture').not.toBeNull();
      const bin = join(dir, 'engine');
      const built = compile(file!, bin, c);
      expect(built.ok, built.stderr).toBe(true);
      const run = await runTraced(bin, c);
      expect(run.code).toBe(0);
      const audit = auditTrace(run.trace);
      expect(audit.missing.map((s) => s.origin)).toEqual([]);
      expect(audit.wrongly.map((s) => s.origin)).toEqual([]);
    });
  }
});

