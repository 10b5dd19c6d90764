/**
 * Which project functions the next prefilter round must look for, decided from the facts so far
 * (demand-driven, so the rest of the project is never parsed):
 * - callers of a function whose summary needs its callers: it returns a socket (or hands one out
 *   through an out-parameter), or one of its parameters matters (keepalive is set on it, it is
 *   accepted on, it decides a socket's family or type) — and, transitively, callers of functions
 *   passing their own parameter on to such a parameter;
 * - callers of a function that sets keepalive through a field of its parameter (`c->fd`) while
 *   sockets are stored into that field through other objects, and transitively, so that the
 *   objects reaching it are known;
 * - definitions of functions a socket is passed to that have not been read yet;
 * - the files storing functions in a field a socket is passed through (`ops->setup(fd)`).
 */
import { SYSTEM_FD_CALLS } from './libc.js';
import type { CallFact, Carrier, FileFacts, FlowEdge } from './facts/model.js';

export interface Demand {
  /** Functions whose callers must be read: files calling them are parsed next. */
  callersOf: string[];
  /** Functions a socket is passed to whose definition has not been read yet: only their defining files are parsed next. */
  definitionsOf: string[];
  /** Fields called through (`ops->setup(fd)`) with a socket: files storing functions in them are parsed next. */
  fieldsCalled: string[];
}

/**
 * The demand of the facts so far, kept round after round: each round's new facts are added once
 * (the flow edges, definitions, events and sites they hold), and only what depends on all of them
 * together is worked out again for each round's demand.
 */
export class Relevance {
  private readonly alias = new Map<Carrier, Carrier[]>();
  private readonly defined = new Set<string>();
  /** Parameters that matter by their own facts (events, sites), in the order the facts came. */
  private readonly params = new Set<Carrier>();
  private readonly starts: Carrier[] = [];
  private readonly fieldEvents: Array<[Carrier, Carrier]> = [];
  private readonly holderStores: FlowEdge[] = [];
  /** Objects sockets are stored into each field through, by the sites themselves. */
  private readonly siteHolders = new Map<Carrier, Set<Carrier>>();
  /** Calls that hand functions over as values (callbacks). */
  private readonly handing: CallFact[] = [];
  private readonly fieldFunctions: Array<[string, string]> = [];

  add(facts: readonly FileFacts[]): void {
    for (const f of facts) {
      for (const fn of f.functions) this.defined.add(fn.name);
      for (const e of f.edges) {
        const list = this.alias.get(e.from);
        if (list) list.push(e.to);
        else this.alias.set(e.from, [e.to]);
      }
      for (const ev of f.events) {
        if (ev.carrier.startsWith('P:')) this.params.add(ev.carrier);
        if (ev.holder?.startsWith('P:') && ev.kind !== 'tuning') this.fieldEvents.push([ev.carrier, ev.holder]);
      }
      for (const e of f.edges) if (e.toHolder) this.holderStores.push(e);
      for (const s of f.sites) if (s.destHolder && s.dests[0]) addHolder(this.siteHolders, s.dests[0], s.destHolder);
      for (const s of f.sites) {
        this.starts.push(...s.dests);
        if (s.listener?.startsWith('P:')) this.params.add(s.listener);
        for (const atom of [...s.family, ...s.type, ...s.protocol]) {
          if (atom.startsWith('param:') && s.function) this.params.add(`P:${s.function}:${atom.slice(6)}`);
        }
      }
      for (const c of f.calls) if (c.argNames) this.handing.push(c);
      for (const pair of f.fieldFunctions ?? []) this.fieldFunctions.push(pair);
    }
  }

  demand(): Demand {
    const { alias, defined } = this;
    const interestingParams = new Set(this.params);
    const storedThrough = new Map([...this.siteHolders].map(([field, holders]) => [field, new Set(holders)]));
    // keepalive set through a field of a parameter (`setsockopt(c->fd, ...)`) while sockets are
    // stored into that field through other objects: the callers show which objects reach it (holders)
    const carrying = socketCarriers(this.starts, alias);
    for (const e of this.holderStores) if (carrying.has(e.from)) addHolder(storedThrough, e.to, e.toHolder!);
    for (const [field, holder] of this.fieldEvents) {
      if ([...(storedThrough.get(field) ?? [])].some((h) => h !== holder)) interestingParams.add(holder);
    }
    // parameters passed on to an interesting parameter are interesting too: a worklist over the
    // parameters that pass on to each carrier, not passes over every edge until none adds one
    const passedOnBy = new Map<Carrier, Carrier[]>();
    for (const [from, tos] of alias) {
      if (!from.startsWith('P:')) continue;
      for (const to of tos) {
        const list = passedOnBy.get(to);
        if (list) list.push(from);
        else passedOnBy.set(to, [from]);
      }
    }
    const work = [...interestingParams];
    while (work.length > 0) {
      for (const from of passedOnBy.get(work.pop()!) ?? []) {
        if (interestingParams.has(from)) continue;
        interestingParams.add(from);
        work.push(from);
      }
    }
    const wanted = new Set<string>();
    const undefinedCallees = new Set<string>();
    const fieldsCalled = new Set<string>();
    for (const p of interestingParams) wanted.add(functionOf(p));
    // a function whose parameter matters, handed over as a callback: the registering function may
    // pass it on to the event loop next to the fd (`watch_all(&listeners, on_accept)`), so read it
    for (const c of this.handing) {
      if (!c.argNames!.some((n) => n !== null && wanted.has(n))) continue;
      if (!defined.has(c.callee) && !SYSTEM_FD_CALLS.has(c.callee)) undefinedCallees.add(c.callee);
    }
    // where the sockets go
    for (const c of carrying) {
      if (c.startsWith('R:') || c.startsWith('O:')) wanted.add(functionOf(c));
      if (c.startsWith('U:')) {
        const field = c.split('|')[4];
        if (field) fieldsCalled.add(field);
      }
      if (c.startsWith('P:') && !defined.has(functionOf(c)) && !SYSTEM_FD_CALLS.has(functionOf(c))) undefinedCallees.add(functionOf(c));
    }
    // the functions stored in a field called through with a socket are its targets: read them
    for (const [field, name] of this.fieldFunctions) {
      if (fieldsCalled.has(field) && !defined.has(name)) undefinedCallees.add(name);
    }
    wanted.delete('');
    undefinedCallees.delete('');
    return { callersOf: [...wanted], definitionsOf: [...undefinedCallees], fieldsCalled: [...fieldsCalled].sort() };
  }
}

function addHolder(storedThrough: Map<Carrier, Set<Carrier>>, field: Carrier, holder: Carrier): void {
  if (!field.startsWith('F:')) return;
  const set = storedThrough.get(field) ?? new Set<Carrier>();
  set.add(holder);
  storedThrough.set(field, set);
}

/** Carriers a socket's fd can flow to (locals, parameters, fields ...), from where sites put it. */
function socketCarriers(starts: readonly Carrier[], alias: ReadonlyMap<Carrier, Carrier[]>): Set<Carrier> {
  const seen = new Set<Carrier>();
  const stack = [...starts];
  while (stack.length > 0 && seen.size < 100_000) {
    const c = stack.pop()!;
    if (seen.has(c)) continue;
    seen.add(c);
    for (const next of alias.get(c) ?? []) stack.push(next);
  }
  return seen;
}

function functionOf(carrier: Carrier): string {
  return carrier.split(':')[1] ?? '';
}
