import { describe, expect, it } from 'vitest';
import { callsAny, findCall, mentions } from '../src/prefilter.js';
import { startsDefinition } from '../src/analyze.js';

describe('text prefilter', () => {
  it('finds calls, not words in prose or longer identifiers', () => {
    expect(callsAny('int x = socket (AF_INET, SOCK_STREAM, 0);', ['socket'])).toBe(true);
    expect(callsAny('/* we accept patches */ int accepted(void);', ['accept'])).toBe(false);
    expect(callsAny('fd = my_socket(1); x = sockets(2);', ['socket'])).toBe(false);
    expect(callsAny('c = accept4\n(fd, 0, 0, 0);', ['accept', 'accept4'])).toBe(true);
    expect(findCall('a(); b(); a ();', 'a', 1)).toBe(10);
  });

  it('sees a name with word boundaries', () => {
    expect(mentions('{ "SO_KEEPALIVE", SOL_SOCKET, SO_KEEPALIVE }', 'SO_KEEPALIVE')).toBe(true);
    expect(mentions('MY_SO_KEEPALIVE_X', 'SO_KEEPALIVE')).toBe(false);
  });

  it('tells a definition from a call', () => {
    const text = 'static int\nopen_conn(int family)\n{\n  if (close(fd)) {\n  }\n  return open_conn(1);\n}\n';
    const def = text.indexOf('open_conn');
    expect(startsDefinition(text, def, text.indexOf('(', def))).toBe(true);
    const call = text.indexOf('close');
    expect(startsDefinition(text, call, text.indexOf('(', call))).toBe(false);
    const ret = text.lastIndexOf('open_conn');
    expect(startsDefinition(text, ret, text.indexOf('(', ret))).toBe(false);
  });
});
