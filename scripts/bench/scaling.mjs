#!/usr/bin/env node
// The scaling benchmark: one generated network project (a C server and client spread over modules:
// listening and accepting sockets, descriptors passed through helpers, stored in struct fields,
// keepalive set by a shared helper or left out), audited as 1, 2, 4 and 8 copies side by side in
// one project (one Makefile at the root, so the copies' same-named functions and fields meet in
// one project-wide flow, as vendored or patched copies do). Prints, per size, the flow facts the
// C engine counted (its `flowFacts` stat, read from `--timings`), wall time, the engine's and the
// decision's share, and the time per flow fact. The work should grow linearly with the facts.
// Not a test: the figures depend on the machine. Used by scripts/bench.mjs; runs alone too.
//
// usage: node scripts/bench/scaling.mjs [--copies 1,2,4,8] [--modules N] [--runs N]
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const CLI = path.join(REPO, 'packages/cli/bin/ka-codemod.js');

/** One module of the network project: every shape of flow the engine follows, about 120 lines. */
function moduleSource(m) {
  return `#include <sys/types.h>
#include <sys/socket.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <string.h>
#include <unistd.h>
#include "common.h"

struct conn_${m} {
  int fd;
  int state;
  struct conn_${m} *next;
};

static struct conn_${m} *conns_${m};

static int tune(int fd, int idle)
{
  if (idle > 0 && setsockopt(fd, IPPROTO_TCP, TCP_KEEPIDLE, &idle, sizeof idle) < 0)
    return -1;
  return 0;
}

int listen_on_${m}(int port)
{
  struct sockaddr_in sa;
  int one = 1;
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0)
    return -1;
  setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  memset(&sa, 0, sizeof sa);
  sa.sin_family = AF_INET;
  sa.sin_port = htons(port);
  if (bind(fd, (struct sockaddr *)&sa, sizeof sa) < 0 || listen(fd, 16) < 0) {
    close(fd);
    return -1;
  }
  return fd;
}

static struct conn_${m} *remember(int fd)
{
  struct conn_${m} *c = calloc(1, sizeof *c);
  c->fd = fd;
  c->next = conns_${m};
  conns_${m} = c;
  return c;
}

static int handle(struct conn_${m} *c)
{
  char buf[512];
  ssize_t n = read(c->fd, buf, sizeof buf);
  if (n <= 0)
    return -1;
  return (int)write(c->fd, buf, (size_t)n);
}

int accept_one_${m}(int lfd, int with_keepalive)
{
  int fd = accept(lfd, NULL, NULL);
  if (fd < 0)
    return -1;
  if (with_keepalive)
    enable_keepalive(fd);
  tune(fd, 30);
  return handle(remember(fd));
}

int accept_plain_${m}(int lfd)
{
  int fd = accept(lfd, NULL, NULL);
  struct conn_${m} *c;
  if (fd < 0)
    return -1;
  c = remember(fd);
  return handle(c);
}

static int dial(const struct sockaddr_in *to)
{
  int fd = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
  if (fd < 0)
    return -1;
  if (connect(fd, (const struct sockaddr *)to, sizeof *to) < 0) {
    close(fd);
    return -1;
  }
  return fd;
}

int client_${m}(const struct sockaddr_in *to)
{
  int fd = dial(to);
  if (fd < 0)
    return -1;
  enable_keepalive(fd);
  return handle(remember(fd));
}

int client_bare_${m}(const struct sockaddr_in *to)
{
  struct conn_${m} *c = remember(dial(to));
  return handle(c);
}

int datagram_${m}(void)
{
  return socket(AF_INET, SOCK_DGRAM, 0);
}
`;
}

const COMMON_H = `#ifndef COMMON_H
#define COMMON_H
#include <stdlib.h>
int enable_keepalive(int fd);
#endif
`;

const COMMON_C = `#include <sys/socket.h>
#include "common.h"

int enable_keepalive(int fd)
{
  int on = 1;
  return setsockopt(fd, SOL_SOCKET, SO_KEEPALIVE, &on, sizeof on);
}
`;

