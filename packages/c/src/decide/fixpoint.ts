/**
 * The keepalive level of every fd carrier, to a fixpoint: each carrier's level (no < conditional <
 * yes) is the best of its own setsockopt events and the carriers it aliases, and for a value that
 * differs per caller (a return value) the combination over all callers. A worklist recomputes
 * carriers until nothing grows.
 */
import type { TuningOption, TuningValues } from '@ka-codemod/core';
import { KEEPALIVE_OPTION } from '../libc.js';
import type { Carrier, SiteFact } from '../facts/model.js';
import type { FlowGraph } from './graph.js';

/** no < conditional < yes: keepalive only ever grows while the fixpoint runs. */
export type Level = 0 | 1 | 2;
export const NO: Level = 0;
export const CONDITIONAL: Level = 1;
export const YES: Level = 2;

export interface CarrierState {
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
  /** A field's level by the object it was set through (`''` when not known): see `through`. */
  byHolder?: Map<Carrier, Level>;
  /** The field through which keepalive was set on an object this socket's holder is not seen to reach. */
  weak?: string;
  /** How the evidence was joined: `field \`struct conn.fd\``, `the indirect call \`ops->setup(...)\``. */
  via?: string;
}

const MAX_WHERE = 3;

/** Either branch combined over run-time paths: all yes, all no, or it depends. */
export function combinePaths(levels: readonly Level[]): Level {
  if (levels.length === 0) return NO;
  if (levels.every((l) => l === YES)) return YES;
  if (levels.every((l) => l === NO)) return NO;
  return CONDITIONAL;
}

export class KeepaliveFixpoint {
  private readonly state = new Map<Carrier, CarrierState>();
  private readonly tuningValues = new Map<Carrier, TuningValues>();
  /** Some carrier in the project gets SO_KEEPALIVE. */
  anyKeepalive = false;

  /** `place(file, function)`: how `where` names a place. */
  constructor(
    private readonly g: FlowGraph,
    private readonly place: (file: string, fn: string | null) => string,
  ) {}

  run(): void {
    const work: Carrier[] = [];
    for (const [carrier, evs] of this.g.events) {
      for (const ev of evs) if (ev.kind === 'keepalive') this.anyKeepalive = true;
      work.push(carrier);
    }
    const queued = new Set(work);
    let budget = 2_000_000;
    while (work.length > 0 && budget-- > 0) {
      const c = work.pop()!;
      queued.delete(c);
      if (this.recompute(c)) {
        for (const p of [...(this.g.preds.get(c) ?? []), ...(this.g.lateReaders.get(c) ?? [])]) {
          if (!queued.has(p) && !p.startsWith('S:')) {
            queued.add(p);
            work.push(p);
          }
        }
      }
    }
  }

  get(c: Carrier): CarrierState {
    return this.state.get(c) ?? { level: NO, where: new Set(), tuning: new Set(), dynamic: false, guarded: false, mixedPaths: false };
  }

