import { describe, expect, it } from 'vitest';
import { fingerprint, newFindings, normalizeSnippet, parseBaseline, serializeBaseline, type BaselineFinding } from '../src/baseline.js';

const f = (over: Partial<BaselineFinding>): BaselineFinding => ({ file: 'net.c', function: 'dial', call: 'socket', language: 'c', snippet: 'fd = socket(AF_INET, SOCK_STREAM, 0);', line: 10, ...over });

describe('baseline matching', () => {
  it('ignores line shifts and whitespace changes', () => {
    expect(normalizeSnippet('  fd  =\tsocket(AF_INET,  SOCK_STREAM, 0); ')).toBe('fd = socket(AF_INET, SOCK_STREAM, 0);');
    expect(newFindings([f({ line: 57 })], [f({})])).toEqual([false]);
    expect(fingerprint(f({ line: 1 }))).toBe(fingerprint(f({ line: 99 })));
  });

  it('survives an edited call line in the same function, and a renamed file', () => {
    expect(newFindings([f({ snippet: 'fd = socket(AF_INET6, SOCK_STREAM, 0);' })], [f({})])).toEqual([false]);
    expect(newFindings([f({ file: 'src/net.c' })], [f({})])).toEqual([false]);
  });

  it('counts: a second identical call in the same function is new', () => {
    expect(newFindings([f({ line: 10 }), f({ line: 20 })], [f({ line: 10 })])).toEqual([false, true]);
    expect(newFindings([f({ line: 12 }), f({ line: 22 })], [f({ line: 10 }), f({ line: 20 })])).toEqual([false, false]);
  });

  it('a finding in another function or with another call is new', () => {
    expect(newFindings([f({ function: 'listen_on' })], [f({})])).toEqual([true]);
    expect(newFindings([f({ call: 'accept' })], [f({})])).toEqual([true]);
  });

  it('round-trips and rejects files that are not baselines', () => {
    const text = serializeBaseline([f({})]);
    expect(parseBaseline(text, 'b.json').findings).toEqual([f({})]);
    expect(() => parseBaseline('{"version":2,"findings":[]}', 'b.json')).toThrow(/not a ka-codemod baseline/);
    expect(() => parseBaseline('nope', 'b.json')).toThrow(/not valid JSON/);
  });
});
