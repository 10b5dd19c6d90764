import { describe, expect, it } from 'vitest';
import { OverlappingEditsError, applyByteEdits, applyTextEdits, isFlagged, positionOf } from '@ka-codemod/core';

describe('applyByteEdits', () => {
  it('inserts at byte offsets without decoding the rest (Latin-1 bytes stay as they are)', () => {
    const latin1 = Buffer.from([0x2f, 0x2a, 0xe9, 0x2a, 0x2f, 0x0a, 0x78]); // "/*é*/\nx" in Latin-1
    const out = applyByteEdits(latin1, [{ start: 6, end: 6, text: 'y' }]);
    expect([...out]).toEqual([0x2f, 0x2a, 0xe9, 0x2a, 0x2f, 0x0a, 0x79, 0x78]);
  });

  it('refuses overlapping edits', () => {
    expect(() => applyByteEdits(Buffer.from('abcdef'), [{ start: 0, end: 3, text: '' }, { start: 2, end: 4, text: '' }])).toThrow(
      OverlappingEditsError,
    );
  });
});

describe('applyTextEdits', () => {
  it('keeps the order of insertions at one offset', () => {
    expect(applyTextEdits('ac', [{ start: 1, end: 1, text: 'b' }, { start: 1, end: 1, text: 'B' }])).toBe('abBc');
  });
});

describe('positionOf', () => {
  it('is 1-based and counts CRLF lines once', () => {
    expect(positionOf('a\r\nbc', 4)).toEqual({ line: 2, column: 2 });
  });
});

describe('isFlagged', () => {
  it('flags TCP or maybe-TCP sites without keepalive only', () => {
    expect(isFlagged({ tcp: 'maybe', keepalive: 'no' })).toBe(true);
    expect(isFlagged({ tcp: 'yes', keepalive: 'conditional' })).toBe(false);
    expect(isFlagged({ tcp: 'no', keepalive: 'n/a' })).toBe(false);
  });
});