  /** Re-derives one carrier from its own events and its successors; true when it grew. */
  private recompute(c: Carrier): boolean {
    const before = this.get(c);
    const next: CarrierState = { level: NO, where: new Set(), tuning: new Set(), dynamic: false, guarded: false, mixedPaths: false };
    for (const ev of this.g.events.get(c) ?? []) {
      if (ev.kind === 'tuning' && ev.option) {
        next.tuning.add(ev.option);
        if (ev.value !== undefined) this.noteValue(c, ev.option, ev.value);
        continue;
      }
      if (ev.kind === 'dynamic') {
        if (!this.g.tableOptions.has(KEEPALIVE_OPTION)) continue;
        for (const t of this.g.tableOptions) if (t !== KEEPALIVE_OPTION) next.tuning.add(t as TuningOption);
        next.dynamic = true;
      }
      const level = ev.conditional || ev.kind === 'dynamic' ? CONDITIONAL : YES;
      if (level > next.level) next.level = level;
      if (ev.conditional) next.guarded = true;
      addWhere(next.where, this.place(ev.path, ev.function));
    }
    const isField = c.startsWith('F:');
    if (isField) {
      next.byHolder = new Map(before.byHolder ?? []);
      for (const ev of this.g.events.get(c) ?? []) {
        if (ev.kind === 'tuning') continue;
        const level = ev.conditional || ev.kind === 'dynamic' ? CONDITIONAL : YES;
        raise(next.byHolder, ev.holder ?? '', level);
      }
    }
    for (const s of this.g.alias.get(c) ?? []) {
      const st = this.through(s, this.g.storeHolders.get(`${c}\n${s}`));
      if (st.level > next.level) next.level = st.level;
      if (st.weak && st.level > NO) next.weak ??= st.weak;
      absorbEvidence(next, st);
      if (isField) {
        const read = this.g.readHolders.get(`${c}\n${s}`);
        const other = s.startsWith('F:') && !read ? this.get(s).byHolder : undefined;
        // the same field under its other spelling (typed, untyped): its holders are this field's
        if (other) for (const [h, l] of other) raise(next.byHolder!, h, l);
        else for (const h of read ?? ['']) raise(next.byHolder!, h, st.level);
      }
    }
    const ctx = this.g.context.get(c) ?? [];
    if (ctx.length > 0) {
      const states = ctx.map((s) => this.through(s, this.g.storeHolders.get(`${c}\n${s}`)));
      const level = combinePaths(states.map((s) => s.level));
      if (level > next.level) next.level = level;
      if (level === CONDITIONAL && states.some((st) => st.level === YES) && states.some((st) => st.level === NO)) next.mixedPaths = true;
      for (const st of states) {
        absorbEvidence(next, st);
        if (st.weak && st.level > NO) next.weak ??= st.weak;
      }
    }
    if (next.level > NO && !next.via) {
      if (c.startsWith('U:') && this.g.resolvedEscapes.has(c)) next.via = `the indirect call \`${c.split('|')[3]}(...)\``;
      else if (isField) next.via = `field \`${fieldLabel(c)}\``;
    }
    const grew = next.level > before.level || (next.via !== undefined && before.via === undefined) || next.tuning.size > before.tuning.size || next.where.size > before.where.size ||
      (next.dynamic && !before.dynamic) || (next.guarded && !before.guarded) || (next.mixedPaths && !before.mixedPaths) ||
      (next.weak !== undefined && before.weak === undefined) || holdersGrew(before.byHolder, next.byHolder);
    if (grew) {
      next.weak ??= before.weak;
      next.via ??= before.via;
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

  valuesOf(carriers: readonly Carrier[]): TuningValues {
    const out: TuningValues = {};
    const seen = new Set<Carrier>();
    const stack = [...carriers];
    while (stack.length > 0 && seen.size < 2000) {
      const c = stack.pop()!;
      if (seen.has(c)) continue;
      seen.add(c);
      Object.assign(out, { ...this.tuningValues.get(c), ...out });
      stack.push(...(this.g.alias.get(c) ?? []), ...(this.g.context.get(c) ?? []));
    }
    return out;
  }

  /**
   * What the carriers' own setsockopt calls give, without what flows beyond them: for the
   * carriers a listening socket passes through on its way to one accept (keepalive set on the
   * listener there, not on other uses of the function that created it).
   */
  eventState(carriers: Iterable<Carrier>): CarrierState {
    const out: CarrierState = { level: NO, where: new Set(), tuning: new Set(), dynamic: false, guarded: false, mixedPaths: false };
    for (const c of carriers) {
      for (const ev of this.g.events.get(c) ?? []) {
        if (ev.kind === 'tuning') {
          if (ev.option) out.tuning.add(ev.option);
          continue;
        }
        if (ev.kind === 'dynamic') {
          if (!this.g.tableOptions.has(KEEPALIVE_OPTION)) continue;
          out.dynamic = true;
        }
        const level = ev.conditional || ev.kind === 'dynamic' ? CONDITIONAL : YES;
        if (level > out.level) out.level = level;
        if (ev.conditional) out.guarded = true;
        addWhere(out.where, this.place(ev.path, ev.function));
      }
    }
    return out;
  }

  /** A site's own state: the best of the carriers its result goes to. */
  ownState(s: SiteFact): CarrierState {
    return merge(s.dests.map((d) => this.through(d, s.destHolder ? new Set([s.destHolder]) : undefined)));
  }

  /**
   * A field's state as seen by a socket stored into it through `holders` (`c` in `c->fd = fd`):
   * keepalive set through the field of an object that cannot be the same one (no common source
   * for the two holder pointers in the flow graph) is weak evidence, at most conditional.
   */
  private through(s: Carrier, holders: ReadonlySet<Carrier> | undefined): CarrierState {
    const st = this.get(s);
    if (!holders || !st.byHolder || st.byHolder.size === 0 || st.level === NO) return st;
    let best: Level = NO;
    for (const h of holders) {
      for (const [bh, level] of st.byHolder) {
        const l = this.linked(h, bh) ? level : (Math.min(level, CONDITIONAL) as Level);
        if (l > best) best = l;
      }
    }
    if (best >= st.level) return st;
    return { ...st, level: best, weak: st.weak ?? s };
  }

  private readonly sources = new Map<Carrier, Set<Carrier>>();

  /** Can two holder pointers be the same object: one flows from the other, or both from one source. */
  private linked(a: Carrier, b: Carrier): boolean {
    if (a === '' || b === '' || a === b) return true;
    const x = this.sourcesOf(a);
    const y = this.sourcesOf(b);
    const [small, large] = x.size < y.size ? [x, y] : [y, x];
    for (const c of small) if (large.has(c)) return true;
    return false;
  }

  /**
   * Where a holder pointer's value can come from, walking flow edges backwards: through locals,
   * parameters (every caller's argument), project functions' return values; it stops at a global
   * or a field (one object for every reader) and at the result of a function outside the project
   * (each call of an allocator is a new object).
   */
  private sourcesOf(c: Carrier): Set<Carrier> {
    let found = this.sources.get(c);
    if (found) return found;
    found = new Set([c]);
    const stack = [c];
    while (stack.length > 0 && found.size < 400) {
      const cur = stack.pop()!;
      if (cur.startsWith('G:') || cur.startsWith('F:')) continue;
      for (const p of this.g.preds.get(cur) ?? []) {
        // each call of a function outside the project (an allocator) is an object of its own
        if (p.startsWith('S:') || p === 'X' || found.has(p) || (p.startsWith('R:') && !this.g.functions.has(p.slice(2)))) continue;
        found.add(p);
        stack.push(p);
      }
    }
    this.sources.set(c, found);
    return found;
  }
}

function raise(map: Map<Carrier, Level>, key: Carrier, level: Level): void {
  if (level > (map.get(key) ?? NO)) map.set(key, level);
}

function holdersGrew(before: ReadonlyMap<Carrier, Level> | undefined, next: ReadonlyMap<Carrier, Level> | undefined): boolean {
  if (!next) return false;
  for (const [k, l] of next) if (l > (before?.get(k) ?? NO)) return true;
  return false;
}

export function merge(states: readonly CarrierState[]): CarrierState {
  const out: CarrierState = { level: NO, where: new Set(), tuning: new Set(), dynamic: false, guarded: false, mixedPaths: false };
  for (const st of states) {
    if (st.level > out.level) out.level = st.level;
    if (st.level > NO) for (const w of st.where) addWhere(out.where, w);
    out.dynamic ||= st.dynamic;
    if (st.level > NO) {
      out.guarded ||= st.guarded;
      out.mixedPaths ||= st.mixedPaths;
      if (st.weak) out.weak ??= st.weak;
      if (st.via) out.via ??= st.via;
    }
    for (const t of st.tuning) out.tuning.add(t);
  }
  return out;
}

/** Takes over where and how another carrier got keepalive (its level is combined by the caller), and its tuning. */
function absorbEvidence(into: CarrierState, from: CarrierState): void {
  if (from.level > NO) {
    if (from.via) into.via ??= from.via;
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

/** `F:conn.fd` -> `struct conn.fd`, `F:fd` -> `fd`. */
export function fieldLabel(carrier: Carrier): string {
  const name = carrier.replace(/^F:/, '');
  return name.includes('.') ? `struct ${name}` : name;
}
