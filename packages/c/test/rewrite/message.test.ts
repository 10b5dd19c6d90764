import { describe, expect, it } from 'vitest';
import { retargetMessage } from '../../src/rewrite/message.js';

describe('retargetMessage', () => {
  it.each([
    ['socket()', 'perror', 'setsockopt(SO_KEEPALIVE)', []],
    ['socket', 'err', 'setsockopt(SO_KEEPALIVE)', []],
    ['socket failed\\n', 'fprintf', 'setsockopt(SO_KEEPALIVE) failed\\n', []],
    ['Error creating socket', 'log_error', 'setsockopt(SO_KEEPALIVE) failed', []],
    ['socket() failed: %s', 'log_msg', 'setsockopt(SO_KEEPALIVE) failed: %s', []],
    ['cannot connect to port %u: %s', 'log_msg', 'setsockopt(SO_KEEPALIVE) failed: %s', [0]],
    ['greeting: connect to port %u: %s\\n', 'fprintf', 'greeting: setsockopt(SO_KEEPALIVE) failed: %s\\n', [0]],
    ['%s: socket: %s', 'fprintf', '%s: setsockopt(SO_KEEPALIVE) failed: %s', []],
    ['Error: Cannot create socket [%s]\\n', 'fprintf', 'setsockopt(SO_KEEPALIVE) failed [%s]\\n', []],
    ['Warning: %s', 'net__print_error', 'setsockopt(SO_KEEPALIVE) failed: %s', []],
    ['100%% sure, socket %d', 'log', 'setsockopt(SO_KEEPALIVE) failed', [0]],
  ])('%s (%s) -> %s', (input, callee, content, dropped) => {
    expect(retargetMessage(input, callee)).toEqual({ content, dropped });
  });

  it('keeps every argument when a width is given by *', () => {
    expect(retargetMessage('connect %*d: %s', 'log')).toEqual({ content: 'setsockopt(SO_KEEPALIVE) failed: connect %*d: %s', dropped: [] });
  });
});
