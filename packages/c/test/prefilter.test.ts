import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ByteWord } from '../src/scan/bytes.js';
import { callsAny, callsAnyIn, findCallIn, mentionsIn } from '../src/scan/prefilter.js';
import { startsDefinition } from '../src/analyze.js';

const bytes = (text: string) => Buffer.from(text, 'latin1');

describe('text prefilter', () => {
  it('finds calls, not words in prose or longer identifiers', () => {
    for (const callsIn of [(t: string, n: string[]) => callsAnyIn(bytes(t), n), callsAny]) {
      expect(callsIn('int x = socket (AF_INET, SOCK_STREAM, 0);', ['socket'])).toBe(true);
      expect(callsIn('/* we accept patches */ int accepted(void);', ['accept'])).toBe(false);
      expect(callsIn('fd = my_socket(1); x = sockets(2);', ['socket'])).toBe(false);
      expect(callsIn('c = accept4\n(fd, 0, 0, 0);', ['accept', 'accept4'])).toBe(true);
      expect(callsIn('x = caf\u00e9socket(1);', ['socket'])).toBe(false);
    }
    expect(findCallIn(bytes('a(); b(); a ();'), 'a', 1)).toBe(10);
  });

  it('sees a name with word boundaries', () => {
    expect(mentionsIn(bytes('{ "SO_KEEPALIVE", SOL_SOCKET, SO_KEEPALIVE }'), 'SO_KEEPALIVE')).toBe(true);
    expect(mentionsIn(bytes('MY_SO_KEEPALIVE_X'), 'SO_KEEPALIVE')).toBe(false);
    expect(mentionsIn(bytes('SO_KEEPALIVE'), 'SO_KEEPALIVE')).toBe(true);
  });

  it('says the same on bytes (one search per name) as the regex pass over the decoded text', () => {
    const names = ['socket', 'accept', 'accept4', 'setsockopt', 'dup2', 'sock', 'a'];
    // text made of the names, their pieces, blanks, parentheses and identifier characters
    const piece = fc.constantFrom(...names, 'et', 'ket', 'ocket', 'kopt', '4', 'x', '_', '\u00e9', ' ', '\t', '\n', '\u00a0', '(', ')', ';');
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 30 }), fc.subarray(names, { minLength: 1 }), (pieces, wanted) => {
        const text = pieces.join('');
        expect(callsAnyIn(bytes(text), wanted)).toBe(callsAny(text, wanted));
      }),
      { numRuns: 2000 },
    );
  });

  it('tells a definition from a call', () => {
    const text = 'static int\nopen_conn(int family)\n{\n  if (close(fd)) {\n  }\n  return open_conn(1);\n}\n';
    const def = text.indexOf('open_conn');
    expect(startsDefinition(bytes(text), def, text.indexOf('(', def))).toBe(true);
    const call = text.indexOf('close');
    expect(startsDefinition(bytes(text), call, text.indexOf('(', call))).toBe(false);
    const ret = text.lastIndexOf('open_conn');
    expect(startsDefinition(bytes(text), ret, text.indexOf('(', ret))).toBe(false);
  });
});

describe('ByteWord: a word found in raw bytes by its rarest stretch', () => {
  it('finds every occurrence, at the edges and overlapping, exactly where indexOf does', () => {
    fc.assert(
      fc.property(fc.string({ unit: fc.constantFrom('a', 'b', 'k', 'K', 'e', ' ', 'ab', 'kk'), maxLength: 40 }), fc.string({ unit: fc.constantFrom('a', 'b', 'k', 'K', 'e', ' '), minLength: 1, maxLength: 9 }), (text, word) => {
        const w = new ByteWord(word);
        const buf = bytes(text);
        for (let from = 0; from <= text.length + 1; from++) expect(w.indexIn(buf, from)).toBe(text.indexOf(word, from));
      }),
      { numRuns: 1000 },
    );
  });

  it('searches by a stretch that starts on a rare byte', () => {
    expect(new ByteWord('SO_KEEPALIVE').indexIn(bytes('x SO_KEEPALIVE'))).toBe(2);
    expect(new ByteWord('typedef').indexIn(bytes('typedef'))).toBe(0);
    expect(new ByteWord('ket').indexIn(bytes('socket'))).toBe(3);
  });
});
