import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  ancestorDirectories,
  buildAuditReport,
  coverageByDirectory,
  coverageOf,
  formatDuration,
  formatRatio,
  LINUX_DEFAULT_TIMERS,
  middleboxesDroppingBeforeFirstProbe,
  noticeSeconds,
  readMachineTimers,
  timeToNotice,
  timersFromProcTexts,
  type MachineTimers,
  type Site,
} from '@ka-codemod/core';

const machine: MachineTimers = { ...LINUX_DEFAULT_TIMERS, source: 'linux-defaults' };

function site(over: Partial<Site>): Site {
  return {
    file: 'src/net.c',
    line: 10,
    column: 5,
    endLine: 10,
    endColumn: 11,
    language: 'c',
    call: 'socket',
    function: 'open_conn',
    tcp: 'yes',
    keepalive: 'no',
    how: 'no SO_KEEPALIVE anywhere the fd flows',
    tuning: [],
    errorHandler: 'n/a',
    fixable: true,
    ...over,
  };
}

describe('durations', () => {
  it('states the HOWTO default the way people do', () => {
    expect(formatDuration(7200 + 75 * 9)).toBe('2 h 11 min 15 s');
    expect(formatDuration(240)).toBe('4 min');
    expect(formatDuration(45)).toBe('45 s');
    expect(formatDuration(0)).toBe('0 s');
    expect(formatDuration(90_061)).toBe('1 d 1 h 1 min 1 s');
  });
});

describe('machine timers (HOWTO §3)', () => {
  it('parses /proc values and falls back to the Linux defaults on anything malformed', () => {
    expect(timersFromProcTexts({ time: '600\n', intvl: '10\n', probes: '3\n' })).toEqual({ idleSeconds: 600, intervalSeconds: 10, probes: 3, source: 'proc' });
    expect(timersFromProcTexts({ time: '600', intvl: 'x', probes: '3' })).toEqual({ ...LINUX_DEFAULT_TIMERS, source: 'linux-defaults' });
    expect(timersFromProcTexts({})).toMatchObject({ source: 'linux-defaults', idleSeconds: 7200 });
  });
  it('reads a directory laid out like /proc/sys/net/ipv4', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'ka-proc-'));
    writeFileSync(path.join(dir, 'tcp_keepalive_time'), '300\n');
    writeFileSync(path.join(dir, 'tcp_keepalive_intvl'), '20\n');
    writeFileSync(path.join(dir, 'tcp_keepalive_probes'), '5\n');
    expect(readMachineTimers(dir)).toEqual({ idleSeconds: 300, intervalSeconds: 20, probes: 5, source: 'proc' });
    expect(readMachineTimers(path.join(dir, 'missing')).source).toBe('linux-defaults');
  });
});

