import { describe, expect, it } from 'vitest';
import { includeLine, includeQuoting } from '../../src/rewrite/includes.js';
import { parseLatin1 } from '../../src/rewrite/parse.js';

const quoting = (text: string) => includeQuoting(parseLatin1(text).rootNode);

describe('new #includes follow the file\'s own spelling', () => {
  it('system headers in angle brackets, project headers in quotes (the common case)', () => {
    const q = quoting('#include <stdio.h>\n#include <sys/types.h>\n#include "conf.h"\n');
    expect(includeLine('sys/socket.h', q.system)).toBe('#include <sys/socket.h>');
    expect(includeLine('net/helper.h', q.project)).toBe('#include "net/helper.h"');
  });

  it('a file that quotes its system headers gets a quoted one', () => {
    const q = quoting('#include "stdio.h"\n#include "unistd.h"\n#include <errno.h>\n');
    expect(includeLine('sys/socket.h', q.system)).toBe('#include "sys/socket.h"');
  });

  it('a file that includes its project headers with angle brackets gets the helper header that way', () => {
    const q = quoting('#include <stdio.h>\n#include <proj/conf.h>\n#include <proj/net.h>\n');
    expect(includeLine('proj/keepalive.h', q.project)).toBe('#include <proj/keepalive.h>');
  });
});
