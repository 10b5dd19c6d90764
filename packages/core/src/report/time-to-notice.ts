import type { Site } from '../site.js';
import { formatDuration } from './duration.js';
import { middleboxesDroppingBeforeFirstProbe, STRICTEST_MIDDLEBOX_SECONDS, strictestMiddleboxes, type Middlebox } from './middleboxes.js';
import type { KeepaliveTimers } from './timers.js';

/**
 * Where one effective timer value comes from. `run-time`: the site sets it, but to a value not
 * known statically (a variable, a configuration), so the machine's (or Node's) value is assumed.
 */
export type TimerSource = 'site' | 'machine' | 'node' | 'run-time';

/** Which tuning options set which timer. */
const IDLE_OPTIONS = ['TCP_KEEPIDLE', 'TCP_KEEPALIVE', 'keepAliveInitialDelay'] as const;

/**
 * Node's setKeepAlive also sets TCP_KEEPINTVL=1 and TCP_KEEPCNT=10 (since v12.17 / v13.12, FACTS.md),
 * so a TS/JS socket with keepalive notices a dead peer about delay + 10 s after going quiet.
 */
export const NODE_KEEPALIVE_TIMERS = { intervalSeconds: 1, probes: 10 } as const;

/** Example tuning we recommend: first probe after 2 min, dead peer noticed after 4 min — inside every listed middlebox. */
export const RECOMMENDED_TIMERS: Readonly<KeepaliveTimers> = { idleSeconds: 120, intervalSeconds: 30, probes: 4 };

export type NoticeRating = 'never' | 'too-late-for-middleboxes' | 'ok' | 'unknown' | 'not-tcp';

export interface TimeToNotice {
  /** Seconds from the last data until a dead peer is noticed; null when it never is (no keepalive) or not TCP. */
  seconds: number | null;
  /** "2 h 11 min 15 s", or "never" / "n/a". */
  text: string;
  /** Effective timers, when keepalive is (or may be) on. */
  timers?: KeepaliveTimers & { userTimeoutMs?: number };
  from?: { idle: TimerSource; interval: TimerSource; probes: TimerSource };
  /** Keepalive is only on under a configuration flag: the figure holds when it is. */
  onlyWhenEnabled: boolean;
  /** Middleboxes that drop the idle connection before the first probe. */
  droppedBy: string[];
  rating: NoticeRating;
  /** Plain words: what to do about this site. */
  recommendation: string;
}

/**
 * Linux closes a probed connection once TCP_USER_TIMEOUT has elapsed since the last data and at
 * least one probe went unanswered (tcp_keepalive_timer), checking at each probe: that replaces
 * the probe count.
 */
export function noticeSeconds(timers: KeepaliveTimers, userTimeoutMs?: number): number {
  const { idleSeconds: idle, intervalSeconds: intvl, probes } = timers;
  if (userTimeoutMs === undefined || userTimeoutMs <= 0) return idle + intvl * probes;
  const userTimeout = userTimeoutMs / 1000;
  const step = Math.max(intvl, 1);
  const probesNeeded = Math.max(1, Math.ceil((userTimeout - idle) / step));
  return idle + intvl * probesNeeded;
}

function effectiveTimers(site: Site, machine: KeepaliveTimers): { timers: KeepaliveTimers; from: NonNullable<TimeToNotice['from']> } {
  const v = site.tuningValues ?? {};
  const node = site.language === 'ts';
  const sets = (options: readonly string[]) => site.tuning.some((t) => options.includes(t));
  // Node turns a delay below 1 s into 0, which means "the OS default": only a positive idle counts.
  const idle = v.idleSeconds !== undefined && v.idleSeconds > 0 ? v.idleSeconds : undefined;
  const fallback = (known: boolean, setHere: boolean, nodeValue: boolean): TimerSource =>
    known ? 'site' : setHere ? 'run-time' : nodeValue ? 'node' : 'machine';
  return {
    timers: {
      idleSeconds: idle ?? machine.idleSeconds,
      intervalSeconds: v.intervalSeconds ?? (node ? NODE_KEEPALIVE_TIMERS.intervalSeconds : machine.intervalSeconds),
      probes: v.count ?? (node ? NODE_KEEPALIVE_TIMERS.probes : machine.probes),
    },
    from: {
      idle: fallback(idle !== undefined, v.idleSeconds === undefined && sets(IDLE_OPTIONS), false),
      interval: fallback(v.intervalSeconds !== undefined, sets(['TCP_KEEPINTVL']), node),
      probes: fallback(v.count !== undefined, sets(['TCP_KEEPCNT']), node),
    },
  };
}

