import { readFileSync } from 'node:fs';
import path from 'node:path';

/**
 * The three keepalive timers of TCP Keepalive HOWTO §3: how long a connection may stay idle
 * before the first probe, the gap between probes, and how many unanswered probes kill it.
 */
export interface KeepaliveTimers {
  idleSeconds: number;
  intervalSeconds: number;
  probes: number;
}

/** Where a machine's timers came from: its /proc, or Linux's compiled-in defaults when /proc was unreadable. */
export interface MachineTimers extends KeepaliveTimers {
  source: 'proc' | 'linux-defaults';
}

/** Linux's defaults (net/ipv4/tcp_keepalive_{time,intvl,probes}): a dead peer is noticed after 2 h 11 min 15 s. */
export const LINUX_DEFAULT_TIMERS: Readonly<KeepaliveTimers> = { idleSeconds: 7200, intervalSeconds: 75, probes: 9 };

export const PROC_KEEPALIVE_DIR = '/proc/sys/net/ipv4';

/** Parses one /proc/sys value: a single non-negative integer, surrounding whitespace allowed. */
export function parseProcInteger(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const trimmed = text.trim();
  return /^\d+$/.test(trimmed) ? Number(trimmed) : undefined;
}

/** Timers from the texts of tcp_keepalive_time / _intvl / _probes; any value missing or malformed falls back to all defaults. */
export function timersFromProcTexts(texts: { time?: string; intvl?: string; probes?: string }): MachineTimers {
  const idleSeconds = parseProcInteger(texts.time);
  const intervalSeconds = parseProcInteger(texts.intvl);
  const probes = parseProcInteger(texts.probes);
  if (idleSeconds === undefined || intervalSeconds === undefined || probes === undefined) {
    return { ...LINUX_DEFAULT_TIMERS, source: 'linux-defaults' };
  }
  return { idleSeconds, intervalSeconds, probes, source: 'proc' };
}

/**
 * The auditing machine's timers (HOWTO §3). Reading /proc is the only I/O in the report model;
 * faces call it once and pass the result in, so report building stays pure.
 */
export function readMachineTimers(dir: string = PROC_KEEPALIVE_DIR): MachineTimers {
  const read = (name: string): string | undefined => {
    try {
      return readFileSync(path.join(dir, name), 'utf8');
    } catch {
      return undefined;
    }
  };
  return timersFromProcTexts({
    time: read('tcp_keepalive_time'),
    intvl: read('tcp_keepalive_intvl'),
    probes: read('tcp_keepalive_probes'),
  });
}
