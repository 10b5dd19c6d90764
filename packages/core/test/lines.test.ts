import { describe, expect, it } from 'vitest';
import { lfLineStarts, positionIn } from '@ka-codemod/core';

describe('lines of a text', () => {
  it('starts a line after every LF only', () => {
    expect(lfLineStarts('a\nbc\r\n\nd')).toEqual([0, 2, 6, 7]);
    expect(lfLineStarts('')).toEqual([0]);
  });

  it('finds the line and column of every offset', () => {
    const text = 'ab\ncde\n\nf';
    const starts = lfLineStarts(text);
    const slow = (offset: number) => {
      const before = text.slice(0, offset);
      return { line: before.split('\n').length - 1, column: offset - (before.lastIndexOf('\n') + 1) };
    };
    for (let offset = 0; offset <= text.length; offset++) expect(positionIn(starts, offset)).toEqual(slow(offset));
  });
});
