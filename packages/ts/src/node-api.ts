/**
 * Everything the TS/JS engine knows about Node's socket APIs, as data, in one place.
 * Matchers and verdicts read these tables; nobody else repeats them.
 * Sources: Node's docs and ../shared/FACTS.md (checked with strace on Node 20.20.2).
 */

/** The core modules whose exports create TCP sockets. `node:` prefixed specifiers map to the same. */
export type NodeModule = 'net' | 'tls' | 'http' | 'https';
export const SOCKET_MODULES: readonly NodeModule[] = ['net', 'tls', 'http', 'https'];

/** A Node version `[major, minor]`. */
export type Version = readonly [number, number];

/**
 * Per release line, the first version with a feature; a line newer than every listed one has it.
 * Example: [[16, 15], [17, 7]] = 16.15+, 17.7+, and 18+.
 */
export type VersionGate = readonly Version[];

export type SiteRole =
  /** Connects a client socket now (net.connect): options may carry keepAlive. */
  | 'client'
  /** Creates an unconnected socket (new net.Socket), connected later with .connect(). */
  | 'socket'
  /** Creates a server; each accepted socket is a TCP socket that needs keepalive. */
  | 'server';

/** How Node treats `keepAlive: true` in a call's options object. */
export type KeepAliveOptionEffect =
  /** Honoured: keepalive really set (from the version gate on). */
  | 'honoured'
  /** Accepted by the types but ignored at run time (tls.connect on Node 20: nodejs/node#62003). */
  | 'ignored'
  /** The call takes no options object. */
  | 'none';

export interface SocketCall {
  module: NodeModule;
  /** The export called (`connect`) or constructed (`Socket`). */
  name: string;
  /** `new` for constructors. */
  construct: boolean;
  role: SiteRole;
  /** The Site.call label. */
  label: string;
  /** Index of the options object argument, when the call takes one there. */
  optionsArg: number | null;
  keepAliveOption: KeepAliveOptionEffect;
  /** Versions where `keepAlive` in the options works, when honoured. */
  keepAliveSince?: VersionGate;
  /** Why an ignored option does not count, for `how`. */
  ignoredBecause?: string;
  /** Does this create a TLS socket (which may wrap an existing one via the `socket` option)? */
  tls: boolean;
  /**
   * The argument that, when given (and not null/undefined), is an existing stream the call wraps
   * (`new tls.TLSSocket(sock)`): the site then takes that socket's verdict, as tls.connect({ socket }).
   */
  wrapsArg?: number;
  /** A connect call on a subclass instance (`super.connect(…)`): the site is the connect call itself. */
  connects?: boolean;
}

/** socket.connect()/net.connect() options: keepAlive added in v16.15 / v17.7. */
const CLIENT_KEEPALIVE_SINCE: VersionGate = [[16, 15], [17, 7]];
/** Server-side keepAlive on accepted sockets works from v16.17 / v18.6 (earlier releases dropped it). */
const SERVER_KEEPALIVE_SINCE: VersionGate = [[16, 17], [18, 6]];

const TLS_IGNORED = 'tls.connect() ignores the keepAlive option on Node 20 (nodejs/node#62003)';
/** socket.connect({ keepAlive }) on a socket made with new net.Socket(): dropped. */
export const SOCKET_CONNECT_IGNORED = 'Node ignores it on a socket made with new net.Socket() (nodejs/node#59823)';
const TLS_SOCKET_IGNORED = 'the tls.TLSSocket constructor does not pass keepAlive on to its TCP handle (checked with strace on Node 20)';

