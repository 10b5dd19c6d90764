import pc from 'picocolors';
import type { OutStream } from './io.js';

export type Colors = ReturnType<typeof pc.createColors>;

/**
 * Color only for people: a TTY, unless NO_COLOR (https://no-color.org: any non-empty value) or
 * --no-color says otherwise; FORCE_COLOR (non-empty, not "0") forces it, e.g. for CI logs that render ANSI.
 */
export function colorEnabled(stream: OutStream, env: Record<string, string | undefined>, flag: boolean): boolean {
  if (!flag) return false;
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return false;
  if (env.FORCE_COLOR !== undefined && env.FORCE_COLOR !== '' && env.FORCE_COLOR !== '0') return true;
  return stream.isTTY === true;
}

export function colorsFor(enabled: boolean): Colors {
  return pc.createColors(enabled);
}
