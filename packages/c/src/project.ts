/**
 * Project-wide decisions from every file's facts: the keepalive state of each fd carrier computed
 * to a fixpoint across functions and files (function summaries: "returns a fresh socket",
 * "enables keepalive on parameter i", "only under a condition"), each site's TCP class decided
 * from its arguments or its callers, and the verdicts, fix targets and keepalive helpers.
 */
import path from 'node:path';
import type { Site, TcpClass, TuningOption, TuningValues } from '@ka-codemod/core';
import { isFlagged, relativePath } from '@ka-codemod/core';
import { KEEPALIVE_OPTION } from './api.js';
import type { CFixTarget, CKeepaliveHelper } from './contract.js';
import type { Carrier, CallFact, FileFacts, FunctionFact, KindAtom, OptionEvent, SiteFact } from './facts.js';
import { combineTcp, socketTcpClass } from './kinds.js';

/** no < conditional < yes: keepalive only ever grows while the fixpoint runs. */
type Level = 0 | 1 | 2;
const NO: Level = 0;
const CONDITIONAL: Level = 1;
const YES: Level = 2;

interface CarrierState {
  level: Level;
  /** `file function` places whose setsockopt calls give the level. */
  where: Set<string>;
  tuning: Set<TuningOption>;
  /** Keepalive comes from a table of configurable options. */
  dynamic: boolean;
  /** Keepalive is set under a configuration flag or argument somewhere on the way. */
  guarded: boolean;
  /** Some callers' paths set keepalive and others do not. */
  mixedPaths: boolean;
}

export interface ProjectDecision {
  sites: Site[];
  targets: CFixTarget[];
  keepaliveHelpers: CKeepaliveHelper[];
}

const MAX_CONTEXTS = 64;
const MAX_CALLER_DEPTH = 4;
const MAX_WHERE = 3;

/** Either branch combined over run-time paths: all yes, all no, or it depends. */
export function combinePaths(levels: readonly Level[]): Level {
  if (levels.length === 0) return NO;
  if (levels.every((l) => l === YES)) return YES;
  if (levels.every((l) => l === NO)) return NO;
  return CONDITIONAL;
}

/** `programs`: files that define main() (each is its own program for fixed descriptors like fd 0). */
export function decideProject(all: readonly FileFacts[], root: string, programs: ReadonlySet<string> = new Set()): ProjectDecision {
  return new ProjectModel(all, root, programs).decide();
}

class ProjectModel {
  private readonly sites: SiteFact[] = [];
  private readonly alias = new Map<Carrier, Carrier[]>();
  private readonly context = new Map<Carrier, Carrier[]>();
  private readonly preds = new Map<Carrier, Carrier[]>();
  private readonly events = new Map<Carrier, OptionEvent[]>();
  private readonly callsTo = new Map<string, CallFact[]>();
  private readonly functions = new Map<string, FunctionFact>();
  private readonly state = new Map<Carrier, CarrierState>();
  private readonly tableOptions = new Set<string>();
  private readonly tuningValues = new Map<Carrier, TuningValues>();
  private anyKeepalive = false;
  /** Site id -> the resolved key of its enclosing function. */
  private readonly functionKeyOf = new Map<string, string | null>();