export const SOCKET_CALLS: readonly SocketCall[] = [
  { module: 'net', name: 'connect', construct: false, role: 'client', label: 'net.connect', optionsArg: 0, keepAliveOption: 'honoured', keepAliveSince: CLIENT_KEEPALIVE_SINCE, tls: false },
  { module: 'net', name: 'createConnection', construct: false, role: 'client', label: 'net.createConnection', optionsArg: 0, keepAliveOption: 'honoured', keepAliveSince: CLIENT_KEEPALIVE_SINCE, tls: false },
  { module: 'net', name: 'Socket', construct: true, role: 'socket', label: 'new net.Socket', optionsArg: 0, keepAliveOption: 'honoured', keepAliveSince: CLIENT_KEEPALIVE_SINCE, tls: false },
  { module: 'net', name: 'Stream', construct: true, role: 'socket', label: 'new net.Socket', optionsArg: 0, keepAliveOption: 'honoured', keepAliveSince: CLIENT_KEEPALIVE_SINCE, tls: false },
  { module: 'tls', name: 'connect', construct: false, role: 'client', label: 'tls.connect', optionsArg: 0, keepAliveOption: 'ignored', ignoredBecause: TLS_IGNORED, tls: true },
  // new tls.TLSSocket() without a socket makes its own TCP handle, connected later with .connect().
  { module: 'tls', name: 'TLSSocket', construct: true, role: 'socket', label: 'new tls.TLSSocket', optionsArg: 1, keepAliveOption: 'ignored', ignoredBecause: TLS_SOCKET_IGNORED, tls: true, wrapsArg: 0 },
  { module: 'net', name: 'createServer', construct: false, role: 'server', label: 'net.createServer', optionsArg: 0, keepAliveOption: 'honoured', keepAliveSince: SERVER_KEEPALIVE_SINCE, tls: false },
  { module: 'net', name: 'Server', construct: true, role: 'server', label: 'new net.Server', optionsArg: 0, keepAliveOption: 'honoured', keepAliveSince: SERVER_KEEPALIVE_SINCE, tls: false },
  { module: 'tls', name: 'createServer', construct: false, role: 'server', label: 'tls.createServer', optionsArg: 0, keepAliveOption: 'honoured', keepAliveSince: SERVER_KEEPALIVE_SINCE, tls: true },
  { module: 'tls', name: 'Server', construct: true, role: 'server', label: 'new tls.Server', optionsArg: 0, keepAliveOption: 'honoured', keepAliveSince: SERVER_KEEPALIVE_SINCE, tls: true },
  { module: 'http', name: 'createServer', construct: false, role: 'server', label: 'http.createServer', optionsArg: 0, keepAliveOption: 'honoured', keepAliveSince: SERVER_KEEPALIVE_SINCE, tls: false },
  { module: 'http', name: 'Server', construct: true, role: 'server', label: 'new http.Server', optionsArg: 0, keepAliveOption: 'honoured', keepAliveSince: SERVER_KEEPALIVE_SINCE, tls: false },
  { module: 'https', name: 'createServer', construct: false, role: 'server', label: 'https.createServer', optionsArg: 0, keepAliveOption: 'honoured', keepAliveSince: SERVER_KEEPALIVE_SINCE, tls: true },
  { module: 'https', name: 'Server', construct: true, role: 'server', label: 'new https.Server', optionsArg: 0, keepAliveOption: 'honoured', keepAliveSince: SERVER_KEEPALIVE_SINCE, tls: true },
];

/** Label of a 'connection' listener on a server of unknown origin (one site per listener). */
export const CONNECTION_LISTENER_LABEL = "server.on('connection')";
/**
 * Members only a net.Socket has: a 'connection' listener on a server of unknown origin is a site
 * only when it uses its argument as a socket (ssh2, ws and socket.io servers emit 'connection' too).
 */
export const SOCKET_ONLY_MEMBERS: readonly string[] = ['setKeepAlive', 'setNoDelay', 'remoteAddress', 'remotePort', 'remoteFamily', 'localAddress', 'localPort', 'bytesRead', 'bytesWritten'];

/**
 * Classes whose instances are Node sockets: a class extending one (`class Conn extends net.Socket`)
 * makes a socket with every `new`, connected by its own `super.connect(…)` / `this.connect(…)`.
 */
export const SOCKET_BASE_CLASSES: ReadonlyArray<{ module: NodeModule; name: string }> = [
  { module: 'net', name: 'Socket' },
  { module: 'net', name: 'Stream' },
  { module: 'tls', name: 'TLSSocket' },
];
/** The site of a socket subclass: its first `super.connect(…)` / `this.connect(…)`. */
export const SUBCLASS_CONNECT: SocketCall = { module: 'net', name: 'connect', construct: false, role: 'socket', label: 'socket.connect', optionsArg: null, keepAliveOption: 'none', tls: false, connects: true };
export const SUBCLASS_TLS_CONNECT: SocketCall = { ...SUBCLASS_CONNECT, module: 'tls', tls: true };
export const CONNECT_METHOD = 'connect';

