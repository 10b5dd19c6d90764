/**
 * The one table of libc, POSIX and Winsock knowledge, as data: the socket API the analysis reads
 * (which calls create sockets, which constants name a family, type, protocol or option) and what
 * the rewrite needs (which calls operate on a live socket, close, exit or log, which identifiers
 * mark a file as Windows-portable, the headers inserted code needs). Nobody else spells a libc name.
 */
import type { TuningOption } from '@ka-codemod/core';

/** Calls that create a socket the audit reports. */
export const CREATION_CALLS = ['socket', 'accept', 'accept4'] as const;
export type CreationCall = (typeof CREATION_CALLS)[number];

/** Calls whose argument positions the flow analysis understands (besides project functions). */
export const KNOWN_CALLS = [...CREATION_CALLS, 'setsockopt', 'dup2', 'dup3'] as const;
export type KnownCall = (typeof KNOWN_CALLS)[number];

export function isCreationCall(name: string): name is CreationCall {
  return (CREATION_CALLS as readonly string[]).includes(name);
}

export function isKnownCall(name: string): name is KnownCall {
  return (KNOWN_CALLS as readonly string[]).includes(name);
}

/** Address families that make a TCP socket with SOCK_STREAM. */
export const INET_FAMILIES = ['AF_INET', 'AF_INET6', 'PF_INET', 'PF_INET6'];
/** Families that never carry TCP. */
export const NON_INET_FAMILIES = [
  'AF_UNIX', 'AF_LOCAL', 'PF_UNIX', 'PF_LOCAL', 'AF_NETLINK', 'PF_NETLINK', 'AF_PACKET', 'PF_PACKET',
  'AF_BLUETOOTH', 'AF_CAN', 'AF_VSOCK', 'AF_TIPC', 'AF_ALG', 'AF_KEY', 'PF_KEY', 'AF_ROUTE', 'PF_ROUTE',
  'AF_SYSTEM', 'AF_XDP', 'AF_IRDA', 'AF_APPLETALK', 'AF_IPX', 'AF_X25',
];
/** `getaddrinfo` hints family meaning "any": glibc then returns only AF_INET/AF_INET6 results. */
export const UNSPEC_FAMILIES = ['AF_UNSPEC', 'PF_UNSPEC'];
export const STREAM_TYPES = ['SOCK_STREAM'];
export const NON_STREAM_TYPES = ['SOCK_DGRAM', 'SOCK_RAW', 'SOCK_SEQPACKET', 'SOCK_RDM', 'SOCK_PACKET'];
/** Flags OR'ed into the type argument; they do not change the socket type. */
/** Flags OR'ed into a socket type: Linux's, and the BSDs' (`SOCK_NOSIGPIPE` on NetBSD, `SOCK_CLOFORK`). */
export const TYPE_FLAGS = ['SOCK_NONBLOCK', 'SOCK_CLOEXEC', 'SOCK_NOSIGPIPE', 'SOCK_CLOFORK'];
export const TCP_PROTOCOLS = ['IPPROTO_TCP', 'IPPROTO_IP'];
export const NON_TCP_PROTOCOLS = ['IPPROTO_UDP', 'IPPROTO_SCTP', 'IPPROTO_ICMP', 'IPPROTO_ICMPV6', 'IPPROTO_RAW', 'IPPROTO_UDPLITE', 'IPPROTO_MPTCP'];

/** The option that turns keepalive on (at SOL_SOCKET). */
export const KEEPALIVE_OPTION = 'SO_KEEPALIVE';
/** Per-socket tuning options (IPPROTO_TCP / SOL_TCP); TCP_KEEPALIVE is macOS's idle option. */
export const TUNING_OPTION_NAMES: readonly TuningOption[] = ['TCP_KEEPIDLE', 'TCP_KEEPALIVE', 'TCP_KEEPINTVL', 'TCP_KEEPCNT', 'TCP_USER_TIMEOUT'];