  constructor(
    all: readonly FileFacts[],
    private readonly root: string,
    mainFiles: ReadonlySet<string>,
  ) {
    // a function name defined in several files (programs of one project, backup copies of a file):
    // every reference resolves to the nearest definition (same file, then the closest directory)
    const definitions = new Map<string, string[]>();
    const programs = new Set<string>(mainFiles); // files holding a main(): each is its own program
    for (const f of all) {
      for (const fn of f.functions) {
        push(definitions, fn.name, fn.path);
        if (fn.name === 'main') programs.add(fn.path);
      }
    }
    const fixedFds = new Set<Carrier>();
    const callbacks: Array<{ call: CallFact; at: string }> = [];
    const keys = new Map<string, string>();
    const key = (name: string, from: string): string => {
      const paths = definitions.get(name);
      if (!paths || paths.length <= 1 || paths.every((p) => p === paths[0])) return name;
      const cacheKey = `${name}\0${from}`;
      let k = keys.get(cacheKey);
      if (k === undefined) keys.set(cacheKey, (k = `${name}@${nearest([...new Set(paths)], from)}`));
      return k;
    };
    const carrier = (c: Carrier, from: string): Carrier => {
      // a fixed descriptor number (dup2 onto 0) is the same socket only within one program: the file
      // with the main() that uses it, or the files of its directory without a main()
      if (c.startsWith('D:')) {
        const scoped = `${c}@${programs.has(from) ? from : path.dirname(from)}`;
        fixedFds.add(scoped);
        return scoped;
      }
      const m = /^([PORL]):([^:]+)(.*)$/.exec(c);
      return m ? `${m[1]}:${key(m[2]!, from)}${m[3]}` : c;
    };
    for (const f of all) {
      const at = f.path;
      for (const site of f.sites) {
        const fnKey = site.function ? key(site.function, at) : null;
        const resolved: SiteFact = { ...site, dests: site.dests.map((d) => carrier(d, at)) };
        if (site.listener) resolved.listener = carrier(site.listener, at);
        this.functionKeyOf.set(site.id, fnKey);
        this.sites.push(resolved);
      }
      for (const e of f.edges) {
        const from = carrier(e.from, at);
        const to = carrier(e.to, at);
        push(e.kind === 'alias' ? this.alias : this.context, from, to);
        push(this.preds, to, from);
      }
      for (const ev of f.events) push(this.events, carrier(ev.carrier, at), ev);
      for (const c of f.calls) push(this.callsTo, key(c.callee, at), { ...c, caller: c.caller ? key(c.caller, at) : null });
      callbacks.push(...f.calls.filter((c) => c.argNames).map((c) => ({ call: c, at })));
      for (const fn of f.functions) {
        const k = key(fn.name, at);
        if (!this.functions.has(k)) this.functions.set(k, fn);
      }
      for (const t of f.tableOptions) this.tableOptions.add(t);
    }
    for (const s of this.sites) for (const d of s.dests) push(this.preds, d, `S:${s.id}`);
    // setsockopt wrappers whose option is a parameter: each call naming SO_KEEPALIVE (or a tuning
    // option) there sets it on the fd the call passes
    for (const evs of [...this.events.values()]) {
      for (const ev of evs) {
        if (ev.optionParam === undefined) continue;
        const m = /^P:(.+):(\d+)$/.exec(carrier(ev.carrier, ev.path));
        if (!m) continue;
        const fdIndex = Number(m[2]);
        for (const call of this.callsTo.get(m[1]!) ?? []) {
          const option = call.argOptions?.[ev.optionParam];
          const fd = call.argCarriers?.[fdIndex];
          if (!option || !fd) continue;
          const at = carrier(fd, call.path);
          const derived: OptionEvent = {
            carrier: at, kind: option === 'keepalive' ? 'keepalive' : 'tuning', conditional: ev.conditional || !!call.guarded,
            path: call.path, function: call.caller?.split('@')[0] ?? null, line: call.line,
          };
          if (option !== 'keepalive') derived.option = option;
          push(this.events, at, derived);
        }
      }
    }
    // a project function handed over as a callback next to an fd gets that fd in its descriptor
    // parameter when the loop calls it back (libevent's event_assign, libev's ev_io_init, ...)
    const linkCallback = (call: CallFact, at: string, k: number, fnKey: string) => {
      const fn = this.functions.get(fnKey);
      if (!fn || fn.fdParam === undefined) return;
      const target = `P:${fnKey}:${fn.fdParam}`;
      call.argCarriers!.forEach((carrier0, j) => {
        if (j === k || !carrier0) return;
        const from = carrier(carrier0, at);
        if (from.startsWith('G:') && this.functions.has(from.slice(2))) return;
        push(this.alias, from, target);
        push(this.preds, target, from);
      });
    };
    for (const { call, at } of callbacks) {
      call.argNames!.forEach((name, k) => {
        if (name) linkCallback(call, at, k, key(name, at));
      });
      // the callback is a parameter of the registering function: every function its callers hand
      // over in that position is called back with the fd (one level, as registrations are written)
      call.argParams?.forEach((param, k) => {
        if (param === null || !call.caller) return;
        for (const outer of this.callsTo.get(key(call.caller, at)) ?? []) {
          const name = outer.argNames?.[param];
          if (name) linkCallback(call, at, k, key(name, outer.path));
        }
      });
    }
    // a field read or written where the struct type is not in sight (`srv->conns[i].fd`) is the
    // typed field when only one struct type has a field of that name; with several it stays apart
    const typedVariants = new Map<string, Set<Carrier>>();
    const untyped = new Set<Carrier>();
    const noteField = (c: Carrier) => {
      if (!c.startsWith('F:')) return;
      const dot = c.indexOf('.');
      if (dot < 0) untyped.add(c);
      else {
        const plain = `F:${c.slice(dot + 1)}`;
        const set = typedVariants.get(plain) ?? new Set<Carrier>();
        set.add(c);
        typedVariants.set(plain, set);
      }
    };
    for (const [from, tos] of [...this.alias, ...this.context]) {
      noteField(from);
      for (const to of tos) noteField(to);
    }
    for (const c of this.events.keys()) noteField(c);
    for (const s of this.sites) {
      for (const d of s.dests) noteField(d);
      if (s.listener) noteField(s.listener);
    }
    for (const plain of untyped) {
      const variants = typedVariants.get(plain);
      if (variants?.size !== 1) continue;
      const typed = [...variants][0]!;
      for (const [from, to] of [[plain, typed], [typed, plain]] as const) {
        push(this.alias, from, to);
        push(this.preds, to, from);
      }
    }
    // a descriptor set up by a helper file (`dup2(conn, 0)` in server_mode.c) is configured by the
    // programs of its directory (`setsockopt(STDIN_FILENO, ...)` in main): one way, so two programs
    // of one directory never share their fd 0
    for (const c of fixedFds) {
      const [fd, scope] = c.split('@') as [string, string];
      if (!programs.has(scope)) continue;
      const shared = `${fd}@${path.dirname(scope)}`;
      push(this.alias, shared, c);
      push(this.preds, c, shared);
    }
  }

