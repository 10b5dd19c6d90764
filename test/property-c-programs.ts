/**
 * fast-check generators of small C programs that create sockets in many shapes: TCP, UDP and UNIX
 * families, the fd assigned at its declaration or later, returned directly, stored in a struct
 * field, accepted in a loop (accept and accept4), made from getaddrinfo results, or already given
 * keepalive; in K&R or Allman braces with different indents and error paths. Each generated
 * function knows what the analysis should say about its sites.
 */
import fc from 'fast-check';

export type Tcp = 'yes' | 'no' | 'maybe';

export interface CFunction {
  code: string;
  /** Expected sites in creation order: call name and TCP class. */
  sites: { call: 'socket' | 'accept' | 'accept4'; tcp: Tcp }[];
  /** The function already enables keepalive on its sockets. */
  keepalive: boolean;
}

export interface CProgram {
  text: string;
  functions: CFunction[];
}

interface Style {
  indent: string;
  allman: boolean;
  failure: 'return' | 'perror-exit' | 'goto';
}

const HEADER = [
  '#define _GNU_SOURCE /* accept4 */',
  '#include <stdio.h>',
  '#include <stdlib.h>',
  '#include <string.h>',
  '#include <unistd.h>',
  '#include <sys/types.h>',
  '#include <sys/socket.h>',
  '#include <netinet/in.h>',
  '#include <netdb.h>',
  '',
  'struct conn {',
  '    int fd;',
  '    const char *name;',
  '};',
  '',
  'void handle_client(int fd);',
  '',
].join('\n');

const families = fc.constantFrom(
  { family: 'AF_INET', tcpFamily: true },
  { family: 'AF_INET6', tcpFamily: true },
  { family: 'PF_INET', tcpFamily: true },
  { family: 'AF_UNIX', tcpFamily: false },
  { family: 'AF_LOCAL', tcpFamily: false },
);
const streamTypes = fc.constantFrom('SOCK_STREAM', 'SOCK_STREAM | SOCK_NONBLOCK', 'SOCK_STREAM | SOCK_CLOEXEC', 'SOCK_CLOEXEC | SOCK_STREAM');
const socketArgs = fc.oneof(
  fc.record({ f: families, type: streamTypes, protocol: fc.constantFrom('0', 'IPPROTO_TCP') }).map(({ f, type, protocol }) => ({
    args: `${f.family}, ${type}, ${f.tcpFamily ? protocol : '0'}`,
    tcp: (f.tcpFamily ? 'yes' : 'no') as Tcp,
  })),
  fc.record({ f: families, protocol: fc.constantFrom('0', 'IPPROTO_UDP') }).map(({ f, protocol }) => ({
    args: `${f.family}, SOCK_DGRAM, ${f.tcpFamily ? protocol : '0'}`,
    tcp: 'no' as Tcp,
  })),
);

const styles = fc.record<Style>({
  indent: fc.constantFrom('    ', '  ', '\t', '        '),
  allman: fc.boolean(),
  failure: fc.constantFrom('return', 'perror-exit', 'goto'),
});

/** Lines of a function: [depth, text]; braces placed by style. */
type Line = [number, string];

function render(signature: string, body: Line[], s: Style): string {
  const out = s.allman ? [signature, '{'] : [`${signature} {`];
  for (const [depth, text] of body) out.push(text === '' ? '' : s.indent.repeat(depth + 1) + text);
  out.push('}');
  return out.join('\n');
}

/** `if (cond) <fail>`; goto needs a `fail:` label, which the caller adds. */
function failIf(depth: number, cond: string, s: Style, fdToClose?: string): Line[] {
  const open = s.allman ? [[depth, `if (${cond})`] as Line, [depth, '{'] as Line] : [[depth, `if (${cond}) {`] as Line];
  const body: Line[] =
    s.failure === 'return'
      ? [[depth + 1, 'return -1;']]
      : s.failure === 'perror-exit'
        ? [[depth + 1, 'perror("socket");'], [depth + 1, 'exit(EXIT_FAILURE);']]
        : [[depth + 1, 'goto fail;']];
  if (fdToClose && s.failure !== 'goto') body.unshift([depth + 1, `close(${fdToClose});`]);
  return [...open, ...body, [depth, '}']];
}

