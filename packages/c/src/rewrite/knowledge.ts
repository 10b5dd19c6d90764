/**
 * What the C rewrite knows about libc, POSIX and Winsock, as data: which calls operate on a live
 * socket (their failure branches are models for ours), which calls close, exit or log, and which
 * identifiers mark a file as Windows-portable. Predicates elsewhere read these tables.
 */

/** Calls that create the fd the rewrite gives keepalive to. */
export const CREATION_CALLS: readonly string[] = ['socket', 'accept', 'accept4'];

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

/**
 * Calls that set an option on a live socket: how the code around a site treats their failure
 * (ignored, logged and continued, fatal) is the project's policy for a failing setsockopt.
 */
export const OPTION_CALLS: readonly string[] = ['setsockopt', 'fcntl', 'ioctl', 'ioctlsocket'];

/** Project wrappers of those calls (make_socket_nonblocking, set_nodelay, sock_set_reuseaddr), by name, fd first. */
export const OPTION_HELPER_NAME = /nonblock|cloexec|nodelay|reuse(?:addr|port)?|sockopt|keepalive/i;

/** Attributes and macros that declare a function as never returning. */
export const NORETURN_MARKER = /\b(?:_Noreturn|noreturn|__noreturn__|NORETURN|NO_RETURN|ATTR_NORETURN|G_GNUC_NORETURN)\b/;

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
