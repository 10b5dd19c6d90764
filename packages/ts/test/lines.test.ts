import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { lineAndCharacter, lineStarts } from '../src/lines.js';
import { ts } from '../src/typescript.js';

describe('line numbers of positions (own table, native searches)', () => {
  it('splits at CRLF, CR, LF, U+2028 and U+2029 like TypeScript', () => {
    expect(lineStarts('a\nb\r\nc\rd\u2028e\u2029f')).toEqual([0, 2, 5, 7, 9, 11]);
    expect(lineStarts('')).toEqual([0]);
    expect(lineStarts('x\n')).toEqual([0, 2]);
  });

  it('gives what sf.getLineAndCharacterOfPosition gives, at every position of arbitrary text', () => {
    const pieces = fc.constantFrom('a', 'bc', ' ', '\n', '\r', '\r\n', '\u2028', '\u2029', 'é', '\t', '"\\n"');
    fc.assert(
      fc.property(fc.array(pieces, { maxLength: 40 }), (parts) => {
        const text = parts.join('');
        const sf = ts.createSourceFile('x.js', text, ts.ScriptTarget.Latest);
        for (let pos = 0; pos <= text.length; pos++) expect(lineAndCharacter(sf, pos)).toEqual(sf.getLineAndCharacterOfPosition(pos));
      }),
      { numRuns: 200, seed: 7 },
    );
  });
});