function failLabel(s: Style): Line[] {
  return s.failure === 'goto' ? [[-1, 'fail:'], [0, 'return -1;']] : [];
}

const keepaliveLines = (fd: string): Line[] => [
  [0, 'int on = 1;'],
  [0, `if (setsockopt(${fd}, SOL_SOCKET, SO_KEEPALIVE, &on, sizeof on) < 0)`],
  [1, 'perror("setsockopt");'],
];

let counter = 0;
const fresh = (base: string) => `${base}_${counter++}`;

const assignedAtDeclaration = fc.record({ a: socketArgs, s: styles, ka: fc.boolean() }).map(({ a, s, ka }): CFunction => {
  const body: Line[] = [[0, `int fd = socket(${a.args});`], ...failIf(0, 'fd < 0', s), ...(ka ? keepaliveLines('fd') : []), [0, 'return fd;'], ...failLabel(s)];
  return { code: render(`int ${fresh('open_decl')}(void)`, body, s), sites: [{ call: 'socket', tcp: a.tcp }], keepalive: ka };
});

const assignedLater = fc.record({ a: socketArgs, s: styles, check: fc.constantFrom('fd < 0', 'fd == -1', '-1 == fd') }).map(({ a, s, check }): CFunction => {
  const body: Line[] = [[0, 'int fd;'], [0, ''], [0, `fd = socket(${a.args});`], ...failIf(0, check, s), [0, 'return fd;'], ...failLabel(s)];
  return { code: render(`int ${fresh('open_later')}(void)`, body, s), sites: [{ call: 'socket', tcp: a.tcp }], keepalive: false };
});

const assignedInCondition = fc.record({ a: socketArgs, s: styles }).map(({ a, s }): CFunction => {
  const body: Line[] = [[0, 'int fd;'], ...failIf(0, `(fd = socket(${a.args})) < 0`, s), [0, 'return fd;'], ...failLabel(s)];
  return { code: render(`int ${fresh('open_cond')}(void)`, body, s), sites: [{ call: 'socket', tcp: a.tcp }], keepalive: false };
});

/** A factory returning the call straight away (the rewrite makes the return a block), and a caller that stores the fd. */
export const returned = fc.record({ a: socketArgs, s: styles }).map(({ a, s }): CFunction => {
  const factory = fresh('open_returned');
  const caller: Line[] = [[0, `int fd = ${factory}();`], ...failIf(0, 'fd < 0', s), [0, 'return fd;'], ...failLabel(s)];
  const code = render(`static int ${factory}(void)`, [[0, `return socket(${a.args});`]], s) + '\n\n' + render(`int ${fresh('connect_via')}(void)`, caller, s);
  return { code, sites: [{ call: 'socket', tcp: a.tcp }], keepalive: false };
});

const structField = fc.record({ a: socketArgs, s: styles }).map(({ a, s }): CFunction => {
  const body: Line[] = [[0, `c->fd = socket(${a.args});`], ...failIf(0, 'c->fd < 0', s), [0, 'c->name = "peer";'], [0, 'return 0;'], ...failLabel(s)];
  return { code: render(`int ${fresh('conn_open')}(struct conn *c)`, body, s), sites: [{ call: 'socket', tcp: a.tcp }], keepalive: false };
});