/** Writes `copies` copies of the project (each `modules` modules) under dir, one project: one Makefile at the top. */
export function generateProject(dir, copies, modules = 12) {
  mkdirSync(dir, { recursive: true });
  writeFileSync(path.join(dir, 'Makefile'), 'all:\n\t@echo generated network project\n');
  for (let c = 0; c < copies; c++) {
    const copy = path.join(dir, `copy${c + 1}`);
    mkdirSync(path.join(copy, 'src'), { recursive: true });
    writeFileSync(path.join(copy, 'src', 'common.h'), COMMON_H);
    writeFileSync(path.join(copy, 'src', 'common.c'), COMMON_C);
    for (let m = 0; m < modules; m++) writeFileSync(path.join(copy, 'src', `net${m}.c`), moduleSource(m));
  }
  return dir;
}

/** One audit under GNU time: wall s, peak MB, and the --timings figures. */
function auditTimed(dir, extra = []) {
  const timing = path.join(dir, '..', `time-${path.basename(dir)}.txt`);
  const r = spawnSync('/usr/bin/time', ['-f', '%e %M', '-o', timing, process.execPath, CLI, 'audit', dir, '--lang', 'c', '--format', 'json', '--output', path.join(dir, '..', `report-${path.basename(dir)}.json`), '--quiet', '--timings', ...extra], { encoding: 'utf8' });
  const [wall, kb] = (spawnSync('cat', [timing], { encoding: 'utf8' }).stdout || 'NaN NaN').trim().split(/\s+/).map(Number);
  const cell = (phase) => Number(new RegExp(`^${phase.replace(/[()]/g, '\\$&')}\\s+(\\d+)`, 'm').exec(r.stderr)?.[1] ?? NaN);
  return {
    wall,
    rssMB: kb / 1024,
    engineMs: cell('engine (wall)'),
    decideMs: cell('decide'),
    parseMs: cell('parse'),
    facts: Number(/(\d+) flow facts/.exec(r.stderr)?.[1] ?? NaN),
    status: r.status,
  };
}

/** Audits each size `runs` times, interleaved; keeps each size's median by wall time. */
export function scaling({ copies = [1, 2, 4, 8], modules = 12, runs = 1, scratch } = {}) {
  const base = scratch ?? mkdtempSync(path.join(tmpdir(), 'ka-scaling-'));
  const dirs = copies.map((n) => generateProject(path.join(base, `x${n}`), n, modules));
  const all = copies.map(() => []);
  for (let r = 0; r < runs; r++) dirs.forEach((d, i) => all[i].push(auditTimed(d)));
  const rows = copies.map((n, i) => {
    const sorted = [...all[i]].sort((a, b) => a.wall - b.wall);
    const m = sorted[Math.floor(sorted.length / 2)];
    return { copies: n, files: n * (modules + 2), ...m, usPerFact: (m.wall * 1e6) / m.facts, engineUsPerFact: (m.engineMs * 1e3) / m.facts, decideUsPerFact: (m.decideMs * 1e3) / m.facts };
  });
  if (!scratch) rmSync(base, { recursive: true, force: true });
  return rows;
}

export function scalingTable(rows) {
  const f = (n, d = 1) => (Number.isFinite(n) ? n.toFixed(d) : '-');
  const out = ['| copies | C files | flow facts | wall s | peak MB | engine ms | parse ms | decide ms | wall µs / fact | engine µs / fact | decide µs / fact |', '| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |'];
  for (const r of rows) out.push(`| ${r.copies} | ${r.files} | ${r.facts} | ${f(r.wall, 2)} | ${f(r.rssMB, 0)} | ${r.engineMs} | ${r.parseMs} | ${r.decideMs} | ${f(r.usPerFact)} | ${f(r.engineUsPerFact)} | ${f(r.decideUsPerFact)} |`);
  const first = rows[0];
  const last = rows.at(-1);
  if (first && last && first !== last) {
    out.push('');
    out.push(
      `Engine time per flow fact, ${last.copies} copies against ${first.copies}: ${f(last.engineUsPerFact / first.engineUsPerFact, 2)}× ` +
        `(decide alone ${f(last.decideUsPerFact / first.decideUsPerFact, 2)}×; wall, start-up included, ${f(last.usPerFact / first.usPerFact, 2)}×); target: within 1.5×.`,
    );
  }
  return out.join('\n');
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const argv = process.argv.slice(2);
  const opt = (name, fallback) => (argv.includes(name) ? argv[argv.indexOf(name) + 1] : fallback);
  const rows = scaling({ copies: opt('--copies', '1,2,4,8').split(',').map(Number), modules: Number(opt('--modules', '12')), runs: Number(opt('--runs', '1')) });
  console.log(scalingTable(rows));
}
