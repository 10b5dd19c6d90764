import type { Site } from '@ka-codemod/core';
import type { ResolvedOptions } from './rule-options.js';

/** Did the user opt this site out through `ignoreCalls` / `ignoreFunctions`? */
export function isIgnoredSite(
  site: Pick<Site, 'call' | 'function'>,
  options: Pick<ResolvedOptions, 'ignoreCalls' | 'ignoreFunctions'>,
): boolean {
  if (options.ignoreCalls.has(site.call)) return true;
  const fn = site.function;
  return fn !== null && options.ignoreFunctions.some((re) => re.test(fn));
}
