import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { UnencodableTextError, decodeSource, detectBom, detectEol, encodeSource, looksBinary } from '@ka-codemod/core';

describe('decodeSource / encodeSource', () => {
  it('round-trips every byte sequence exactly (property)', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), (bytes) => {
        const buf = Buffer.from(bytes);
        expect(encodeSource(decodeSource(buf).text, decodeSource(buf)).equals(buf)).toBe(true);
      }),
      { numRuns: 300, seed: 7 },
    );
  });

  it('round-trips BOM-prefixed and UTF-16 inputs exactly (property)', () => {
    const prefixes = [[0xef, 0xbb, 0xbf], [0xff, 0xfe], [0xfe, 0xff]];
    fc.assert(
      fc.property(fc.constantFrom(...prefixes), fc.uint8Array({ maxLength: 200 }), (prefix, bytes) => {
        const buf = Buffer.from([...prefix, ...bytes]);
        const decoded = decodeSource(buf);
        expect(encodeSource(decoded.text, decoded).equals(buf)).toBe(true);
      }),
      { numRuns: 300, seed: 11 },
    );
  });

  it('strips a UTF-8 BOM from the text and puts it back', () => {
    const decoded = decodeSource(Buffer.from('\uFEFFconst x = 1;\n', 'utf8'));
    expect(decoded).toMatchObject({ text: 'const x = 1;\n', encoding: 'utf8', bom: true });
    expect(encodeSource(decoded.text + 'y;\n', decoded).subarray(0, 3)).toEqual(Buffer.from([0xef, 0xbb, 0xbf]));
  });

  it('decodes UTF-16LE with BOM as text', () => {
    const buf = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('net.connect(1);\r\n', 'utf16le')]);
    expect(decodeSource(buf)).toMatchObject({ text: 'net.connect(1);\r\n', encoding: 'utf16le', bom: true, eol: '\r\n' });
  });

  it('decodes UTF-16BE with BOM as text', () => {
    const le = Buffer.from('ab', 'utf16le');
    const buf = Buffer.concat([Buffer.from([0xfe, 0xff]), Buffer.from(le).swap16()]);
    expect(decodeSource(buf)).toMatchObject({ text: 'ab', encoding: 'utf16be' });
  });

  it('falls back to Latin-1 for invalid UTF-8, so inserted ASCII keeps every other byte', () => {
    const buf = Buffer.from([0x2f, 0x2f, 0x20, 0xe9, 0x0a, 0x78, 0x3b, 0x0a]); // "// é\nx;\n" in Latin-1
    const decoded = decodeSource(buf);
    expect(decoded.encoding).toBe('latin1');
    const out = encodeSource(decoded.text.replace('x;', 'x; y;'), decoded);
    expect([...out]).toEqual([0x2f, 0x2f, 0x20, 0xe9, 0x0a, 0x78, 0x3b, 0x20, 0x79, 0x3b, 0x0a]);
  });

  it('refuses to encode characters a Latin-1 file cannot hold instead of truncating them', () => {
    const decoded = decodeSource(Buffer.from([0xe9]));
    expect(() => encodeSource('\u2603', decoded)).toThrow(UnencodableTextError);
  });
});

describe('detectBom', () => {
  it('names the three byte order marks and nothing else', () => {
    expect(detectBom(Buffer.from([0xef, 0xbb, 0xbf, 0x41]))).toBe('utf8');
    expect(detectBom(Buffer.from([0xff, 0xfe]))).toBe('utf16le');
    expect(detectBom(Buffer.from([0xfe, 0xff]))).toBe('utf16be');
    expect(detectBom(Buffer.from('int x;'))).toBeNull();
    expect(detectBom(Buffer.alloc(0))).toBeNull();
  });
});

describe('looksBinary', () => {
  it('is true for a NUL byte, false for text and for UTF-16 text', () => {
    expect(looksBinary(Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0x02, 0x01, 0x00]))).toBe(true);
    expect(looksBinary(Buffer.from('int main(void) { return 0; }\n'))).toBe(false);
    expect(looksBinary(Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('x', 'utf16le')]))).toBe(false);
    expect(looksBinary(Buffer.alloc(0))).toBe(false);
  });
});

describe('detectEol', () => {
  it('picks the majority, LF on ties and when there is none', () => {
    expect(detectEol('a\r\nb\r\nc\n')).toBe('\r\n');
    expect(detectEol('a\r\nb\n')).toBe('\n');
    expect(detectEol('abc')).toBe('\n');
    expect(detectEol(Buffer.from('a\r\nb\r\n'))).toBe('\r\n');
  });
});
