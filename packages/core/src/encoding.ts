/**
 * Source text encodings, byte order marks and line endings.
 *
 * A codemod must give back every byte it did not mean to change. The C engine works on raw bytes
 * and never decodes; the TS engine needs text, so it decodes with {@link decodeSource} and encodes
 * the rewrite with {@link encodeSource}, which restores the BOM and the encoding. Files that are not
 * valid UTF-8 (Latin-1 comments, stray bytes) are decoded as Latin-1, which maps each byte to one
 * character and back, so untouched bytes survive a rewrite exactly; the characters ka-codemod
 * inserts are ASCII, identical in both encodings.
 */
import { isUtf8 } from 'node:buffer';

export type SourceEncoding = 'utf8' | 'utf16le' | 'utf16be' | 'latin1';
export type Eol = '\n' | '\r\n';

export interface DecodedSource {
  /** The text without its BOM. */
  text: string;
  encoding: SourceEncoding;
  /** The file started with a byte order mark (always true for the UTF-16 encodings). */
  bom: boolean;
  /** The line ending most of the file uses; new lines an engine inserts should use it. */
  eol: Eol;
}

const UTF8_BOM = Buffer.from([0xef, 0xbb, 0xbf]);

/** The encoding a byte order mark at the start of `head` announces, or null. */
export function detectBom(head: Uint8Array): 'utf8' | 'utf16le' | 'utf16be' | null {
  if (head.length >= 3 && head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf) return 'utf8';
  if (head.length >= 2 && head[0] === 0xff && head[1] === 0xfe) return 'utf16le';
  if (head.length >= 2 && head[0] === 0xfe && head[1] === 0xff) return 'utf16be';
  return null;
}

/**
 * Git's and grep's test for binary content: a NUL byte in the first block. UTF-16 text is full of
 * NUL bytes, so a UTF-16 BOM makes a file text.
 */
export function looksBinary(head: Uint8Array): boolean {
  const bom = detectBom(head);
  if (bom === 'utf16le' || bom === 'utf16be') return false;
  return head.indexOf(0) !== -1;
}

/** The majority line ending; LF when the text has none or as many LF as CRLF lines. */
export function detectEol(text: string | Uint8Array): Eol {
  let lf = 0;
  let crlf = 0;
  if (typeof text === 'string') {
    for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) {
      if (i > 0 && text.charCodeAt(i - 1) === 13) crlf++;
      else lf++;
    }
  } else {
    for (let i = text.indexOf(10); i !== -1; i = text.indexOf(10, i + 1)) {
      if (i > 0 && text[i - 1] === 13) crlf++;
      else lf++;
    }
  }
  return crlf > lf ? '\r\n' : '\n';
}

function swapBytes(content: Uint8Array): Buffer {
  const copy = Buffer.from(content);
  return copy.swap16();
}

/** Decodes a source file losslessly: `encodeSource(decodeSource(b))` equals `b` for every buffer. */
export function decodeSource(content: Buffer): DecodedSource {
  const bom = detectBom(content);
  if ((bom === 'utf16le' || bom === 'utf16be') && content.length % 2 === 0) {
    const body = content.subarray(2);
    const text = bom === 'utf16le' ? body.toString('utf16le') : swapBytes(body).toString('utf16le');
    const decoded: DecodedSource = { text, encoding: bom, bom: true, eol: detectEol(text) };
    // Lone surrogates do not survive the round trip; such a file is kept byte for byte as Latin-1.
    if (encodeSource(text, decoded).equals(content)) return decoded;
  }
  if (isUtf8(content)) {
    const hasBom = bom === 'utf8';
    const text = content.subarray(hasBom ? 3 : 0).toString('utf8');
    return { text, encoding: 'utf8', bom: hasBom, eol: detectEol(text) };
  }
  const text = content.toString('latin1');
  return { text, encoding: 'latin1', bom: false, eol: detectEol(text) };
}

/** Thrown when a rewrite inserted characters the file's encoding cannot hold (non-Latin-1 text into a Latin-1 file). */
export class UnencodableTextError extends Error {
  constructor(encoding: SourceEncoding) {
    super(`the rewritten text has characters that ${encoding} cannot hold`);
    this.name = 'UnencodableTextError';
  }
}

/** Encodes text back the way {@link decodeSource} found it: same encoding, same BOM. */
export function encodeSource(text: string, like: Pick<DecodedSource, 'encoding' | 'bom'>): Buffer {
  switch (like.encoding) {
    case 'utf8': {
      const body = Buffer.from(text, 'utf8');
      return like.bom ? Buffer.concat([UTF8_BOM, body]) : body;
    }
    case 'utf16le':
      return Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]);
    case 'utf16be':
      return Buffer.concat([Buffer.from([0xfe, 0xff]), swapBytes(Buffer.from(text, 'utf16le'))]);
    case 'latin1':
      // Buffer's latin1 encoder silently keeps only the low byte of wider characters: refuse instead.
      for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) > 0xff) throw new UnencodableTextError('latin1');
      return Buffer.from(text, 'latin1');
  }
}
