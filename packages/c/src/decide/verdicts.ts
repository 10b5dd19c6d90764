/**
 * Project-wide decisions from every file's facts: each site's TCP class decided from its arguments
 * or its callers, an accept's listeners, and the keepalive verdict and `how` of every site from
 * the fixpoint over the flow graph (a listener's verdict covers the connections accepted from it,
 * an accept inherits its listener's).
 */
import type { Site, TcpClass, TuningValues } from '@ka-codemod/core';
import { isFlagged, relativePath } from '@ka-codemod/core';
import type { CFixTarget, CKeepaliveHelper } from '../contract.js';
import type { Carrier, FileFacts, KindAtom, SiteFact } from '../facts/model.js';
import { combineTcp, socketTcpClass } from '../facts/kinds.js';
import { CONDITIONAL, KeepaliveFixpoint, YES, combinePaths, fieldLabel, merge, type CarrierState } from './fixpoint.js';
import { FlowGraph, push } from './graph.js';
import { fixTargets, keepaliveHelpers } from './targets.js';
import { buildUnitOf } from '../projects.js';

export interface ProjectDecision {
  sites: Site[];
  targets: CFixTarget[];
  keepaliveHelpers: CKeepaliveHelper[];
}

const MAX_CONTEXTS = 64;
const MAX_CALLER_DEPTH = 4;

/** `programs`: files that define main() (each is its own program for fixed descriptors like fd 0). */
export function decideProject(all: readonly FileFacts[], root: string, programs: ReadonlySet<string> = new Set(), interposers: ReadonlyMap<string, string> = new Map()): ProjectDecision {
  return new FlowModel(all, root, programs, interposers).decide();
}

class FlowModel {
  private readonly g: FlowGraph;
  private readonly keepalive: KeepaliveFixpoint;

  constructor(all: readonly FileFacts[], private readonly root: string, mainFiles: ReadonlySet<string>, interposers: ReadonlyMap<string, string>) {
    this.g = new FlowGraph(all, mainFiles, interposers.size > 0 ? { calls: interposers, unitOf: (file) => buildUnitOf(root, file) } : undefined);
    this.keepalive = new KeepaliveFixpoint(this.g, (file, fn) => this.place(file, fn));
  }

