import { describe, expect, it } from 'vitest';
import { parseLatin1 } from '../../src/rewrite/parse.js';
import { isWindowsOnly, portableNames } from '../../src/rewrite/winsock.js';

const names = (src: string) => [...portableNames(parseLatin1(src).rootNode, ['SOCKET_ERROR', 'INVALID_SOCKET', 'closesocket'])].sort();

describe('Winsock names usable on every platform', () => {
  it('a name used only under #ifdef _WIN32 is not', () => {
    expect(names('#ifdef _WIN32\nint f(int s) { return ioctlsocket(s, 1, 0) == SOCKET_ERROR; }\n#endif\n')).toEqual([]);
  });
  it('a name the #else branch defines for POSIX is', () => {
    expect(names('#ifdef _WIN32\n#include <winsock2.h>\n#else\ntypedef int SOCKET;\n#define INVALID_SOCKET (-1)\n#endif\nint f(SOCKET s) { return s == INVALID_SOCKET; }\n')).toEqual(['INVALID_SOCKET']);
  });
  it('#ifndef _WIN32 selects POSIX code, its #else Windows code', () => {
    expect(names('#ifndef _WIN32\nint a(int s) { return s == INVALID_SOCKET; }\n#else\nint b(int s) { return closesocket(s); }\n#endif\n')).toEqual(['INVALID_SOCKET']);
  });
  it('a name in plain code is', () => {
    expect(names('int f(int s) { if (s == INVALID_SOCKET) return closesocket(s); return 0; }\n')).toEqual(['INVALID_SOCKET', 'closesocket']);
  });
  it('isWindowsOnly follows #if defined(_MSC_VER)', () => {
    const root = parseLatin1('#if defined(_MSC_VER)\nint x = 1;\n#endif\nint y = 2;\n').rootNode;
    const [x, y] = root.descendantsOfType('init_declarator');
    expect([isWindowsOnly(x!), isWindowsOnly(y!)]).toEqual([true, false]);
  });
});
