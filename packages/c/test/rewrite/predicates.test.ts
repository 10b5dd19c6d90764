import { describe, expect, it } from 'vitest';
import { classifyTest, locateCreation, terminates } from '../../src/rewrite/creation.js';
import { isLoggingCall, testsFailure } from '../../src/rewrite/error-path.js';
import { includeInsertionPoint, includedHeaders, includes } from '../../src/rewrite/includes.js';
import { parseLatin1, type Node } from '../../src/rewrite/parse.js';
import { isFdOperationName } from '../../src/libc.js';
import { detectEol, detectStyle, isWindowsPortable } from '../../src/rewrite/style.js';
import { nextLineStart, reindent } from '../../src/text.js';

function firstOf(src: string, type: string): Node {
  const n = parseLatin1(src).rootNode.descendantsOfType(type)[0];
  if (!n) throw new Error(`no ${type}`);
  return n;
}

const expr = (e: string) => firstOf(`void f(void) { if (${e}) return; }`, 'if_statement').childForFieldName('condition')!;

describe('classifyTest: is this the creation failure check?', () => {
  it.each([
    ['fd < 0', true, '< 0'],
    ['fd == -1', true, '== -1'],
    ['-1 == fd', true, '== -1'],
    ['fd == INVALID_SOCKET', true, '== INVALID_SOCKET'],
    ['unlikely(fd < 0)', true, '< 0'],
    ['fd < 0 || other', true, '< 0'],
    ['other < 0 || fd < 0', true, '< 0'],
    ['fd >= 0', false, '< 0'],
    ['fd != INVALID_SOCKET', false, '== INVALID_SOCKET'],
    ['(fd = socket(1, 2, 3)) < 0', true, '< 0'],
    ['fd <= 0', true, '< 0'],
    ['-1 == (fd = socket(1, 2, 3))', true, '== -1'],
  ])('%s', (e, failWhenTrue, test) => {
    expect(classifyTest(expr(e), 'fd')).toEqual({ failWhenTrue, test });
  });
  it.each(['other < 0', 'fd > 3', 'fd < 0 && x'])('%s is not a failure check of fd', (e) => {
    expect(classifyTest(expr(e), 'fd')).toBeNull();
  });
});

describe('testsFailure: does the condition take the failure side of the call?', () => {
  const check = (cond: string) => {
    const c = expr(cond);
    return testsFailure(c, c.descendantsOfType('call_expression')[0]!);
  };
  it.each([
    ['connect(fd, a, l) < 0', true],
    ['connect(fd, a, l) == -1', true],
    ['connect(fd, a, l) == SOCKET_ERROR', true],
    ['connect(fd, a, l) != 0', true],
    ['connect(fd, a, l)', true],
    ['connect(fd, a, l) == 0', false],
    ['!connect(fd, a, l)', false],
  ])('%s -> %s', (cond, expected) => expect(check(cond)).toBe(expected));
});

describe('terminates', () => {
  it.each([
    ['{ perror("x"); return -1; }', true],
    ['{ goto out; }', true],
    ['continue;', true],
    ['{ exit(1); }', true],
    ['{ perror("x"); }', false],
    ['error (EXIT_FAILURE, errno, "socket");', true],
    ['error (0, errno, "socket");', false],
  ])('%s', (body, expected) => {
    const s = firstOf(`void f(void) { for (;;) if (x) ${body} }`, 'if_statement');
    expect(terminates(s.childForFieldName('consequence')!)).toBe(expected);
  });
});

describe('isLoggingCall', () => {
  const call = (s: string) => firstOf(`void f(void) { ${s}; }`, 'call_expression');
  it('takes a call with a message', () => expect(isLoggingCall(call('log_msg(LOG_ERR, "socket: %s", e)'))).toBe(true));
  it('not cleanup', () => expect(isLoggingCall(call('close(fd)'))).toBe(false));
  it('not a call without a message', () => expect(isLoggingCall(call('cleanup(ctx)'))).toBe(false));
});

