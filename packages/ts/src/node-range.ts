import { DEFAULT_MIN_NODE, type Version } from './node-api.js';

/**
 * The oldest Node version an `engines.node` range admits, e.g. ">=20.19" -> [20, 19],
 * "^18.6 || >=20" -> [18, 6]. Unreadable or missing ranges give the oldest LTS still in use (18),
 * because keepalive must work on every version the project may run on.
 */
export function minNodeVersion(range: string | undefined | null): Version {
  if (!range || typeof range !== 'string') return DEFAULT_MIN_NODE;
  let best: Version | null = null;
  for (const alternative of range.split('||')) {
    const lower = lowerBound(alternative.trim());
    if (lower === null) continue;
    if (best === null || compareVersions(lower, best) < 0) best = lower;
  }
  return best ?? DEFAULT_MIN_NODE;
}

function lowerBound(alternative: string): Version | null {
  if (alternative === '' || alternative === '*' || alternative === 'x') return null;
  // "14 - 20" (hyphen range): the left end.
  const hyphen = /^v?(\d+)(?:\.(\d+|x|\*))?(?:\.\S+)?\s+-\s+/.exec(alternative);
  if (hyphen) return [Number(hyphen[1]), numberOrZero(hyphen[2])];
  // Comparators joined by spaces: the lower bound is the first >=, >, ^, ~ or bare version.
  for (const comparator of alternative.split(/\s+/)) {
    const m = /^(>=|>|\^|~|=)?\s*v?(\d+)(?:\.(\d+|x|\*))?/.exec(comparator);
    if (!m) continue;
    const op = m[1] ?? '';
    if (op === '>') return [Number(m[2]), numberOrZero(m[3]) + (m[3] === undefined ? 0 : 1)];
    if (op === '' || op === '>=' || op === '^' || op === '~' || op === '=') return [Number(m[2]), numberOrZero(m[3])];
  }
  return null;
}

function numberOrZero(s: string | undefined): number {
  return s === undefined || s === 'x' || s === '*' ? 0 : Number(s);
}

export function compareVersions(a: Version, b: Version): number {
  return a[0] - b[0] || a[1] - b[1];
}

export function formatVersion(v: Version): string {
  return `${v[0]}.${v[1]}`;
}
