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
        for (const p of this.g.preds.get(c) ?? []) {
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
    for (const s of this.g.alias.get(c) ?? []) {
      const st = this.get(s);
      if (st.level > next.level) next.level = st.level;
      absorbEvidence(next, st);
    }
    const ctx = this.g.context.get(c) ?? [];
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

  /** A site's own state: the best of the carriers its result goes to. */
  ownState(s: SiteFact): CarrierState {
    return merge(s.dests.map((d) => this.get(d)));
  }
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
