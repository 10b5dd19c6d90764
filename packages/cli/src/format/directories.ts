import type { DirectoryCoverage } from '@ka-codemod/core';

function parentOf(dir: string): string {
  const slash = dir.lastIndexOf('/');
  return slash < 0 ? (dir === '.' ? '' : '.') : dir.slice(0, slash);
}

/**
 * Directories with TCP sites, each single-child chain shown once: a directory whose sites all sit
 * in its one subdirectory (weechat → weechat/weechat-3.8 → weechat/weechat-3.8/src) says nothing
 * its deepest member does not, so only that one stays.
 */
export function collapseChains<D extends Pick<DirectoryCoverage, 'directory' | 'tcpSites'>>(dirs: readonly D[]): D[] {
  const withSites = dirs.filter((d) => d.tcpSites > 0);
  const children = new Map<string, D[]>();
  for (const d of withSites) {
    const parent = parentOf(d.directory);
    children.set(parent, [...(children.get(parent) ?? []), d]);
  }
  return withSites.filter((d) => {
    const kids = children.get(d.directory) ?? [];
    return !(kids.length === 1 && kids[0]!.tcpSites === d.tcpSites);
  });
}
