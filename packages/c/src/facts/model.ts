/**
 * The plain data one file contributes to the project-wide analysis. Trees are dropped once a
 * file's facts are extracted; everything after that (summaries, verdicts) works on these.
 */
import type { FileProblem, TuningOption } from '@ka-codemod/core';
import type { CreationCall } from '../libc.js';

/**
 * Where an fd can live, as a key: `L:fn:name` local, `P:fn:i` parameter, `R:fn` return value,
 * `O:fn:i` out-parameter (`*p = fd`), `F:name` struct field (by field name), `G:name` global,
 * `D:n` a fixed descriptor number (dup2 onto 0), `U:path|line|function|callee|field|i` argument i
 * of a call through a function pointer (resolved to the functions stored in that field, else code
 * the engine cannot follow), `X` dropped (the value is not kept).
 */
export type Carrier = string;

/**
 * What an argument expression says about a socket's kind: `inet`, `nonInet`, `unspec`, `stream`,
 * `nonStream`, `tcpProto`, `nonTcpProto`, `num:N`, `param:i` (decided by callers), `unknown`.
 */
export type KindAtom = string;

export interface FunctionFact {
  name: string;
  /** Absolute path of the defining file. */
  path: string;
  line: number;
  arity: number;
  returns: 'int' | 'void' | 'unknown';
  /** The first parameter that looks like a descriptor (`int fd`, `evutil_socket_t sock`), for callbacks. */
  fdParam?: number;
}

export interface SiteFact {
  id: string;
  path: string;
  line: number;
  column: number;
  /** Just past the end of the call's name (Site.endLine/endColumn). */
  endLine: number;
  endColumn: number;
  call: CreationCall;
  function: string | null;
  callStartByte: number;
  callEndByte: number;
  /** The project macro the call was written with, when it was not the libc name. */
  viaMacro?: string;
  family: KindAtom[];
  type: KindAtom[];
  protocol: KindAtom[];
  /** How the kind was decided, for `how` ("getaddrinfo hints", "family filter loop"). */
  kindNotes: string[];
  /** accept/accept4: where the listening fd comes from. */
  listener?: Carrier;
  /** accept/accept4: the peer-address buffer is a `struct sockaddr_un` (by type or size), so the listener is unix-domain. */
  unixPeer?: boolean;
  /** Where the returned fd goes (usually one carrier). */
  dests: Carrier[];
  /** When the fd is stored in a field: the object holding it (`c` in `c->fd = socket(...)`). */
  destHolder?: Carrier;
}

export type EdgeKind = 'alias' | 'context';

/** fd flow: `from` holds the same socket as `to` (alias), or `to` is one caller's copy of a return value (context). */
export interface FlowEdge {
  from: Carrier;
  to: Carrier;
  kind: EdgeKind;
  /** When `from` is a field read: the object it is read from (`c` in `x = c->fd`). */
  fromHolder?: Carrier;
  /** When `to` is a field stored into: the object holding it (`c` in `c->fd = x`). */
  toHolder?: Carrier;
}

export interface OptionEvent {
  carrier: Carrier;
  /** `dynamic`: the option name comes from data (a table of configurable options). */
  kind: 'keepalive' | 'tuning' | 'dynamic';
  option?: TuningOption;
  /** Guarded by a configuration flag or argument. */
  conditional: boolean;
  /** A setsockopt wrapper: the option name is this parameter (each call decides what is set). */
  optionParam?: number;
  value?: number;
  /** When the fd is a field: the object it is read from (`c` in `setsockopt(c->fd, ...)`). */
  holder?: Carrier;
  path: string;
  function: string | null;
  line: number;
}

export interface CallFact {
  callee: string;
  caller: string | null;
  path: string;
  line: number;
  /** Kind atoms of each argument, for deciding a callee's parameters from its callers. */
  args: KindAtom[][];
  /** Per argument: the carrier it reads, and the bare identifier it is (a callback candidate). */
  argCarriers?: Array<Carrier | null>;
  argNames?: Array<string | null>;
  /** Per argument: the caller's parameter index when the argument is a bare parameter (a forwarded callback). */
  argParams?: Array<number | null>;
  /** Per argument: the socket option it names (`SO_KEEPALIVE` -> keepalive), for setsockopt wrappers. */
  argOptions?: Array<'keepalive' | TuningOption | null>;
  /** The call sits under a configuration condition. */
  guarded?: boolean;
}

export interface FileFacts {
  path: string;
  functions: FunctionFact[];
  sites: SiteFact[];
  edges: FlowEdge[];
  events: OptionEvent[];
  calls: CallFact[];
  /** `[field, function]`: a project function stored in a field (`.setup = tcp_setup`), a target of calls through it. */
  fieldFunctions?: Array<[string, string]>;
  /** SO_KEEPALIVE / tuning names listed in data (option tables), which `dynamic` setsockopt calls may apply. */
  tableOptions: string[];
  problems: FileProblem[];
}