  decide(): ProjectDecision {
    this.runFixpoint();
    const tcp = new Map<string, { tcp: TcpClass; reason: string }>();
    const listeners = new Map<string, SiteFact[]>();
    for (const s of this.sites) if (s.call === 'socket') tcp.set(s.id, this.socketTcp(s));
    for (const s of this.sites) {
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
      const accept = this.sites.find((s) => s.id === acceptId)!;
      for (const l of ls) push(acceptsOf, l.id, accept);
    }

    const result: Site[] = [];
    const byId = new Map<string, Site>();
    for (const s of this.sites) {
      const { tcp: tcpClass, reason } = tcp.get(s.id)!;
      const own = this.ownState(s);
      let level = own.level;
      let how: string;
      const tuning = new Set(own.tuning);
      const values: TuningValues = { ...this.valuesOf(s.dests) };
      if (s.call === 'socket') {
        const accepts = (acceptsOf.get(s.id) ?? []).filter((a) => tcp.get(a.id)!.tcp !== 'no');
        how = this.describe(s, own, 'on this fd');
        if (level < YES && accepts.length > 0) {
          const acceptStates = accepts.map((a) => this.ownState(a));
          const covered = combinePaths(acceptStates.map((a) => a.level));
          if (covered > level) {
            level = covered;
            how = this.describe(s, merge(acceptStates), 'on every connection accepted from it');
          }
        }
      } else {
        const ls = (listeners.get(s.id) ?? []).filter((l) => tcp.get(l.id)!.tcp !== 'no');
        how = this.describe(s, own, 'on the accepted fd');
        if (level < YES && ls.length > 0) {
          const listenerStates = ls.map((l) => this.ownState(l));
          const inherited = combinePaths(listenerStates.map((l) => l.level));
          for (const st of listenerStates) for (const t of st.tuning) tuning.add(t);
          if (inherited > level) {
            level = inherited;
            how = this.describe(s, merge(listenerStates), 'on its listening socket (inherited by accepted connections on Linux)');
          }
        }
      }
      const keepalive = tcpClass === 'no' ? 'n/a' : level === YES ? 'yes' : level === CONDITIONAL ? 'conditional' : 'no';
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
      targets: this.targets(byId, listeners, tcp),
      keepaliveHelpers: this.helpers(),
    };
  }

