/**
 * The project's flow graph, joined from every file's facts: which carriers alias which (the same
 * socket), which are one caller's copy of a return value (context), the option events on each
 * carrier, the calls into each function and the functions themselves, with every name resolved to
 * its definition (the nearest one when several files define it) and fixed descriptors scoped to
 * their program.
 */
import path from 'node:path';
import { copyFileRule } from '@ka-codemod/core';
import type { Carrier, CallFact, FileFacts, FunctionFact, OptionEvent, SiteFact } from '../facts/model.js';

export class FlowGraph {
  readonly sites: SiteFact[] = [];
  readonly alias = new Map<Carrier, Carrier[]>();
  readonly context = new Map<Carrier, Carrier[]>();
  readonly preds = new Map<Carrier, Carrier[]>();
  readonly events = new Map<Carrier, OptionEvent[]>();
  readonly callsTo = new Map<string, CallFact[]>();
  readonly functions = new Map<string, FunctionFact>();
  readonly tableOptions = new Set<string>();
  /** Site id -> the resolved key of its enclosing function. */
  readonly functionKeyOf = new Map<string, string | null>();
  /** Calls through a function pointer field whose targets are known (see `U:` carriers). */
  readonly resolvedEscapes = new Set<Carrier>();
  /** Carriers whose keepalive a creation wrapper's return value reads without being their origin (see `interposed`). */
  readonly lateReaders = new Map<Carrier, Carrier[]>();
  /** Project functions handed to a call as a value (callbacks a registration calls back). */
  readonly handedOver = new Set<string>();
  /** The definition a name used in `from` resolves to (see nearest). */
  keyOf: (name: string, from: string) => string = (name) => name;
  /** `from\nto` -> the objects whose field `to` is stored into (`c` in `c->fd = fd`). */
  readonly storeHolders = new Map<string, Set<Carrier>>();
  /** `from\nto` -> the objects whose field `from` is read from (`c` in `use(c->fd)`). */
  readonly readHolders = new Map<string, Set<Carrier>>();