  decide(): ProjectDecision {
    this.keepalive.run();
    const tcp = new Map<string, { tcp: TcpClass; reason: string }>();
    const listeners = new Map<string, SiteFact[]>();
    for (const s of this.g.sites) if (s.call === 'socket') tcp.set(s.id, this.socketTcp(s));
    for (const s of this.g.sites) {
      if (s.call === 'socket') continue;
      const reached = s.listener ? this.reach(s.listener) : { sites: [], open: true };
      const ls = reached.sites.filter((o) => o.call === 'socket');
      listeners.set(s.id, ls);
      // accept() only works on a connection-oriented socket: whatever type the listener's code
      // could have had, the one accepted on is a stream, so only its family (and protocol) decide
      const classes = ls.map((l) => this.socketTcp(l, true).tcp);
      let cls = ls.length === 0 ? 'maybe' : combineTcp(classes);
      let reason = ls.length === 0 ? 'listener not found in the project' : cls === 'no' ? 'its listener is not TCP' : 'accepted from a TCP listener';
      // the non-TCP listeners found are not the only ones: the fd also arrives through a function
      // no visible code calls, which may hand it a TCP listener
      if (cls === 'no' && reached.open) {
        cls = 'maybe';
        reason = 'some listeners are not TCP, others reach it through callers not visible in the project';
      }
      // the listeners found are a mix (one struct field holds every transport's socket), but the
      // code accepts into a unix-domain address: it is written for a unix-domain listener
      if (cls === 'maybe' && s.unixPeer) {
        cls = 'no';
        reason = 'its peer address buffer is a struct sockaddr_un, so it accepts on a unix-domain listener';
      }
      tcp.set(s.id, { tcp: cls, reason });
    }

    const acceptsOf = new Map<string, SiteFact[]>();
    for (const [acceptId, ls] of listeners) {
      const accept = this.g.sites.find((s) => s.id === acceptId)!;
      for (const l of ls) push(acceptsOf, l.id, accept);
    }

    const result: Site[] = [];
    const byId = new Map<string, Site>();
    for (const s of this.g.sites) {
      const { tcp: tcpClass, reason } = tcp.get(s.id)!;
      const own = this.keepalive.ownState(s);
      let level = own.level;
      let how: string;
      const tuning = new Set(own.tuning);
      const values: TuningValues = { ...this.keepalive.valuesOf(s.dests) };
      if (s.call === 'socket') {
        const accepts = (acceptsOf.get(s.id) ?? []).filter((a) => tcp.get(a.id)!.tcp !== 'no');
        how = this.describe(s, own, 'on this fd');
        if (level < YES && accepts.length > 0) {
          const acceptStates = accepts.map((a) => this.keepalive.ownState(a));
          const covered = combinePaths(acceptStates.map((a) => a.level));
          if (covered > level) {
            level = covered;
            how = this.describe(s, merge(acceptStates), 'on every connection accepted from it');
          }
        }
      } else {
        const ls = (listeners.get(s.id) ?? []).filter((l) => tcp.get(l.id)!.tcp !== 'no');
        how = this.describe(s, own, 'on the accepted fd');
        if (level < YES && ls.length > 0 && s.listener) {
          // what the listening socket got on its way here (in the function that created it, and in
          // the callers it passed through to this accept), and where it goes from here; not what
          // other uses of a shared creating function do with their sockets
          const path = this.reach(s.listener).path;
          const after = this.keepalive.get(s.listener);
          const listenerStates = ls.map((l) => merge([this.keepalive.eventState(this.pathFrom(l, path)), after]));
          const inherited = combinePaths(listenerStates.map((l) => l.level));
          for (const st of listenerStates) for (const t of st.tuning) tuning.add(t);
          if (inherited > level) {
            level = inherited;
            how = this.describe(s, merge(listenerStates), 'on its listening socket (inherited by accepted connections on Linux)');
          }
        }
      }
      let keepalive: Site['keepalive'] = tcpClass === 'no' ? 'n/a' : level === YES ? 'yes' : level === CONDITIONAL ? 'conditional' : 'no';
      // no keepalive seen, but the fd is handed to code the engine cannot follow, in a project
      // that does set keepalive somewhere: it cannot tell
      const escape = keepalive === 'no' && this.indirectKeepalive() ? this.escapeOf(s, listeners.get(s.id) ?? []) : null;
      if (escape) {
        keepalive = 'unknown';
        how = `no SO_KEEPALIVE seen ${s.call === 'socket' ? 'on this fd' : 'on the accepted fd'}, but it is passed to ${escape}, which the engine cannot follow`;
      }
      if (tcpClass === 'no') how = `not TCP: ${reason}${s.kindNotes.length ? ` (${s.kindNotes.join(', ')})` : ''}`;
      else if (s.kindNotes.length) how = `${s.kindNotes.join(', ')}; ${how}`;
      const site: Site = {
        file: this.rel(s.path),
        line: s.line,
        column: s.column,
        endLine: s.endLine,
        endColumn: s.endColumn,
        language: 'c',
        call: s.call,
        function: s.function,
        tcp: tcpClass,
        keepalive,
        how,
        tuning: [...tuning].sort(),
        errorHandler: 'n/a',
        fixable: false,
      };
      site.fixable = isFlagged(site) && s.function !== null;
      if (tcpClass !== 'no' && Object.keys(values).length > 0) site.tuningValues = values;
      if (s.viaMacro) site.notes = [`written with the project macro ${s.viaMacro}`];
      result.push(site);
      byId.set(s.id, site);
    }
    return {
      sites: result,
      targets: fixTargets(this.g, byId, listeners, tcp),
      keepaliveHelpers: keepaliveHelpers(this.g),
    };
  }

  /** Decides socket(family, type, protocol), resolving parameters through every caller. */
  private socketTcp(s: SiteFact, acceptedOn = false): { tcp: TcpClass; reason: string } {
    const contexts = this.resolveParams([s.family, acceptedOn ? ['stream'] : s.type, s.protocol], this.g.functionKeyOf.get(s.id) ?? null, 0);
    const classes = contexts.map(([f, t, p]) => socketTcpClass(f ?? [], t ?? [], p ?? []));
    const tcp = combineTcp(classes);
    const dependsOnCallers = [s.family, s.type, s.protocol].some((atoms) => atoms.some((a) => a.startsWith('param:')));
    let reason = dependsOnCallers ? `family/type come from the callers of ${s.function}` : 'family/type arguments';
    if (tcp === 'no') reason = dependsOnCallers ? `every caller of ${s.function} passes a non-TCP family or type` : 'non-TCP family, type or protocol';
    return { tcp, reason };
  }

  private resolveParams(triple: KindAtom[][], fn: string | null, depth: number): KindAtom[][][] {
    const hasParam = triple.some((atoms) => atoms.some((a) => a.startsWith('param:')));
    if (!hasParam) return [triple];
    const calls = fn ? this.g.callsTo.get(fn) ?? [] : [];
    if (calls.length === 0 || depth >= MAX_CALLER_DEPTH) return [triple.map((atoms) => atoms.map((a) => (a.startsWith('param:') ? 'unknown' : a)))];
    const out: KindAtom[][][] = [];
    for (const call of calls) {
      const substituted = triple.map((atoms) =>
        [...new Set(atoms.flatMap((a) => (a.startsWith('param:') ? call.args[Number(a.slice(6))] ?? ['unknown'] : [a])))],
      );
      out.push(...this.resolveParams(substituted, call.caller, depth + 1));
      if (out.length >= MAX_CONTEXTS) break;
    }
    return out;
  }

  private indirectOnly: boolean | undefined;

