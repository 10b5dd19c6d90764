import { describe, expect, it } from 'vitest';
import { buildMacroTable, scanDefines, splitTopLevel } from '../src/macros.js';

const table = (text: string) => buildMacroTable(scanDefines(Buffer.from(text, 'latin1')));

describe('project macros', () => {
  it('finds object-like and function-like aliases of socket calls', () => {
    const t = table([
      '#define net_socket socket',
      '#define OPEN_SOCKET(fam, type) socket(fam, type, 0)',
      '#define OPEN_TCP() OPEN_SOCKET(AF_INET, SOCK_STREAM)',
      '#define Accept(s, a, l) \\',
      '    accept((s), (a), (l))',
      '#define Setsockopt(s,d,n,v,l) setsockopt(s,d,n,v,l)',
    ].join('\n'));
    expect(t.aliases.get('net_socket')).toEqual({ target: 'socket', args: null });
    expect(t.aliases.get('OPEN_SOCKET')).toEqual({ target: 'socket', args: [{ param: 0 }, { param: 1 }, { text: '0' }] });
    expect(t.aliases.get('OPEN_TCP')).toEqual({ target: 'socket', args: [{ text: 'AF_INET' }, { text: 'SOCK_STREAM' }, { text: '0' }] });
    expect(t.aliases.get('Accept')).toEqual({ target: 'accept', args: [{ param: 0 }, { param: 1 }, { param: 2 }] });
    expect(t.aliases.get('Setsockopt')?.target).toBe('setsockopt');
  });

  it('names the project function a creation call is substituted with', () => {
    const t = table([
      '#define socket(domain,type,protocol)\\',
      ' dbg_socket(domain, type, protocol, __LINE__, __FILE__)',
      '#define accept(s, a, l) accept4(s, a, l, 0)',
      '#define setsockopt(s,d,n,v,l) dbg_setsockopt(s,d,n,v,l)',
    ].join('\n'));
    expect([...t.interposers!]).toEqual([['socket', 'dbg_socket']]);
  });

  it('keeps short constants and ignores unrelated macros', () => {
    const t = table('#define LISTEN_TYPE SOCK_STREAM /* why */\r\n#define MAX(a,b) ((a)>(b)?(a):(b))\n#define KA SO_KEEPALIVE\n');
    expect(t.constants.get('LISTEN_TYPE')).toBe('SOCK_STREAM');
    expect(t.constants.get('KA')).toBe('SO_KEEPALIVE');
    expect(t.aliases.has('MAX')).toBe(false);
  });

  it('joins continuation lines (CRLF too) and reads Latin-1 comments', () => {
    const text = [
      '#define net_socket socket',
      '  #  define OPEN_SOCKET(fam, type) \\\r',
      '      socket(fam, type, 0) /* caf\u00e9 */\r',
      '#define TRACE(X)',
      'x = y; // define nothing',
      '#define LAST(a) \\',
    ].join('\n');
    expect(scanDefines(Buffer.from(text, 'latin1')).map(([name]) => name)).toEqual(['net_socket', 'OPEN_SOCKET', 'TRACE', 'LAST']);
    expect(table(text).aliases.get('OPEN_SOCKET')).toEqual({ target: 'socket', args: [{ param: 0 }, { param: 1 }, { text: '0' }] });
  });

  it('does not loop on self-referencing macros', () => {
    const t = table('#define A B(x)\n#define B(x) A\n');
    expect(t.aliases.size).toBe(0);
  });

  it('splits arguments at top-level commas', () => {
    expect(splitTopLevel('a, f(b, c), d')).toEqual(['a', 'f(b, c)', 'd']);
  });
});
