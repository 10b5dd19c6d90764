import type { KeepaliveVerdict, Site } from '../site.js';
import { isFlagged } from '../site.js';

/** Keepalive coverage of a set of sites: TCP sites with keepalive / all TCP sites. */
export interface Coverage {
  sites: number;
  /** Sites that are or may be TCP (`tcp` yes or maybe): the denominator. */
  tcpSites: number;
  keepalive: Record<KeepaliveVerdict, number>;
  /** TCP sites lacking keepalive (isFlagged). */
  flagged: number;
  fixable: number;
  /** keepalive yes / tcpSites, 0..1; null when there is no TCP site. */
  ratio: number | null;
}

export interface DirectoryCoverage extends Coverage {
  /** `/`-separated, relative to the audit root; `.` is the root. Counts include subdirectories. */
  directory: string;
}

export interface FileCoverage extends Coverage {
  file: string;
}

export function isTcpSite(site: Pick<Site, 'tcp'>): boolean {
  return site.tcp === 'yes' || site.tcp === 'maybe';
}

export function emptyCoverage(): Coverage {
  return { sites: 0, tcpSites: 0, keepalive: { yes: 0, conditional: 0, no: 0, unknown: 0, 'n/a': 0 }, flagged: 0, fixable: 0, ratio: null };
}

function add(c: Coverage, site: Site): void {
  c.sites++;
  c.keepalive[site.keepalive]++;
  if (isTcpSite(site)) c.tcpSites++;
  if (isFlagged(site)) {
    c.flagged++;
    if (site.fixable) c.fixable++;
  }
}

function finish<T extends Coverage>(c: T): T {
  // Only TCP sites count: a `yes` on a site that is not TCP cannot happen by contract, but guard the ratio anyway.
  const covered = Math.min(c.keepalive.yes, c.tcpSites);
  c.ratio = c.tcpSites === 0 ? null : covered / c.tcpSites;
  return c;
}

export function coverageOf(sites: readonly Site[]): Coverage {
  const c = emptyCoverage();
  for (const s of sites) add(c, s);
  return finish(c);
}

/** Every directory holding a site, and each of its ancestors up to `.`. */
export function ancestorDirectories(file: string): string[] {
  const parts = file.split('/').slice(0, -1);
  const dirs = ['.'];
  for (let i = 1; i <= parts.length; i++) dirs.push(parts.slice(0, i).join('/'));
  return dirs;
}

export function coverageByDirectory(sites: readonly Site[]): DirectoryCoverage[] {
  const byDir = new Map<string, DirectoryCoverage>();
  for (const s of sites) {
    for (const directory of ancestorDirectories(s.file)) {
      let c = byDir.get(directory);
      if (!c) byDir.set(directory, (c = { directory, ...emptyCoverage() }));
      add(c, s);
    }
  }
  return [...byDir.values()].map(finish).sort((a, b) => compareText(a.directory, b.directory));
}

export function coverageByFile(sites: readonly Site[]): FileCoverage[] {
  const byFile = new Map<string, FileCoverage>();
  for (const s of sites) {
    let c = byFile.get(s.file);
    if (!c) byFile.set(s.file, (c = { file: s.file, ...emptyCoverage() }));
    add(c, s);
  }
  return [...byFile.values()].map(finish).sort((a, b) => compareText(a.file, b.file));
}

/** Plain code-unit order: stable across locales, so reports diff cleanly. */
export function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** "75 %" or "–" when there is nothing to cover. */
export function formatRatio(ratio: number | null): string {
  return ratio === null ? '–' : `${Math.round(ratio * 100)} %`;
}

function parentDirectory(dir: string): string {
  const slash = dir.lastIndexOf('/');
  return slash < 0 ? (dir === '.' ? '' : '.') : dir.slice(0, slash);
}

/**
 * Directories with TCP sites, each single-child chain shown once: a directory whose sites all sit
 * in its one subdirectory (app → app/app-3.8 → app/app-3.8/src) says nothing
 * its deepest member does not, so only that one stays.
 */
export function collapseChains<D extends Pick<DirectoryCoverage, 'directory' | 'tcpSites'>>(dirs: readonly D[]): D[] {
  const withSites = dirs.filter((d) => d.tcpSites > 0);
  const children = new Map<string, D[]>();
  for (const d of withSites) {
    const parent = parentDirectory(d.directory);
    children.set(parent, [...(children.get(parent) ?? []), d]);
  }
  return withSites.filter((d) => {
    const kids = children.get(d.directory) ?? [];
    return !(kids.length === 1 && kids[0]!.tcpSites === d.tcpSites);
  });
}
