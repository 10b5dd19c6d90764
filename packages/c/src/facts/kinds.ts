/**
 * Socket kind from constants: what an `AF_*`, `SOCK_*` or `IPPROTO_*` name, a number or a
 * project macro says about a socket's family, type and protocol, and the TCP class that follows.
 */
import type { TcpClass } from '@ka-codemod/core';
import {
  INET_FAMILIES, NON_INET_FAMILIES, NON_STREAM_TYPES, NON_TCP_PROTOCOLS, STREAM_TYPES, TCP_PROTOCOLS,
  TYPE_FLAGS, UNSPEC_FAMILIES,
} from '../libc.js';
import { splitTopLevel } from '../macros.js';
import type { KindAtom } from './model.js';

/** The atom a well-known constant name stands for, or null. */
export function constantAtom(name: string): KindAtom | null {
  if (INET_FAMILIES.includes(name)) return 'inet';
  if (NON_INET_FAMILIES.includes(name)) return 'nonInet';
  if (UNSPEC_FAMILIES.includes(name)) return 'unspec';
  if (STREAM_TYPES.includes(name)) return 'stream';
  if (NON_STREAM_TYPES.includes(name)) return 'nonStream';
  if (TYPE_FLAGS.includes(name)) return 'flag';
  if (TCP_PROTOCOLS.includes(name)) return 'tcpProto';
  if (NON_TCP_PROTOCOLS.includes(name)) return 'nonTcpProto';
  return null;
}

/** Atoms of a macro body or macro argument text such as `SOCK_STREAM | SOCK_CLOEXEC` or `(AF_INET)`. */
export function textAtoms(text: string, constants: ReadonlyMap<string, string>, depth = 0): KindAtom[] {
  if (depth > 8) return ['unknown'];
  let t = text.trim();
  while (t.startsWith('(') && t.endsWith(')')) t = t.slice(1, -1).trim();
  const parts = t.split('|').map((p) => p.trim().replace(/^\(+|\)+$/g, '').trim());
  if (parts.length > 1) return orAtoms(parts.map((p) => textAtoms(p, constants, depth + 1)));
  if (/^\d+$/.test(t)) return [`num:${Number(t)}`];
  if (/^[A-Za-z_]\w*$/.test(t)) {
    const atom = constantAtom(t);
    if (atom) return [atom];
    const body = constants.get(t);
    if (body !== undefined && body !== t) return textAtoms(body, constants, depth + 1);
  }
  if (splitTopLevel(t).length > 1) return ['unknown'];
  return ['unknown'];
}

/**
 * Atoms of `a | b | ...`: a socket type is one type OR'ed with flags (two types OR'ed make no
 * type), so when a part names a type (`SOCK_STREAM`), the parts that name none
 * (`SOCK_NOSIGPIPE_OR_ZERO`, a project flag macro, a caller's flag word, 0) are flags.
 */
export function orAtoms(parts: KindAtom[][]): KindAtom[] {
  const isType = (a: KindAtom) => a === 'stream' || a === 'nonStream';
  if (!parts.some((p) => p.length > 0 && p.every(isType))) return union(parts);
  return union(parts.map((p) => (p.some(isType) ? p : ['flag'])));
}

export function union(lists: KindAtom[][]): KindAtom[] {
  const out = new Set<KindAtom>();
  for (const list of lists) for (const a of list) out.add(a);
  if (out.size > 1) out.delete('flag');
  return [...out];
}

type Axis = 'family' | 'type' | 'protocol';

/** Linux numbers people write instead of the names. */
const NUMBERS: Record<Axis, Record<number, KindAtom>> = {
  family: { 1: 'nonInet', 2: 'inet', 10: 'inet', 16: 'nonInet', 17: 'nonInet', 0: 'unspec' },
  type: { 1: 'stream', 2: 'nonStream', 3: 'nonStream', 5: 'nonStream' },
  protocol: { 0: 'tcpProto', 6: 'tcpProto', 17: 'nonTcpProto', 132: 'nonTcpProto' },
};

/** 'yes' when every atom fits TCP on this axis, 'no' when none can, else 'maybe'. */
export function axisClass(atoms: readonly KindAtom[], axis: Axis): TcpClass {
  if (atoms.length === 0) return axis === 'protocol' ? 'yes' : 'maybe';
  let yes = 0;
  let no = 0;
  for (const raw of atoms) {
    // a number no table names (a project's own `AF_UNKNOWN 255`) says nothing about the kind
    const atom = raw.startsWith('num:') ? (NUMBERS[axis][Number(raw.slice(4))] ?? (axis === 'type' ? 'nonInet' : 'unknown')) : raw;
    if (atom === 'flag') continue;
    const fits =
      axis === 'family' ? atom === 'inet' || atom === 'unspec' : axis === 'type' ? atom === 'stream' : atom === 'tcpProto';
    const misfits =
      axis === 'family' ? atom === 'nonInet' : axis === 'type' ? atom === 'nonStream' : atom === 'nonTcpProto';
    if (fits) yes++;
    else if (misfits) no++;
    else if (axis === 'protocol') yes++; // an unknown protocol with a stream type is TCP in practice
  }
  const total = atoms.filter((a) => a !== 'flag').length;
  if (total === 0) return axis === 'protocol' ? 'yes' : 'maybe';
  if (yes === total) return 'yes';
  if (no === total) return 'no';
  return 'maybe';
}

/** TCP class of a socket() call from its three arguments' atoms (no parameters left). */
export function socketTcpClass(family: readonly KindAtom[], type: readonly KindAtom[], protocol: readonly KindAtom[]): TcpClass {
  const classes = [axisClass(family, 'family'), axisClass(type, 'type'), axisClass(protocol, 'protocol')];
  if (classes.includes('no')) return 'no';
  if (classes.every((c) => c === 'yes')) return 'yes';
  return 'maybe';
}

/** Combines the classes of several run-time paths (callers, listeners). */
export function combineTcp(classes: readonly TcpClass[]): TcpClass {
  if (classes.length === 0) return 'maybe';
  if (classes.every((c) => c === 'yes')) return 'yes';
  if (classes.every((c) => c === 'no')) return 'no';
  return 'maybe';
}