describe('locateCreation', () => {
  const at = (src: string) => {
    const call = parseLatin1(src).rootNode.descendantsOfType('call_expression').find((c) => /^(socket|accept)/.test(c.text))!;
    return locateCreation(src, call, '\t');
  };
  it('inserts after the failure check of `if ((fd = socket()) < 0)`', () => {
    const src = 'int f(void)\n{\n\tint fd;\n\tif ((fd = socket(2, 1, 0)) < 0)\n\t\treturn -1;\n\treturn fd;\n}\n';
    const c = at(src);
    if (typeof c === 'string') throw new Error(c);
    expect(src.slice(c.insertAt)).toBe('\treturn fd;\n}\n');
    expect([c.fd, c.indent, c.checked, c.failureTest]).toEqual(['fd', '\t', true, '< 0']);
  });
  it('inserts at the top of the loop body of `while ((c = accept()) >= 0)`', () => {
    const src = 'void f(int l)\n{\n\tint c;\n\twhile ((c = accept(l, 0, 0)) >= 0) {\n\t\tclose(c);\n\t}\n}\n';
    const c = at(src);
    if (typeof c === 'string') throw new Error(c);
    expect(src.slice(c.insertAt).startsWith('\t\tclose(c);')).toBe(true);
    expect(c.indent).toBe('\t\t');
  });
  it('goes after the rest of the declarations, even those that read the fd (C89)', () => {
    const src = 'void f(void)\n{\n\tint fd = socket(2, 1, 0);\n\tstruct pair p = { fd, fd };\n\tint n = 0;\n\tuse(fd, p, n);\n}\n';
    const c = at(src);
    if (typeof c === 'string') throw new Error(c);
    expect(src.slice(c.insertAt)).toBe('\tuse(fd, p, n);\n}\n');
  });
  it('stops before a declaration that reassigns the fd', () => {
    const src = 'void f(int o)\n{\n\tint fd = socket(2, 1, 0);\n\tint x = (fd = o);\n\tuse(fd, x);\n}\n';
    const c = at(src);
    if (typeof c === 'string') throw new Error(c);
    expect(src.slice(c.insertAt)).toBe('\tint x = (fd = o);\n\tuse(fd, x);\n}\n');
  });
  it('marks an unchecked fd so the new code tests it first', () => {
    const c = at('void f(void)\n{\n    int fd = socket(2, 1, 0);\n    use(fd);\n}\n');
    expect(typeof c !== 'string' && c.checked).toBe(false);
  });
  it('names the fd of `return socket(...)` so the statement can become a block', () => {
    const src = 'SOCKET f(void)\n{\n    return socket(2, 1, 0);\n}\n';
    const c = at(src);
    if (typeof c === 'string') throw new Error(c);
    expect([c.fd, c.returned?.type, c.returned?.expr, src.slice(c.returned!.start, c.returned!.end)]).toEqual(['fd', 'SOCKET', 'socket(2, 1, 0)', 'return socket(2, 1, 0);']);
  });
  it('says why it cannot follow a creation it cannot store', () => {
    expect(at('void f(void)\n{\n    use(socket(2, 1, 0));\n}\n')).toMatch(/not stored/);
  });
});

describe('style detection', () => {
  it('EOL: CRLF only when most lines have it', () => {
    expect(detectEol('a\r\nb\r\nc\n')).toBe('\r\n');
    expect(detectEol('a\nb\nc\r\n')).toBe('\n');
  });
  it('Winsock-portable files', () => {
    expect(isWindowsPortable('if (s == INVALID_SOCKET) closesocket(s);')).toBe(true);
    expect(isWindowsPortable('close(s);')).toBe(false);
  });
  it('Allman, four spaces, `if (`', () => {
    const src = 'int f(int x)\n{\n    if (x)\n    {\n        return 1;\n    }\n    return 0;\n}\n';
    const s = detectStyle(src, parseLatin1(src).rootNode);
    expect([s.braces, s.unit, s.ifSpace, s.functionBraceOwnLine]).toEqual(['allman', '    ', ' ', true]);
  });
  it('K&R, tabs, `if(`, return type on its own line', () => {
    const src = 'static int\nf(int x) {\n\tif(x) {\n\t\treturn 1;\n\t}\n\treturn 0;\n}\n';
    const s = detectStyle(src, parseLatin1(src).rootNode);
    expect([s.braces, s.unit, s.ifSpace, s.returnTypeOwnLine, s.functionBraceOwnLine]).toEqual(['kr', '\t', '', true, false]);
  });
  it('GNU: braces indented by half a step', () => {
    const src = 'int f(int x)\n{\n  if (x)\n    {\n      return 1;\n    }\n  return 0;\n}\n';
    const s = detectStyle(src, parseLatin1(src).rootNode);
    expect([s.braces, s.braceOffset, s.unit]).toEqual(['gnu', '  ', '  ']);
  });
});

describe('includes', () => {
  const src = '/* lead */\n#include <stdio.h>\n#include "net/sock.h"\n#ifdef X\n#include <sys/socket.h>\n#endif\nint x;\n';
  const root = parseLatin1(src).rootNode;
  it('knows what is included, under #ifdef too', () => {
    const h = includedHeaders(root);
    expect(includes(h, 'sys/socket.h')).toBe(true);
    expect(includes(h, 'sock.h')).toBe(true);
    expect(includes(h, 'netinet/tcp.h')).toBe(false);
  });
  it('adds after the last top-level include', () => {
    expect(src.slice(includeInsertionPoint(src, root))).toMatch(/^#ifdef X/);
  });
  it('after a leading comment when there is no include', () => {
    const s = '/* lead */\nint x;\n';
    expect(s.slice(includeInsertionPoint(s, parseLatin1(s).rootNode))).toBe('int x;\n');
  });
});

describe('text helpers', () => {
  it('nextLineStart skips a trailing comment, refuses code on the same line', () => {
    expect(nextLineStart('a; /* c */\nb', 2)).toBe(11);
    expect(nextLineStart('a; b;\n', 2)).toBeNull();
    expect(nextLineStart('a;\r\nb', 2)).toBe(4);
  });
  it('reindent keeps continuation lines relative', () => {
    expect(reindent('f(a,\n\t\t  b);', '\t', '    ')).toEqual(['    f(a,', '    \t  b);']);
  });
});

describe('isFdOperationName', () => {
  it.each(['connect', 'bind', 'fcntl', 'make_socket_nonblocking', 'set_cloexec', 'sock_set_opts'])('%s operates on a live fd', (name) => {
    expect(isFdOperationName(name)).toBe(true);
  });

  it.each(['printf', 'free', 'strlen', 'log_error'])('%s does not', (name) => {
    expect(isFdOperationName(name)).toBe(false);
  });
});