describe('time to notice a dead peer', () => {
  it('is idle + interval x probes, and TCP_USER_TIMEOUT replaces the probe count', () => {
    expect(noticeSeconds(LINUX_DEFAULT_TIMERS)).toBe(7875);
    expect(noticeSeconds({ idleSeconds: 60, intervalSeconds: 10, probes: 5 })).toBe(110);
    // closed at the first probe check after 30 s: 60 + 10 (at least one probe must go unanswered)
    expect(noticeSeconds({ idleSeconds: 60, intervalSeconds: 10, probes: 5 }, 30_000)).toBe(70);
    expect(noticeSeconds({ idleSeconds: 60, intervalSeconds: 10, probes: 5 }, 95_000)).toBe(100);
  });

  it('uses the machine timers where the site sets none, and says so', () => {
    const t = timeToNotice(site({ keepalive: 'yes' }), machine);
    expect(t.seconds).toBe(7875);
    expect(t.text).toBe('2 h 11 min 15 s');
    expect(t.from).toEqual({ idle: 'machine', interval: 'machine', probes: 'machine' });
    expect(t.rating).toBe('too-late-for-middleboxes');
    expect(t.droppedBy).toEqual(['AWS NLB', 'Azure load balancer', 'GCP']);
    expect(t.recommendation).toMatch(/idle time below 4 min/);
  });

  it('uses the site tuning when it is known', () => {
    const t = timeToNotice(site({ keepalive: 'yes', tuning: ['TCP_KEEPIDLE', 'TCP_KEEPINTVL', 'TCP_KEEPCNT'], tuningValues: { idleSeconds: 60, intervalSeconds: 10, count: 3 } }), machine);
    expect(t.seconds).toBe(90);
    expect(t.rating).toBe('ok');
    expect(t.droppedBy).toEqual([]);
    expect(t.recommendation).toMatch(/^fine/);
  });

  it('tuning set to values known only at run time: the machine value is assumed, and said so', () => {
    const t = timeToNotice(site({ keepalive: 'yes', tuning: ['TCP_KEEPIDLE', 'TCP_KEEPCNT'], tuningValues: { count: 3 } }), machine);
    expect(t.from).toEqual({ idle: 'run-time', interval: 'machine', probes: 'site' });
    expect(t.seconds).toBe(7200 + 75 * 3);
    expect(t.recommendation).toMatch(/\(set at run time; the machine's value is assumed\)/);
    expect(t.recommendation).toMatch(/\(The idle time is set at run time: the figure assumes the system's value\.\)$/);
  });

  it('an idle between Azure (4 min) and AWS NLB (350 s) is dropped by Azure only', () => {
    expect(middleboxesDroppingBeforeFirstProbe(300).map((m) => m.name)).toEqual(['Azure load balancer']);
    const t = timeToNotice(site({ keepalive: 'yes', tuningValues: { idleSeconds: 300 } }), machine);
    expect(t.droppedBy).toEqual(['Azure load balancer']);
    expect(t.seconds).toBe(300 + 75 * 9);
  });

  it('Node sockets probe every second, ten times, and a delay below 1 s means the OS default', () => {
    const t = timeToNotice(site({ language: 'ts', call: 'net.connect', keepalive: 'yes', tuningValues: { idleSeconds: 60 } }), machine);
    expect(t.seconds).toBe(70);
    expect(t.from).toEqual({ idle: 'site', interval: 'node', probes: 'node' });
    const zero = timeToNotice(site({ language: 'ts', call: 'net.connect', keepalive: 'yes', tuningValues: { idleSeconds: 0 } }), machine);
    expect(zero.seconds).toBe(7210);
  });

  it('never, without keepalive; n/a when not TCP; conditional holds only when enabled', () => {
    expect(timeToNotice(site({}), machine)).toMatchObject({ seconds: null, text: 'never', rating: 'never' });
    expect(timeToNotice(site({ tcp: 'no', keepalive: 'n/a' }), machine)).toMatchObject({ seconds: null, rating: 'not-tcp' });
    // An unknown verdict claims nothing about the timers: neither "never" nor a figure.
    expect(timeToNotice(site({ keepalive: 'unknown' }), machine)).toMatchObject({ seconds: null, text: 'unknown', rating: 'unknown' });
    const c = timeToNotice(site({ keepalive: 'conditional', tuningValues: { idleSeconds: 30, intervalSeconds: 5, count: 2 } }), machine);
    expect(c).toMatchObject({ seconds: 40, onlyWhenEnabled: true });
    expect(c.recommendation).toMatch(/only on when configured/);
  });
});

describe('coverage', () => {
  const sites = [
    site({ file: 'a.c', keepalive: 'yes' }),
    site({ file: 'src/net/b.c', keepalive: 'no' }),
    site({ file: 'src/net/b.c', line: 20, keepalive: 'conditional', tcp: 'maybe' }),
    site({ file: 'src/ipc.c', tcp: 'no', keepalive: 'n/a' }),
  ];
  it('counts TCP sites with keepalive over all TCP sites', () => {
    const c = coverageOf(sites);
    expect(c).toMatchObject({ sites: 4, tcpSites: 3, flagged: 1, fixable: 1 });
    expect(c.ratio).toBeCloseTo(1 / 3);
    expect(formatRatio(c.ratio)).toBe('33 %');
    expect(formatRatio(coverageOf([site({ tcp: 'no', keepalive: 'n/a' })]).ratio)).toBe('–');
  });
  it('rolls directories up to the root', () => {
    expect(ancestorDirectories('src/net/b.c')).toEqual(['.', 'src', 'src/net']);
    const dirs = coverageByDirectory(sites);
    expect(dirs.map((d) => d.directory)).toEqual(['.', 'src', 'src/net']);
    expect(dirs.find((d) => d.directory === 'src')).toMatchObject({ sites: 3, tcpSites: 2, flagged: 1 });
    expect(dirs.find((d) => d.directory === '.')!.sites).toBe(4);
  });
});

describe('the audit report', () => {
  it('sorts sites, makes fix paths relative, and summarises', () => {
    const root = '/proj';
    const report = buildAuditReport({
      rootDir: root,
      filesScanned: 7,
      machine,
      problems: [{ file: 'bad.c', kind: 'unreadable', message: 'bad.c: permission denied' }],
      sites: [
        site({ file: 'z.c', fix: { description: 'set SO_KEEPALIVE', path: '/proj/lib/z.c', unit: 'byte', edits: [{ start: 1, end: 1, text: 'x' }] } }),
        site({ file: 'a.c', keepalive: 'yes', tuningValues: { idleSeconds: 60, intervalSeconds: 10, count: 3 } }),
      ],
    });
    expect(report.version).toBe(1);
    expect(report.root).toBe('.');
    expect(report.sites.map((s) => s.file)).toEqual(['a.c', 'z.c']);
    expect(report.sites[1]!.fix!.path).toBe('lib/z.c');
    expect(report.summary).toMatchObject({ filesScanned: 7, sites: 2, flagged: 1, fixable: 1, problems: 1 });
    expect(report.summary.keepalive).toEqual({ yes: 1, conditional: 0, no: 1, unknown: 0, 'n/a': 0 });
    expect(report.summary.timeToNotice.sites.map((n) => n.seconds)).toEqual([90, null]);
    expect(report.summary.timeToNotice.machine.text).toBe('2 h 11 min 15 s');
    expect(report.summary.recommendation).toMatch(/^1 of 2 TCP sites has no keepalive/);
  });
  it('says so when all is well, and when nothing was found', () => {
    const ok = buildAuditReport({ rootDir: '/p', filesScanned: 1, machine, problems: [], sites: [site({ keepalive: 'yes', tuningValues: { idleSeconds: 100 } })] });
    expect(ok.summary.recommendation).toMatch(/^Every TCP site has keepalive/);
    const none = buildAuditReport({ rootDir: '/p', filesScanned: 0, machine, problems: [], sites: [] });
    expect(none.summary.recommendation).toBe('No socket creation site found.');
    expect(none.summary.coverage.project.ratio).toBeNull();
  });
});
