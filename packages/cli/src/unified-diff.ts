import { createTwoFilesPatch } from 'diff';
import type { Colors } from './colors.js';

/** A `git apply`-able unified diff of one planned rewrite, with `a/` and `b/` prefixes. */
export function unifiedDiff(displayPath: string, before: Buffer, after: Buffer): string {
  const patch = createTwoFilesPatch(`a/${displayPath}`, `b/${displayPath}`, decode(before), decode(after), undefined, undefined, { context: 3 });
  // jsdiff starts with a row of '=' (a leftover of svn-style patches): git-style patches start at '---'.
  return patch.replace(/^=+\n/, '');
}

/** UTF-8 when the bytes are UTF-8; else latin1, which maps every byte to one character so nothing is lost in the diff. */
export function decode(bytes: Buffer): string {
  const text = bytes.toString('utf8');
  return Buffer.from(text, 'utf8').equals(bytes) ? text : bytes.toString('latin1');
}

export function colorizeDiff(patch: string, c: Colors): string {
  return patch
    .split('\n')
    .map((line) => {
      if (line.startsWith('+++') || line.startsWith('---')) return c.bold(line);
      if (line.startsWith('@@')) return c.cyan(line);
      if (line.startsWith('+')) return c.green(line);
      if (line.startsWith('-')) return c.red(line);
      return line;
    })
    .join('\n');
}