/**
 * Without type information, `x.connect(port, host)` on a value no site created is a socket's when
 * the receiver's name says socket and the value is used with a socket-only member.
 */
export const SOCKET_RECEIVER = /sock/i;

/** Label of a connect() on a socket of unknown origin (a caller-supplied socket). */
export const SOCKET_CONNECT_LABEL = 'socket.connect';

/**
 * net.Socket(), net.Server() and friends also work without `new` (they construct themselves), and a
 * factory called with `new` (`new net.connect(…)`) yields the object it returns: the same socket.
 */
export function findSocketCall(module: NodeModule, name: string, construct: boolean): SocketCall | undefined {
  return SOCKET_CALLS.find((c) => c.module === module && c.name === name && (c.construct === construct || (c.construct && /^[A-Z]/.test(name)) || (!c.construct && construct)));
}

/** Option names in a client/server options object. */
export const KEEPALIVE_OPTION = 'keepAlive';
export const KEEPALIVE_DELAY_OPTION = 'keepAliveInitialDelay';
/** Options that make a client socket a unix-domain / named-pipe socket (not TCP). */
export const IPC_OPTIONS: readonly string[] = ['path'];
/** new net.Socket() options that wrap an existing descriptor (stdin, a pipe): not a new TCP socket. */
export const FD_OPTIONS: readonly string[] = ['fd'];
/** Options that mark a TCP destination. */
export const TCP_OPTIONS: readonly string[] = ['port', 'host', 'family', 'localAddress', 'localPort'];
/** tls.connect option carrying an existing socket to wrap: the TLS socket takes its verdict. */
export const TLS_SOCKET_OPTION = 'socket';
/**
 * Stream classes that never hold an OS socket: a TLS socket over one of them wraps an in-memory or
 * user-space stream, not TCP; over a class of the project extending one, so does it unless the class
 * relays to a socket it holds in a field (RELAY_STREAM_METHODS).
 */
export const NON_SOCKET_STREAM_CLASSES: readonly string[] = ['Duplex', 'PassThrough', 'Transform', 'Readable', 'Writable', 'EventEmitter'];
/**
 * Calls on a field that make it the stream a relay class moves bytes through (`this._socket.write(chunk)`,
 * `this._socket?.resume?.()`, `src.pipe(this.sock)` as `pipe`'s argument).
 */
export const RELAY_STREAM_METHODS: readonly string[] = ['write', 'end', 'pipe', 'unpipe', 'pause', 'resume', 'destroy', 'cork', 'uncork', 'on', 'once', 'setKeepAlive', 'setNoDelay', 'setTimeout'];
/** Classes whose instances are OS sockets (a class extending one is a socket too). */
export const SOCKET_CLASSES: readonly string[] = ['Socket', 'TLSSocket', 'Stream'];
/** tls.connect ignores it when given a socket: beside `socket` it means the call also dials. */
export const TLS_DIAL_OPTION = 'port';

/** Socket methods that return the socket itself, so a chain keeps denoting it. */
export const CHAINABLE_SOCKET_METHODS: readonly string[] = [
  'on', 'once', 'addListener', 'prependListener', 'prependOnceListener', 'setKeepAlive', 'setNoDelay',
  'setTimeout', 'setEncoding', 'connect', 'ref', 'unref', 'pause', 'resume', 'removeListener', 'off',
  'removeAllListeners', 'setMaxListeners', 'listen',
];
/** EventEmitter methods that add a listener; the first argument is the event name. */
export const LISTENER_METHODS: readonly string[] = ['on', 'once', 'addListener', 'prependListener', 'prependOnceListener'];
export const ERROR_EVENT = 'error';
/** The client socket's event once connected. */
export const CONNECT_EVENT = 'connect';
/** The socket type by its module, for a TS annotation the rewrite writes (`import('node:net').Socket`). */
export const SOCKET_TYPE = { module: 'node:net', name: 'Socket' } as const;
/** Calls that take a stream and handle its errors: stream.pipeline, stream.finished, events.once(s, 'error'). */
export const ERROR_HANDLING_CALLEES: readonly string[] = ['pipeline', 'finished', 'once'];
/** An http(s) request's members that are its socket (`req.socket`, the deprecated `req.connection`). */
export const REQUEST_SOCKET_MEMBERS: readonly string[] = ['socket', 'connection'];
/**
 * http(s) server events whose listener gets the socket of one request, as argument 1: 'upgrade'
 * (a protocol switch such as WebSocket) and 'connect' (an HTTP CONNECT tunnel). What is set on it
 * there covers those requests' sockets only, not every accepted socket.
 */