const acceptLoop = fc
  .record({ f: families, s: styles, four: fc.boolean(), ka: fc.boolean() })
  .map(({ f, s, four, ka }): CFunction => {
    const tcp: Tcp = f.tcpFamily ? 'yes' : 'no';
    const addr = f.tcpFamily ? 'struct sockaddr_in6 addr;' : 'struct sockaddr_storage addr;';
    const call = four ? 'accept4(ls, NULL, NULL, SOCK_CLOEXEC)' : 'accept(ls, NULL, NULL)';
    const body: Line[] = [
      [0, `int ls = socket(${f.family}, SOCK_STREAM, 0);`],
      ...failIf(0, 'ls < 0', s),
      ...(ka ? keepaliveLines('ls') : []),
      [0, addr],
      [0, 'memset(&addr, 0, sizeof addr);'],
      ...failIf(0, 'bind(ls, (struct sockaddr *)&addr, sizeof addr) < 0 || listen(ls, 16) < 0', s, 'ls'),
      [0, s.allman ? 'for (;;)' : 'for (;;) {'],
      ...(s.allman ? [[0, '{'] as Line] : []),
      [1, `int cfd = ${call};`],
      [1, 'if (cfd < 0)'],
      [2, 'continue;'],
      [1, 'handle_client(cfd);'],
      [1, 'close(cfd);'],
      [0, '}'],
      ...failLabel(s),
    ];
    return {
      code: render(`int ${fresh('serve')}(void)`, body, s),
      sites: [
        { call: 'socket', tcp },
        { call: four ? 'accept4' : 'accept', tcp },
      ],
      keepalive: ka,
    };
  });

const fromAddrinfo = fc.record({ s: styles, stream: fc.boolean() }).map(({ s, stream }): CFunction => {
  const body: Line[] = [
    [0, 'struct addrinfo hints, *res, *ai;'],
    [0, 'int fd = -1;'],
    [0, ''],
    [0, 'memset(&hints, 0, sizeof hints);'],
    [0, 'hints.ai_family = AF_UNSPEC;'],
    [0, `hints.ai_socktype = ${stream ? 'SOCK_STREAM' : 'SOCK_DGRAM'};`],
    [0, 'if (getaddrinfo(host, port, &hints, &res) != 0)'],
    [1, 'return -1;'],
    [0, s.allman ? 'for (ai = res; ai != NULL; ai = ai->ai_next)' : 'for (ai = res; ai != NULL; ai = ai->ai_next) {'],
    ...(s.allman ? [[0, '{'] as Line] : []),
    [1, 'fd = socket(ai->ai_family, ai->ai_socktype, ai->ai_protocol);'],
    [1, 'if (fd < 0)'],
    [2, 'continue;'],
    [1, 'if (connect(fd, ai->ai_addr, ai->ai_addrlen) == 0)'],
    [2, 'break;'],
    [1, 'close(fd);'],
    [1, 'fd = -1;'],
    [0, '}'],
    [0, 'freeaddrinfo(res);'],
    [0, 'return fd;'],
  ];
  // getaddrinfo for a host name yields only AF_INET/AF_INET6 entries: the hints' socket type decides.
  return { code: render(`int ${fresh('dial')}(const char *host, const char *port)`, body, s), sites: [{ call: 'socket', tcp: stream ? 'yes' : 'no' }], keepalive: false };
});

/** The family is the caller's choice and nobody in the program calls it: only known at run time. */
const familyParameter = fc.record({ s: styles, type: streamTypes }).map(({ s, type }): CFunction => {
  const body: Line[] = [[0, `int fd = socket(family, ${type}, 0);`], ...failIf(0, 'fd < 0', s), [0, 'return fd;'], ...failLabel(s)];
  return { code: render(`int ${fresh('open_family')}(int family)`, body, s), sites: [{ call: 'socket', tcp: 'maybe' }], keepalive: false };
});

export const cFunction = fc.oneof(assignedAtDeclaration, assignedLater, assignedInCondition, returned, structField, acceptLoop, fromAddrinfo, familyParameter);

export const cProgram: fc.Arbitrary<CProgram> = fc
  .record({ functions: fc.array(cFunction, { minLength: 1, maxLength: 3 }), crlf: fc.boolean() })
  .map(({ functions, crlf }) => {
    const text = HEADER + '\n' + functions.map((f) => f.code).join('\n\n') + '\n';
    return { text: crlf ? text.replace(/\n/g, '\r\n') : text, functions };
  });
