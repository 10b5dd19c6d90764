/**
 * Reads `strace -f -e trace=socket,connect,accept,accept4,listen,setsockopt` output and says which
 * sockets a program really had, and which of them had SO_KEEPALIVE on: directly, or through the
 * listening socket they were accepted from (Linux copies it to accepted sockets).
 */

export interface TracedSocket {
  pid: string;
  fd: number;
  family: string;
  type: string;
  tcp: boolean;
  connected: boolean;
  listening: boolean;
  keepalive: boolean;
  /** setsockopt(IPPROTO_TCP/SOL_TCP, ...) options set with their values, e.g. { TCP_KEEPIDLE: 60 }. */
  tcpOptions: Record<string, number>;
  acceptedFrom: TracedSocket | null;
  /** The syscall line that created it, for messages. */
  origin: string;
}

const LINE = /^(?:\[pid\s+)?(\d+)\]?\s+(socket|connect|accept4?|listen|setsockopt)\((.*)\)\s+=\s+(-?\d+)(?:\s+(E\w+))?/;

export function parseStrace(trace: string): TracedSocket[] {
  const all: TracedSocket[] = [];
  const open = new Map<string, TracedSocket>();
  const key = (pid: string, fd: number) => `${pid}:${fd}`;
  for (const raw of trace.split('\n')) {
    const m = LINE.exec(raw.trim());
    if (!m) continue;
    const [, pid, call, args, res, errno] = m as unknown as [string, string, string, string, string, string | undefined];
    const ret = Number(res);
    const first = Number(args.split(',')[0]);
    if (call === 'socket' && ret >= 0) {
      const [family = '', type = ''] = args.split(',').map((s) => s.trim());
      const s: TracedSocket = {
        pid, fd: ret, family, type,
        tcp: /^(AF|PF)_INET6?$/.test(family) && /\bSOCK_STREAM\b/.test(type),
        connected: false, listening: false, keepalive: false, tcpOptions: {}, acceptedFrom: null, origin: raw.trim(),
      };
      all.push(s);
      open.set(key(pid, ret), s);
    } else if (call === 'connect') {
      const s = open.get(key(pid, first));
      if (s && (ret === 0 || errno === 'EINPROGRESS')) s.connected = true;
    } else if (call === 'listen' && ret === 0) {
      const s = open.get(key(pid, first));
      if (s) s.listening = true;
    } else if ((call === 'accept' || call === 'accept4') && ret >= 0) {
      const l = open.get(key(pid, first)) ?? null;
      const s: TracedSocket = {
        pid, fd: ret, family: l?.family ?? '?', type: l?.type ?? '?', tcp: l?.tcp ?? false,
        connected: true, listening: false, keepalive: false, tcpOptions: {}, acceptedFrom: l, origin: raw.trim(),
      };
      all.push(s);
      open.set(key(pid, ret), s);
    } else if (call === 'setsockopt' && ret === 0) {
      const s = open.get(key(pid, first));
      const parts = args.split(',').map((x) => x.trim());
      const value = Number(/\[(-?\d+)\]/.exec(args)?.[1] ?? NaN);
      if (!s) continue;
      if (parts[1] === 'SOL_SOCKET' && parts[2] === 'SO_KEEPALIVE') s.keepalive = value !== 0;
      else if (parts[1] === 'SOL_TCP' || parts[1] === 'IPPROTO_TCP') s.tcpOptions[parts[2] ?? '?'] = value;
    }
  }
  return all;
}

/** Keepalive on this socket, or inherited from its listener. */
export function hasKeepalive(s: TracedSocket): boolean {
  return s.keepalive || (s.acceptedFrom?.keepalive ?? false);
}

/** The TCP options in effect on a socket (its own, else its listener's: Linux copies them on accept). */
export function effectiveTcpOptions(s: TracedSocket): Record<string, number> {
  return { ...(s.acceptedFrom?.tcpOptions ?? {}), ...s.tcpOptions };
}

export interface KeepaliveAudit {
  connectedTcp: TracedSocket[];
  missing: TracedSocket[];
  /** Non-TCP sockets that got SO_KEEPALIVE anyway (a rewrite that touched UDP/AF_UNIX). */
  wrongly: TracedSocket[];
  nonTcp: TracedSocket[];
}

export function auditTrace(trace: string): KeepaliveAudit {
  const all = parseStrace(trace);
  const connectedTcp = all.filter((s) => s.tcp && s.connected);
  return {
    connectedTcp,
    missing: connectedTcp.filter((s) => !hasKeepalive(s)),
    wrongly: all.filter((s) => !s.tcp && s.keepalive),
    nonTcp: all.filter((s) => !s.tcp),
  };
}