export const REQUEST_SOCKET_EVENTS: readonly string[] = ['upgrade', 'connect'];
export const REQUEST_SOCKET_ARG = 1;
/** The server event whose listener receives every accepted socket. */
export const CONNECTION_EVENTS: readonly string[] = ['connection', 'secureConnection'];
/**
 * Without type information, a connection listener on a receiver of unknown origin (express's
 * `app.listen()`, an injected server) is taken for a server's when the receiver's text names one.
 */
export const SERVER_RECEIVER = /server|srv/i;

/**
 * socket.setKeepAlive(enable = false, initialDelay = 0): the delay is applied in whole seconds
 * (ms / 1000 truncated); 0 means the OS default (tcp_keepalive_time, 7200 s on Linux).
 */
export const SET_KEEPALIVE = 'setKeepAlive';
export { MIN_USEFUL_DELAY_MS, OS_DEFAULT_IDLE_SECONDS } from './constants.js';

/** When engines.node is missing or unreadable: the oldest LTS line still in use. */
export const DEFAULT_MIN_NODE: Version = [18, 0];

/** Is a feature with this gate available on version v? */
export function availableOn(gate: VersionGate, v: Version): boolean {
  const sameLine = gate.find((g) => g[0] === v[0]);
  if (sameLine) return v[1] >= sameLine[1];
  const newest = Math.max(...gate.map((g) => g[0]));
  return v[0] > newest;
}

export function formatGate(gate: VersionGate): string {
  return gate.map((g) => `v${g[0]}.${g[1]}`).join(' / ');
}

/** For server.on('connection') on a server of unknown origin. */
export const CONNECTION_LISTENER_API: SocketCall = { module: 'net', name: 'on', construct: false, role: 'server', label: CONNECTION_LISTENER_LABEL, optionsArg: null, keepAliveOption: 'none', tls: false };

/** For socket.connect() on a net.Socket of unknown origin (a caller-supplied socket). */
export const SOCKET_CONNECT_API: SocketCall = { module: 'net', name: 'connect', construct: false, role: 'socket', label: SOCKET_CONNECT_LABEL, optionsArg: null, keepAliveOption: 'none', tls: false };

/**
 * Node's HTTP agents (http.Agent, https.Agent) with `keepAlive: true` set TCP keepalive on their
 * sockets: createSocket passes `keepAlive` and `keepAliveInitialDelay: keepAliveMsecs` on to
 * createConnection's options, and keepSocketAlive calls `socket.setKeepAlive(true,
 * keepAliveMsecs)` on every socket it keeps for reuse (Node 20's lib/_http_agent.js). Without the
 * option (the default of `new Agent()`) it does neither. The socket a subclass's createConnection
 * returns is such a socket; Node never calls connect() on it, and its http client adds an 'error'
 * listener to every socket a request runs on (tickOnSocket in lib/_http_client.js).
 */
export const AGENT_CLASSES: ReadonlyArray<{ module: NodeModule; name: string }> = [
  { module: 'http', name: 'Agent' },
  { module: 'https', name: 'Agent' },
];
/** The agent method whose returned socket the agent keeps. */
export const AGENT_SOCKET_METHODS: readonly string[] = ['createConnection'];
/**
 * A library's agent base class: a class named `Agent` from a package (not Node's, not the
 * project's) extends http.Agent and hands the agent the socket its subclass's connect(req, opts)
 * returns, so the same keepalive applies there. Known by its name only: without the base class's
 * code, a class of that name from another package is taken for one.
 */
export const LIBRARY_AGENT_CLASS = 'Agent';
export const LIBRARY_AGENT_SOCKET_METHODS: readonly string[] = ['connect', 'createConnection'];
/** The agent options: keepAlive (default false) and its delay, keepAliveMsecs (default 1000). */
export const AGENT_KEEPALIVE_OPTION = 'keepAlive';
export const AGENT_DELAY_OPTION = 'keepAliveMsecs';
export const AGENT_DEFAULT_DELAY_MS = 1000;
