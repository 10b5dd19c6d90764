import { describe, expect, it } from 'vitest';
import { scanTypedefs } from '../src/typedefs.js';

const scan = (text: string) => {
  const into = new Map<string, string>();
  scanTypedefs(Buffer.from(text, 'latin1'), into);
  return into;
};

describe('typedef spellings of tagged structs', () => {
  const text = [
    'typedef struct conn conn_t;',
    'typedef const struct peer\n  peer_t ;',
    'typedef struct listener {',
    '  int fd; struct { int a; } inner;',
    '} listener_t;',
    'typedef union addr { int x; } addr_u;',
    'typedef struct same same;',
    'typedef int caf\u00e9_count; /* not a struct */',
  ].join('\n');

  it('maps each name to its tag, one line or with a body', () => {
    expect([...scan(text)]).toEqual([['conn_t', 'conn'], ['peer_t', 'peer'], ['listener_t', 'listener'], ['addr_u', 'addr']]);
  });
});