  /**
   * `mainFiles`: files that define main() (each is its own program for fixed descriptors like fd 0).
   * `interposed`: creation calls the project substitutes with its own function by a macro (call
   * name -> function name), and the build unit of a file (see projects.ts buildUnitOf).
   */
  constructor(all: readonly FileFacts[], mainFiles: ReadonlySet<string>, interposed?: { calls: ReadonlyMap<string, string>; unitOf: (file: string) => string }) {
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
    // per name, its defining files when there are several (null: one or none); per file, what
    // nearest() reads of its path: each worked out once, not for every reference
    const distinct = new Map<string, string[] | null>();
    const places = new Map<string, Place>();
    const key = (this.keyOf = (name: string, from: string): string => {
      let paths = distinct.get(name);
      if (paths === undefined) {
        const all = [...new Set(definitions.get(name) ?? [])];
        distinct.set(name, (paths = all.length > 1 ? all : null));
      }
      if (!paths) return name;
      const cacheKey = `${name}\0${from}`;
      let k = keys.get(cacheKey);
      if (k === undefined) keys.set(cacheKey, (k = `${name}@${nearest(paths, from, places)}`));
      return k;
    });
    const carrier = (c: Carrier, from: string): Carrier => {
      // a fixed descriptor number (dup2 onto 0) is the same socket only within one program: the file
      // with the main() that uses it, or the files of its directory without a main()
      if (c.startsWith('D:')) {
        const scoped = `${c}@${programs.has(from) ? from : path.dirname(from)}`;
        fixedFds.add(scoped);
        return scoped;
      }
      // `P:name:rest`, `O:`, `R:`, `L:`: the name resolved; most names have one definition, and
      // then the carrier is itself (no regex, no new string)
      const kind = c[0];
      if (c[1] !== ':' || (kind !== 'P' && kind !== 'O' && kind !== 'R' && kind !== 'L')) return c;
      const end = c.indexOf(':', 2);
      const name = end < 0 ? c.slice(2) : c.slice(2, end);
      const rest = end < 0 ? '' : c.slice(end);
      // (as /^([PORL]):([^:]+)(.*)$/ read it: a name, and no line break after it)
      if (name === '' || LINE_BREAK.test(rest)) return c;
      const k = key(name, from);
      return k === name ? c : `${kind}:${k}${rest}`;
    };
    for (const f of all) {
      const at = f.path;
      for (const site of f.sites) {
        const fnKey = site.function ? key(site.function, at) : null;
        const resolved: SiteFact = { ...site, dests: site.dests.map((d) => carrier(d, at)) };
        if (site.listener) resolved.listener = carrier(site.listener, at);
        if (site.destHolder) resolved.destHolder = carrier(site.destHolder, at);
        this.functionKeyOf.set(site.id, fnKey);
        this.sites.push(resolved);
      }
      for (const e of f.edges) {
        const from = carrier(e.from, at);
        const to = carrier(e.to, at);
        push(e.kind === 'alias' ? this.alias : this.context, from, to);
        push(this.preds, to, from);
        if (e.toHolder) addTo(this.storeHolders, `${from}\n${to}`, carrier(e.toHolder, at));
        if (e.fromHolder) addTo(this.readHolders, `${from}\n${to}`, carrier(e.fromHolder, at));
      }
      for (const ev of f.events) push(this.events, carrier(ev.carrier, at), ev.holder ? { ...ev, holder: carrier(ev.holder, at) } : ev);
      for (const c of f.calls) push(this.callsTo, key(c.callee, at), { ...c, caller: c.caller ? key(c.caller, at) : null });
      callbacks.push(...f.calls.filter((c) => c.argNames).map((c) => ({ call: c, at })));
      for (const fn of f.functions) {
        const k = key(fn.name, at);
        if (!this.functions.has(k)) this.functions.set(k, fn);
      }
      for (const t of f.tableOptions) this.tableOptions.add(t);
    }
    for (const s of this.sites) for (const d of s.dests) push(this.preds, d, `S:${s.id}`);
    // a function a macro substitutes for a creation call (`#define socket(d, t, p) dbg_socket(d, t,
    // p, ...)`) is called wherever the build writes that call: its return value goes to each such
    // call site of its own build unit (a library's calls, not a separate program's), combined over
    // them like any caller's copy of a return value. The call site's own socket stays its only
    // origin (these edges are not `preds`: an accept's listener is the site, not the wrapper's)
    for (const [call, wrapper] of interposed?.calls ?? []) {
      for (const defPath of new Set(definitions.get(wrapper) ?? [])) {
        const wrapperKey = key(wrapper, defPath);
        const unit = interposed!.unitOf(defPath);
        const ret = `R:${wrapperKey}`;
        for (const s of this.sites) {
          if (s.call !== call || s.viaMacro || this.functionKeyOf.get(s.id) === wrapperKey) continue;
          if (interposed!.unitOf(s.path) !== unit) continue;
          for (const d of s.dests) {
            push(this.context, ret, d);
            push(this.lateReaders, d, ret);
          }
        }
      }
    }
    // calls through a function pointer field (`ops->setup(fd)`): each function stored in that field
    // anywhere in the project is a target; argument i reaches each target's parameter i, combined
    // over the targets like a value over its callers (all set keepalive: yes; some: conditional)
    const fieldTargets = new Map<string, Set<string>>();
    for (const f of all) {
      for (const [field, name] of f.fieldFunctions ?? []) {
        const k = key(name, f.path);
        if (this.functions.has(k)) addTo(fieldTargets, field, k);
      }
    }
    for (const tos of [...this.alias.values()]) {
      for (const u of tos) {
        if (!u.startsWith('U:') || this.resolvedEscapes.has(u)) continue;
        const [, , , , field, index] = u.slice(2).split('|');
        const targets = field ? fieldTargets.get(field) : undefined;
        if (!targets) continue;
        this.resolvedEscapes.add(u);
        for (const target of targets) {
          if (Number(index) >= this.functions.get(target)!.arity) continue;
          push(this.context, u, `P:${target}:${index}`);
          push(this.preds, `P:${target}:${index}`, u);
        }
      }
    }
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
        if (!name) return;
        const fnKey = key(name, at);
        if (this.functions.has(fnKey)) this.handedOver.add(fnKey);
        linkCallback(call, at, k, fnKey);
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
}

/** What `.` does not match in a regex without the s flag. */
const LINE_BREAK = /[\n\r\u2028\u2029]/;

/**
 * The definition a reference from `from` resolves to, as a Linux build would pick it: the same
 * file; else the one sharing the longest directory prefix; among those, one that is not another
 * platform's copy (`win32/`, `sock_windows.c`, `freertos/`, unless `from` is on that platform too)
 * nor a backup (a hidden directory such as quilt's `.pc/`, a `.orig` file), then the one fewest
 * directories below the shared prefix.
 */
function nearest(paths: readonly string[], from: string, places: Map<string, Place>): string {
  let best = paths[0]!;
  let bestScore: number[] = [];
  const at = placeOf(from, places);
  for (const p of paths) {
    const there = placeOf(p, places);
    const shared = commonPrefix(there.dirParts, at.dirParts);
    const below = there.dirParts.length - shared;
    const foreign = [...there.marks].some((m) => !at.marks.has(m)) ? 1 : 0;
    const score = p === from ? [1, 0, 0, 0] : [0, shared, -foreign, -below];
    if (bestScore.length === 0 || compareScores(score, bestScore) > 0) {
      best = p;
      bestScore = score;
    }
  }
  return best;
}

/** What nearest() reads of a file's path: its directory's parts and its foreign marks. */
interface Place {
  dirParts: string[];
  marks: Set<string>;
}

function placeOf(file: string, places: Map<string, Place>): Place {
  let place = places.get(file);
  if (!place) places.set(file, (place = { dirParts: path.dirname(file).split(path.sep), marks: foreignMarks(file) }));
  return place;
}

function compareScores(a: readonly number[], b: readonly number[]): number {
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return a[i]! - b[i]!;
  return 0;
}

/** Path parts naming a build a Linux build does not use: other platforms, backups of patched files. */
const OTHER_PLATFORM = /^(?:win|win32|win64|windows|w32|mswin|wince|winnt|freertos|zephyr|lwip|vxworks|rtems|nuttx|mbed|arduino|esp32|esp8266|riot|contiki|macos|darwin|osx|vms|os2|amiga|riscos|beos|haiku|qnx|cygwin|mingw|msvc|nt)$/i;

function foreignMarks(file: string): Set<string> {
  const marks = new Set<string>();
  const parts = file.split(path.sep);
  const base = parts.pop() ?? '';
  for (const part of parts) {
    if (part.startsWith('.') && part !== '.' && part !== '..') marks.add('backup');
    else if (OTHER_PLATFORM.test(part)) marks.add(part.toLowerCase());
  }
  // A backup file (`x.orig.c`, `x~.c`) by core's one table of copies that are not part of the build.
  if (copyFileRule(base)) marks.add('backup');
  for (const word of base.replace(/\.[^.]*$/, '').split(/[-_.]/)) if (OTHER_PLATFORM.test(word)) marks.add(word.toLowerCase());
  return marks;
}

function commonPrefix(x: readonly string[], y: readonly string[]): number {
  let i = 0;
  while (i < x.length && i < y.length && x[i] === y[i]) i++;
  return i;
}


function addTo<K, V>(map: Map<K, Set<V>>, key: K, value: V): void {
  const set = map.get(key);
  if (set) set.add(value);
  else map.set(key, new Set([value]));
}

export function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}