const RECOMMENDED_FLAGS = `--idle ${RECOMMENDED_TIMERS.idleSeconds} --interval ${RECOMMENDED_TIMERS.intervalSeconds} --count ${RECOMMENDED_TIMERS.probes}`;

function names(boxes: readonly Middlebox[]): string {
  return boxes.map((m) => `${m.name} (${m.stated})`).join(', ');
}

/** Time to notice a dead peer at one site, from its own tuning or else the auditing machine's timers. */
export function timeToNotice(site: Site, machine: KeepaliveTimers): TimeToNotice {
  if (site.tcp === 'no' || site.keepalive === 'n/a') {
    return { seconds: null, text: 'n/a', onlyWhenEnabled: false, droppedBy: [], rating: 'not-tcp', recommendation: 'Not TCP: keepalive does not apply.' };
  }
  if (site.keepalive === 'unknown') {
    return {
      seconds: null,
      text: 'unknown',
      onlyWhenEnabled: false,
      droppedBy: [],
      rating: 'unknown',
      recommendation: 'The socket goes where ka-codemod cannot follow it (see how): check there that keepalive is set, or set it at this site.',
    };
  }
  if (site.keepalive === 'no') {
    return {
      seconds: null,
      text: 'never',
      onlyWhenEnabled: false,
      droppedBy: [],
      rating: 'never',
      recommendation:
        `Enable keepalive: without it a dead peer is never noticed by TCP, and an idle connection through a load balancer is dropped silently (${strictestMiddleboxes(1)}). ` +
        `Run ka-codemod fix, with e.g. ${RECOMMENDED_FLAGS} to notice a dead peer within ${formatDuration(noticeSeconds(RECOMMENDED_TIMERS))}.`,
    };
  }
  const { timers, from } = effectiveTimers(site, machine);
  const userTimeoutMs = site.tuningValues?.userTimeoutMs;
  const seconds = noticeSeconds(timers, userTimeoutMs);
  const dropping = middleboxesDroppingBeforeFirstProbe(timers.idleSeconds);
  const onlyWhenEnabled = site.keepalive === 'conditional';
  const prefix = onlyWhenEnabled ? 'Keepalive is only on when configured so; make sure it is in production. When on: ' : '';
  const idleWhere = from.idle === 'site' ? 'set at this site' : from.idle === 'run-time' ? `set at run time; the machine's value is assumed` : `the machine's tcp_keepalive_time`;
  const runTime = (['idle', 'interval', 'probes'] as const).filter((k) => from[k] === 'run-time');
  const timerNames = { idle: 'idle time', interval: 'probe interval', probes: 'probe count' };
  const caveat = runTime.length ? ` (The ${runTime.map((k) => timerNames[k]).join(' and ')} ${runTime.length === 1 ? 'is' : 'are'} set at run time: the figure assumes the system's value.)` : '';
  const recommendation =
    dropping.length > 0
      ? `${prefix}the first probe comes after ${formatDuration(timers.idleSeconds)} (${idleWhere}), so ${names(dropping)} drop an idle connection first and a dead peer takes ${formatDuration(seconds)} to notice; ` +
        `set the idle time below ${formatDuration(STRICTEST_MIDDLEBOX_SECONDS)}, e.g. ${RECOMMENDED_FLAGS}.`
      : `${prefix}fine: the first probe comes after ${formatDuration(timers.idleSeconds)}, before any listed load balancer drops an idle connection, and a dead peer is noticed after ${formatDuration(seconds)}.`;
  return {
    seconds,
    text: formatDuration(seconds),
    timers: userTimeoutMs !== undefined ? { ...timers, userTimeoutMs } : timers,
    from,
    onlyWhenEnabled,
    droppedBy: dropping.map((m) => m.name),
    rating: dropping.length > 0 ? 'too-late-for-middleboxes' : 'ok',
    recommendation: recommendation + caveat,
  };
}