  // ---- keepalive state of every carrier, to a fixpoint ------------------------------------------

  private runFixpoint(): void {
    const work: Carrier[] = [];
    for (const [carrier, evs] of this.events) {
      for (const ev of evs) if (ev.kind === 'keepalive') this.anyKeepalive = true;
      work.push(carrier);
    }
    const queued = new Set(work);
    let budget = 2_000_000;
    while (work.length > 0 && budget-- > 0) {
      const c = work.pop()!;
      queued.delete(c);
      if (this.recompute(c)) {
        for (const p of this.preds.get(c) ?? []) {
          if (!queued.has(p) && !p.startsWith('S:')) {
            queued.add(p);
            work.push(p);
          }
        }
      }
    }
  }

  private get(c: Carrier): CarrierState {
    return this.state.get(c) ?? { level: NO, where: new Set(), tuning: new Set(), dynamic: false, guarded: false, mixedPaths: false };
  }

  /** Re-derives one carrier from its own events and its successors; true when it grew. */
  private recompute(c: Carrier): boolean {
    const before = this.get(c);
    const next: CarrierState = { level: NO, where: new Set(), tuning: new Set(), dynamic: false, guarded: false, mixedPaths: false };
    for (const ev of this.events.get(c) ?? []) {
      if (ev.kind === 'tuning' && ev.option) {
        next.tuning.add(ev.option);
        if (ev.value !== undefined) this.noteValue(c, ev.option, ev.value);
        continue;
      }
      if (ev.kind === 'dynamic') {
        if (!this.tableOptions.has(KEEPALIVE_OPTION)) continue;
        for (const t of this.tableOptions) if (t !== KEEPALIVE_OPTION) next.tuning.add(t as TuningOption);
        next.dynamic = true;
      }
      const level = ev.conditional || ev.kind === 'dynamic' ? CONDITIONAL : YES;
      if (level > next.level) next.level = level;
      if (ev.conditional) next.guarded = true;
      addWhere(next.where, this.place(ev.path, ev.function));
    }
    for (const s of this.alias.get(c) ?? []) {
      const st = this.get(s);
      if (st.level > next.level) next.level = st.level;
      absorbEvidence(next, st);
    }
    const ctx = this.context.get(c) ?? [];
    if (ctx.length > 0) {
      const states = ctx.map((s) => this.get(s));
      const level = combinePaths(states.map((s) => s.level));
      if (level > next.level) next.level = level;
      if (level === CONDITIONAL && states.some((st) => st.level === YES) && states.some((st) => st.level === NO)) next.mixedPaths = true;
      for (const st of states) absorbEvidence(next, st);
    }
    const grew = next.level > before.level || next.tuning.size > before.tuning.size || next.where.size > before.where.size ||
      (next.dynamic && !before.dynamic) || (next.guarded && !before.guarded) || (next.mixedPaths && !before.mixedPaths);
    if (grew) {
      next.dynamic ||= before.dynamic;
      next.guarded ||= before.guarded;
      next.mixedPaths ||= before.mixedPaths;
      next.level = Math.max(next.level, before.level) as Level;
      for (const t of before.tuning) next.tuning.add(t);
      for (const w of before.where) addWhere(next.where, w);
      this.state.set(c, next);
    }
    return grew;
  }

  private noteValue(c: Carrier, option: TuningOption, value: number): void {
    const v = this.tuningValues.get(c) ?? {};
    if (option === 'TCP_KEEPIDLE' || option === 'TCP_KEEPALIVE') v.idleSeconds ??= value;
    if (option === 'TCP_KEEPINTVL') v.intervalSeconds ??= value;
    if (option === 'TCP_KEEPCNT') v.count ??= value;
    if (option === 'TCP_USER_TIMEOUT') v.userTimeoutMs ??= value;
    this.tuningValues.set(c, v);
  }

  private valuesOf(carriers: readonly Carrier[]): TuningValues {
    const out: TuningValues = {};
    const seen = new Set<Carrier>();
    const stack = [...carriers];
    while (stack.length > 0 && seen.size < 2000) {
      const c = stack.pop()!;
      if (seen.has(c)) continue;
      seen.add(c);
      Object.assign(out, { ...this.tuningValues.get(c), ...out });
      stack.push(...(this.alias.get(c) ?? []), ...(this.context.get(c) ?? []));
    }
    return out;
  }