  /**
   * Does the project set keepalive in a function nothing calls directly (reached through a
   * function pointer: an ops table, a registered callback)? Only then can an fd handed to an
   * indirect call get keepalive where the engine does not look.
   */
  private indirectKeepalive(): boolean {
    if (this.indirectOnly !== undefined) return this.indirectOnly;
    this.indirectOnly = false;
    for (const evs of this.g.events.values()) {
      for (const ev of evs) {
        if (ev.kind === 'tuning' || !ev.function || ev.function === 'main') continue;
        const fn = this.g.keyOf(ev.function, ev.path);
        if ((this.g.callsTo.get(fn) ?? []).length === 0 && !this.g.handedOver.has(fn)) this.indirectOnly = true;
      }
    }
    return this.indirectOnly;
  }

  /**
   * Where a socket's fd (or, for an accept, its listener's) is handed to a call through a function
   * pointer: the first escape carrier its flow reaches, described, or null.
   */
  private escapeOf(s: SiteFact, listeners: readonly SiteFact[]): string | null {
    const start = [...s.dests, ...listeners.flatMap((l) => l.dests)];
    const seen = new Set<Carrier>(start);
    const stack = [...start];
    while (stack.length > 0 && seen.size < 5000) {
      const c = stack.pop()!;
      if (c.startsWith('U:') && !this.g.resolvedEscapes.has(c)) {
        const [file, line, fn, callee] = c.slice(2).split('|') as [string, string, string, string];
        return `the indirect call \`${callee}(...)\` in ${this.rel(file)} ${fn || '(top level)'} (line ${line})`;
      }
      for (const next of [...(this.g.alias.get(c) ?? []), ...(this.g.context.get(c) ?? [])]) {
        if (!seen.has(next)) {
          seen.add(next);
          stack.push(next);
        }
      }
    }
    return null;
  }

  /** The carriers of `path` (towards one accept) that a listener's fd passes through. */
  private pathFrom(listener: SiteFact, path: ReadonlySet<Carrier>): Set<Carrier> {
    const seen = new Set<Carrier>();
    const stack = listener.dests.filter((d) => path.has(d));
    while (stack.length > 0) {
      const c = stack.pop()!;
      if (seen.has(c)) continue;
      seen.add(c);
      for (const next of [...(this.g.alias.get(c) ?? []), ...(this.g.context.get(c) ?? [])]) if (path.has(next) && !seen.has(next)) stack.push(next);
    }
    return seen;
  }

  private readonly reachCache = new Map<Carrier, { sites: SiteFact[]; open: boolean; path: Set<Carrier> }>();


  /**
   * The sockets reaching a carrier, and whether the fd may also come from outside what the project
   * shows: a parameter of a function nobody in the project calls (a callback registered through a
   * table or a stored pointer), so the listeners found are not all of them.
   */
  private reach(carrier: Carrier): { sites: SiteFact[]; open: boolean; path: Set<Carrier> } {
    const cached = this.reachCache.get(carrier);
    if (cached) return cached;
    const seen = new Set<Carrier>([carrier]);
    const stack = [carrier];
    const origins = new Set<string>();
    let open = false;
    while (stack.length > 0 && seen.size < 20_000) {
      const c = stack.pop()!;
      const preds = this.g.preds.get(c) ?? [];
      if (preds.length === 0 && c.startsWith('P:')) open = true;
      for (const p of preds) {
        if (p.startsWith('S:')) origins.add(p.slice(2));
        else if (!seen.has(p)) {
          seen.add(p);
          stack.push(p);
        }
      }
    }
    const found = { sites: this.g.sites.filter((s) => origins.has(s.id)), open, path: seen };
    this.reachCache.set(carrier, found);
    return found;
  }

  private describe(s: SiteFact, st: CarrierState, what: string): string {
    const where = [...st.where].join(', ') + (st.via && !st.weak ? ` (via ${st.via})` : '');
    if (st.level === YES) return `SO_KEEPALIVE is set ${what} in ${where}`;
    if (st.level === CONDITIONAL) {
      if (st.dynamic) return `SO_KEEPALIVE is set ${what} only when configured: option names come from a table applied in ${where}`;
      if (st.weak && !st.guarded && !st.mixedPaths) {
        return `SO_KEEPALIVE is set ${what} through field \`${fieldLabel(st.weak)}\` of another object in ${where} (this socket's holder is not seen to reach it): conditional`;
      }
      if (st.mixedPaths && !st.guarded) return `SO_KEEPALIVE is set ${what} on some paths only (some callers or call targets set it, others do not), in ${where}`;
      if (st.mixedPaths) return `SO_KEEPALIVE is set ${what} only on some callers' paths and under a configuration flag, in ${where}`;
      return `SO_KEEPALIVE is set ${what} only under a configuration flag or argument, in ${where}`;
    }
    const here = this.place(s.path, s.function);
    return this.keepalive.anyKeepalive
      ? `no SO_KEEPALIVE ${what} in ${here} or in the functions and callers the fd flows to`
      : `no SO_KEEPALIVE ${what} in ${here}; the project never sets SO_KEEPALIVE`;
  }

  private place(file: string, fn: string | null): string {
    return `${this.rel(file)} ${fn ?? '(top level)'}`;
  }

  private rel(file: string): string {
    return relativePath(this.root, file);
  }
}
