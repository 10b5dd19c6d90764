import path from 'node:path';
import type { FileProblem, KeepaliveVerdict, Site, TcpClass } from '../site.js';
import { isFlagged, isUnknown, KEEPALIVE_VERDICTS } from '../site.js';
import { relativePath } from '../source-file.js';
import { compareText, coverageByDirectory, coverageByFile, coverageOf, type Coverage, type DirectoryCoverage, type FileCoverage } from './coverage.js';
import { formatDuration } from './duration.js';
import { MIDDLEBOXES, STRICTEST_MIDDLEBOX_SECONDS, strictestMiddleboxes, type Middlebox } from './middleboxes.js';
import { noticeSeconds, timeToNotice, type TimeToNotice } from './time-to-notice.js';
import type { MachineTimers } from './timers.js';

export interface SiteNotice extends TimeToNotice {
  file: string;
  line: number;
  column: number;
}

export interface AuditSummary {
  filesScanned: number;
  sites: number;
  tcp: Record<TcpClass, number>;
  keepalive: Record<KeepaliveVerdict, number>;
  /** TCP sites without keepalive. */
  flagged: number;
  fixable: number;
  /** Files skipped or only partly analysed. */
  problems: number;
  coverage: { project: Coverage; directories: DirectoryCoverage[]; files: FileCoverage[] };
  timeToNotice: {
    /** The auditing machine's timers, used where a site sets none. */
    machine: MachineTimers & { seconds: number; text: string };
    middleboxes: readonly Middlebox[];
    /** One entry per site, in the order of `sites`. */
    sites: SiteNotice[];
    /** Sites with keepalive whose first probe comes after some middlebox drops the idle connection. */
    tooLateForMiddleboxes: number;
  };
  /** Plain words for the whole project. */
  recommendation: string;
}

/** The audit as data: `ka-codemod audit --format json` prints exactly this; every other format renders it. */
export interface AuditReport {
  version: 1;
  root: string;
  sites: Site[];
  summary: AuditSummary;
  problems: FileProblem[];
}

export interface AuditReportInput {
  /** Absolute directory that site paths are relative to; used to make fix paths relative too. */
  rootDir: string;
  sites: readonly Site[];
  problems: readonly FileProblem[];
  filesScanned: number;
  machine: MachineTimers;
}

export function compareSites(a: Site, b: Site): number {
  return compareText(a.file, b.file) || a.line - b.line || a.column - b.column || compareText(a.call, b.call);
}

/** A site as the report shows it: the fix's file relative to the root, like the site's own path. */
function portableSite(site: Site, rootDir: string): Site {
  if (!site.fix || !path.isAbsolute(site.fix.path)) return site;
  return { ...site, fix: { ...site.fix, path: relativePath(rootDir, site.fix.path) } };
}

function countBy<K extends string>(sites: readonly Site[], keys: readonly K[], of: (s: Site) => K): Record<K, number> {
  const out = Object.fromEntries(keys.map((k) => [k, 0])) as Record<K, number>;
  for (const s of sites) out[of(s)]++;
  return out;
}

export function projectRecommendation(sites: readonly Site[], notices: readonly TimeToNotice[]): string {
  const tcp = sites.filter((s) => s.tcp !== 'no' && s.keepalive !== 'n/a');
  if (tcp.length === 0) return sites.length === 0 ? 'No socket creation site found.' : 'No TCP socket found: keepalive does not apply.';
  const flagged = sites.filter(isFlagged).length;
  const conditional = notices.filter((n) => n.onlyWhenEnabled).length;
  const late = notices.filter((n) => n.rating === 'too-late-for-middleboxes').length;
  const out: string[] = [];
  const sites_ = (n: number) => `${n} TCP site${n === 1 ? '' : 's'}`;
  if (flagged > 0) {
    out.push(
      `${flagged} of ${sites_(tcp.length)} ${flagged === 1 ? 'has' : 'have'} no keepalive, so a dead peer is never noticed by TCP there: run \`ka-codemod fix --dry-run\` to see the rewrite, then \`ka-codemod fix\`.`,
    );
  }
  const unknown = sites.filter(isUnknown).length;
  if (unknown > 0) out.push(`${sites_(unknown)} ${unknown === 1 ? 'goes' : 'go'} where ka-codemod cannot follow: check by hand that keepalive is set there.`);
  if (conditional > 0) out.push(`${sites_(conditional)} ${conditional === 1 ? 'gets' : 'get'} keepalive only when configured so: make sure the option is on in production.`);
  if (late > 0) {
    out.push(
      `${sites_(late)} with keepalive ${late === 1 ? 'sends its' : 'send their'} first probe only after common load balancers drop an idle connection (${strictestMiddleboxes(2)}): set the idle time below ${formatDuration(STRICTEST_MIDDLEBOX_SECONDS)} (for example --idle 120 --interval 30 --count 4).`,
    );
  }
  if (out.length === 0) out.push('Every TCP site has keepalive, probing before common load balancers drop an idle connection.');
  return out.join(' ');
}

export function buildAuditReport(input: AuditReportInput): AuditReport {
  const sites = [...input.sites].sort(compareSites).map((s) => portableSite(s, input.rootDir));
  const notices = sites.map((s) => timeToNotice(s, input.machine));
  const machineSeconds = noticeSeconds(input.machine);
  return {
    version: 1,
    root: '.',
    sites,
    summary: {
      filesScanned: input.filesScanned,
      sites: sites.length,
      tcp: countBy(sites, ['yes', 'maybe', 'no'] as const, (s) => s.tcp),
      keepalive: countBy(sites, KEEPALIVE_VERDICTS, (s) => s.keepalive),
      flagged: sites.filter(isFlagged).length,
      fixable: sites.filter((s) => isFlagged(s) && s.fixable).length,
      problems: input.problems.length,
      coverage: { project: coverageOf(sites), directories: coverageByDirectory(sites), files: coverageByFile(sites) },
      timeToNotice: {
        machine: { ...input.machine, seconds: machineSeconds, text: formatDuration(machineSeconds) },
        middleboxes: MIDDLEBOXES,
        sites: notices.map((n, i) => ({ file: sites[i]!.file, line: sites[i]!.line, column: sites[i]!.column, ...n })),
        tooLateForMiddleboxes: notices.filter((n) => n.rating === 'too-late-for-middleboxes').length,
      },
      recommendation: projectRecommendation(sites, notices),
    },
    problems: [...input.problems].sort((a, b) => compareText(a.file, b.file)),
  };
}