  /** A site's own state: the best of the carriers its result goes to. */
  private ownState(s: SiteFact): CarrierState {
    return merge(s.dests.map((d) => this.get(d)));
  }

  // ---- TCP class ---------------------------------------------------------------------------------

  /** Decides socket(family, type, protocol), resolving parameters through every caller. */
  private socketTcp(s: SiteFact, acceptedOn = false): { tcp: TcpClass; reason: string } {
    const contexts = this.resolveParams([s.family, acceptedOn ? ['stream'] : s.type, s.protocol], this.functionKeyOf.get(s.id) ?? null, 0);
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
    const calls = fn ? this.callsTo.get(fn) ?? [] : [];
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

  // ---- listeners ---------------------------------------------------------------------------------

  private readonly reachCache = new Map<Carrier, { sites: SiteFact[]; open: boolean }>();

  /** Sockets whose fd can reach this carrier (an accept's listening fd). */
  private originsReaching(carrier: Carrier): SiteFact[] {
    return this.reach(carrier).sites;
  }

  /**
   * The sockets reaching a carrier, and whether the fd may also come from outside what the project
   * shows: a parameter of a function nobody in the project calls (a callback registered through a
   * table or a stored pointer), so the listeners found are not all of them.
   */
  private reach(carrier: Carrier): { sites: SiteFact[]; open: boolean } {
    const cached = this.reachCache.get(carrier);
    if (cached) return cached;
    const seen = new Set<Carrier>([carrier]);
    const stack = [carrier];
    const origins = new Set<string>();
    let open = false;
    while (stack.length > 0 && seen.size < 20_000) {
      const c = stack.pop()!;
      const preds = this.preds.get(c) ?? [];
      if (preds.length === 0 && c.startsWith('P:')) open = true;
      for (const p of preds) {
        if (p.startsWith('S:')) origins.add(p.slice(2));
        else if (!seen.has(p)) {
          seen.add(p);
          stack.push(p);
        }
      }
    }
    const found = { sites: this.sites.filter((s) => origins.has(s.id)), open };
    this.reachCache.set(carrier, found);
    return found;
  }

  // ---- output ------------------------------------------------------------------------------------

  private targets(byId: Map<string, Site>, listeners: Map<string, SiteFact[]>, tcp: Map<string, { tcp: TcpClass }>): CFixTarget[] {
    const targets = new Map<string, CFixTarget>();
    for (const s of this.sites) {
      const site = byId.get(s.id)!;
      if (!site.fixable) continue;
      let at = s;
      let reason = `${s.call} in ${s.function ?? 'top level'}`;
      if (s.call !== 'socket') {
        const ls = listeners.get(s.id) ?? [];
        const only = ls.length === 1 ? ls[0]! : null;
        const listenerSite = only ? byId.get(only.id) : undefined;
        if (only && listenerSite && only.function !== null && tcp.get(only.id)!.tcp !== 'no' && listenerSite.keepalive === 'no') {
          at = only;
          reason = `listener in ${only.function} covers the connections accepted from it`;
        }
      }
      const key = at.id;
      let target = targets.get(key);
      if (!target) {
        const atSite = byId.get(at.id)!;
        target = {
          path: at.path, callStartByte: at.callStartByte, callEndByte: at.callEndByte, function: at.function,
          tcp: atSite.tcp === 'yes' ? 'yes' : 'maybe', reason, covers: [],
        };
        targets.set(key, target);
      }
      if (at !== s) target.reason = reason;
      target.covers.push(site);
    }
    // a listener target that also covers the listener's own site says how many accepts it fixes
    for (const t of targets.values()) {
      const accepts = t.covers.filter((c) => c.call !== 'socket').length;
      if (accepts > 0 && t.covers.some((c) => c.call === 'socket')) t.reason = `listener in ${t.function} covers ${accepts} accept${accepts === 1 ? '' : 's'}`;
    }
    return [...targets.values()];
  }

  /** Project functions that set SO_KEEPALIVE on one of their parameters (directly or by passing it to one that does). */
  private helpers(): CKeepaliveHelper[] {
    const helpers = new Map<string, CKeepaliveHelper>();
    const consider = (carrier: Carrier, conditional: boolean): boolean => {
      const m = /^P:(.+):(\d+)$/.exec(carrier);
      if (!m) return false;
      const fn = this.functions.get(m[1]!);
      if (!fn) return false;
      const existing = helpers.get(m[1]!);
      if (existing && existing.fdParam === Number(m[2]) && (!existing.conditional || conditional)) return false;
      helpers.set(m[1]!, {
        name: fn.name, definedIn: fn.path, declaredIn: [], fdParam: Number(m[2]), arity: fn.arity,
        conditional, returns: fn.returns,
      });
      return true;
    };
    for (const [carrier, evs] of this.events) {
      const ka = evs.filter((e) => e.kind === 'keepalive');
      if (ka.length > 0) consider(carrier, ka.every((e) => e.conditional));
    }
    // wrappers that pass their parameter on to a helper
    for (let changed = true, rounds = 0; changed && rounds < 10; rounds++) {
      changed = false;
      for (const [from, tos] of this.alias) {
        if (!from.startsWith('P:')) continue;
        for (const to of tos) {
          const m = /^P:(.+):(\d+)$/.exec(to);
          const h = m ? helpers.get(m[1]!) : undefined;
          if (h && h.fdParam === Number(m![2]) && !helpers.has(from.split(':')[1]!)) changed = consider(from, h.conditional) || changed;
        }
      }
    }
    return [...helpers.values()];
  }

  private describe(s: SiteFact, st: CarrierState, what: string): string {
    const where = [...st.where].join(', ');
    if (st.level === YES) return `SO_KEEPALIVE is set ${what} in ${where}`;
    if (st.level === CONDITIONAL) {
      if (st.dynamic) return `SO_KEEPALIVE is set ${what} only when configured: option names come from a table applied in ${where}`;
      if (st.mixedPaths && !st.guarded) return `SO_KEEPALIVE is set ${what} on some callers' paths only, in ${where}`;
      if (st.mixedPaths) return `SO_KEEPALIVE is set ${what} only on some callers' paths and under a configuration flag, in ${where}`;
      return `SO_KEEPALIVE is set ${what} only under a configuration flag or argument, in ${where}`;
    }
    const here = this.place(s.path, s.function);
    return this.anyKeepalive
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

/** The path sharing the longest directory prefix with `from` (itself first). */
function nearest(paths: readonly string[], from: string): string {
  let best = paths[0]!;
  let bestScore = -1;
  for (const p of paths) {
    const score = p === from ? Number.MAX_SAFE_INTEGER : commonPrefix(path.dirname(p), path.dirname(from));
    if (score > bestScore) {
      best = p;
      bestScore = score;
    }
  }
  return best;
}

function commonPrefix(a: string, b: string): number {
  const x = a.split(path.sep);
  const y = b.split(path.sep);
  let i = 0;
  while (i < x.length && i < y.length && x[i] === y[i]) i++;
  return i;
}

function merge(states: readonly CarrierState[]): CarrierState {
  const out: CarrierState = { level: NO, where: new Set(), tuning: new Set(), dynamic: false, guarded: false, mixedPaths: false };
  for (const st of states) {
    if (st.level > out.level) out.level = st.level;
    if (st.level > NO) for (const w of st.where) addWhere(out.where, w);
    out.dynamic ||= st.dynamic;
    if (st.level > NO) {
      out.guarded ||= st.guarded;
      out.mixedPaths ||= st.mixedPaths;
    }
    for (const t of st.tuning) out.tuning.add(t);
  }
  return out;
}

/** Takes over where and how another carrier got keepalive (its level is combined by the caller), and its tuning. */
function absorbEvidence(into: CarrierState, from: CarrierState): void {
  if (from.level > NO) {
    for (const w of from.where) addWhere(into.where, w);
    into.dynamic ||= from.dynamic;
    into.guarded ||= from.guarded;
    into.mixedPaths ||= from.mixedPaths;
  }
  for (const t of from.tuning) into.tuning.add(t);
}

function addWhere(set: Set<string>, w: string): void {
  if (set.size < MAX_WHERE) set.add(w);
}

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}