/** Returns a second descriptor for the same socket (not a seed word: only followed where parsed). */
export const DUP_CALL = 'dup';

/** A struct field named like a descriptor (`fd`, `sock`, `sfd`, `listen_fd`, `socket`). */
export const DESCRIPTOR_FIELD = /(?:^|_)(?:s?fd|fds|sock|socket|sockfd|sd)$|^(?:fd|sock)/i;

/** Standard descriptors by name: an accepted connection dup2'ed onto fd 0 is configured as STDIN_FILENO. */
export const STANDARD_FDS: Record<string, number> = { STDIN_FILENO: 0, STDOUT_FILENO: 1, STDERR_FILENO: 2 };

/** Argument positions of the calls the flow analysis reads. */
export const ARG = {
  socket: { family: 0, type: 1, protocol: 2 },
  accept: { listener: 0, peerAddress: 1, peerAddressLength: 2 },
  setsockopt: { fd: 0, level: 1, option: 2, value: 3 },
  dup2: { from: 0, to: 1 },
} as const;

/** accept's peer-address buffer typed or sized as this struct: the listener is a unix-domain socket. */
export const UNIX_ADDRESS_STRUCT = 'sockaddr_un';

/** getaddrinfo result fields: the socket takes its family and type from the hints. */
export const AI_FAMILY_FIELD = 'ai_family';
/** gethostbyname's `hostent.h_addrtype`: AF_INET or AF_INET6, nothing else. */
export const HOSTENT_FAMILY_FIELD = 'h_addrtype';
export const AI_SOCKTYPE_FIELD = 'ai_socktype';
export const AI_PROTOCOL_FIELD = 'ai_protocol';

/** Identifiers that look like socket-kind constants: a condition comparing them is about the socket, not configuration. */
export const KIND_CONSTANT = /^(AF|PF|SOCK|IPPROTO)_[A-Z0-9_]+$/;

/** Words whose presence makes a file worth parsing (the prefilter's seed). */
export const SEED_WORDS = ['socket', 'accept', 'accept4', 'setsockopt', 'SO_KEEPALIVE', 'dup2', 'dup3'];

/** Calls whose result is a status code: a condition testing it is error handling, not configuration. */
export const STATUS_CALLS = ['setsockopt', 'getsockopt', 'bind', 'listen', 'connect', 'fcntl', 'ioctl', 'getsockname', 'getpeername', 'getaddrinfo'];

/**
 * System and libc calls an fd is commonly passed to: their definitions are never looked for in
 * the project (they do not enable keepalive, and their names are everywhere).
 */
export const SYSTEM_FD_CALLS = new Set([
  'close', 'closesocket', 'read', 'write', 'readv', 'writev', 'pread', 'pwrite', 'send', 'recv', 'sendto', 'recvfrom',
  'sendmsg', 'recvmsg', 'connect', 'bind', 'listen', 'shutdown', 'getsockname', 'getpeername', 'getsockopt',
  'fcntl', 'ioctl', 'ioctlsocket', 'select', 'poll', 'epoll_ctl', 'dup', 'fstat', 'fsync', 'fdopen', 'fchmod', 'fchown',
  'lseek', 'ftruncate', 'flock', 'lockf', 'isatty', 'tcgetattr', 'tcsetattr', 'FD_SET', 'FD_ISSET', 'FD_CLR',
  'printf', 'fprintf', 'sprintf', 'snprintf', 'syslog', 'perror', 'strerror', 'memset', 'memcpy', 'free', 'malloc',
  'SSL_set_fd', 'WSAIoctl', 'WSAEventSelect', 'sendfile', 'splice', 'getpeereid', 'getpeerucred', 'inet_ntop',
  'event_set', 'event_assign', 'event_new', 'ev_io_init', 'mmap', 'assert',
]);

/** Assertion calls and macros (`assert`, `ASSERT`, `g_assert`, `mhd_assert`): what they check holds after them. */
export const ASSERTION = /^(?:\w+_)?assert$/i;

/**
 * Readiness structs (poll's `struct pollfd` and projects' stand-ins for it such as `mypollfd`,
 * kqueue's `struct kevent`): every descriptor a program waits on passes through them, so their
 * fields are followed only within one function (filled and read back around one poll call), never
 * joined project-wide.
 */
export const READINESS_STRUCT = /pollfd|^kevent$/i;

// ---- what the rewrite needs ------------------------------------------------------------------


/**
 * Calls made on an already created socket: the branch that handles their failure already knows
 * how to give up on a live fd (close it, jump to the right label), so it is the best model.
 */
export const FD_OPERATIONS: readonly string[] = [
  'connect', 'bind', 'listen', 'setsockopt', 'getsockopt', 'fcntl', 'ioctl', 'ioctlsocket',
  'getsockname', 'getpeername', 'shutdown',
];

/**
 * Projects wrap fd operations in helpers of their own (make_socket_nonblocking, set_cloexec,
 * sock_set_opts): recognised by name, and only where the fd is their first argument.
 */
const FD_OPERATION_NAME = /nonblock|cloexec|sock/i;

export function isFdOperationName(name: string): boolean {
  return FD_OPERATIONS.includes(name) || FD_OPERATION_NAME.test(name);
}

/** Calls that release a socket; project wrappers are recognised by a name containing "close". */
export const CLOSE_CALLS: readonly string[] = ['close', 'closesocket'];

/** Calls that never return: a branch ending in one of them is a terminating failure branch. */
export const NO_RETURN_CALLS: readonly string[] = [
  'exit', '_exit', '_Exit', 'abort', 'err', 'errx', 'verr', 'verrx', 'die', 'fatal', 'panic', 'g_error',
];

/** glibc's error(status, errnum, fmt, ...): exits when its status argument is not 0. */
export const EXIT_WITH_STATUS_CALLS: readonly string[] = ['error', 'error_at_line'];

/** Calls that print errno's text themselves: the message is only the failing operation's name. */
export const ERRNO_PRINTERS: readonly string[] = ['perror', 'err', 'warn', 'verr', 'vwarn', 'error', 'error_at_line'];

/** Calls that are never the project's logger even though they may take a string argument. */
export const NOT_LOGGERS: readonly string[] = [
  'free', 'freeaddrinfo', 'memset', 'memcpy', 'strcpy', 'strncpy', 'snprintf', 'sprintf', 'strcmp',
  'unlink', 'fclose', 'setsockopt', 'connect', 'bind', 'listen',
];

/** The names of socket operations a copied message may mention instead of setsockopt. */
export const OPERATION_WORDS: readonly string[] = ['socket', 'connect', 'bind', 'listen', 'accept4', 'accept'];

/** Identifiers that only Winsock-portable code uses. */
export const WINDOWS_MARKERS: readonly string[] = [
  'closesocket', 'INVALID_SOCKET', 'SOCKET_ERROR', 'WSAGetLastError', 'ioctlsocket', 'WSAStartup',
];

/** Headers the inserted code needs, keyed by what it uses. */
export const HEADERS = {
  socket: 'sys/socket.h',
  tcp: 'netinet/tcp.h',
  close: 'unistd.h',
  stdio: 'stdio.h',
  stdlib: 'stdlib.h',
  string: 'string.h',
} as const;

/** The message every copied logging call gets (the HOWTO's own wording for the call). */
export const KEEPALIVE_OPERATION = 'setsockopt(SO_KEEPALIVE)';

/** libkeepalive's run-time switches (TCP Keepalive HOWTO, 4.1), honoured by --toggle=env. */
export const TOGGLE_ENV = { off: 'KEEPALIVE', idle: 'KEEPIDLE', interval: 'KEEPINTVL', count: 'KEEPCNT' } as const;

/** Name of the per-file helper the rewrite adds when several sites share a file. */
export const HELPER_NAME = 'enable_tcp_keepalive';
