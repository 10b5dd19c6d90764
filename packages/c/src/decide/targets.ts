/**
 * What the rewrite is handed: one fix target per flagged, fixable site (its own call, or the
 * listener that covers its accepts), and the project functions that set SO_KEEPALIVE on a
 * parameter (keepalive helpers a fix may call).
 */
import type { Site, TcpClass } from '@ka-codemod/core';
import type { CFixTarget, CKeepaliveHelper } from '../contract.js';
import type { Carrier, SiteFact } from '../facts/model.js';
import type { FlowGraph } from './graph.js';

export function fixTargets(g: FlowGraph, byId: Map<string, Site>, listeners: Map<string, SiteFact[]>, tcp: Map<string, { tcp: TcpClass }>): CFixTarget[] {
  const targets = new Map<string, CFixTarget>();
  for (const s of g.sites) {
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
export function keepaliveHelpers(g: FlowGraph): CKeepaliveHelper[] {
  const helpers = new Map<string, CKeepaliveHelper>();
  const consider = (carrier: Carrier, conditional: boolean): boolean => {
    const m = /^P:(.+):(\d+)$/.exec(carrier);
    if (!m) return false;
    const fn = g.functions.get(m[1]!);
    if (!fn) return false;
    const existing = helpers.get(m[1]!);
    if (existing && existing.fdParam === Number(m[2]) && (!existing.conditional || conditional)) return false;
    helpers.set(m[1]!, {
      name: fn.name, definedIn: fn.path, declaredIn: [], fdParam: Number(m[2]), arity: fn.arity,
      conditional, returns: fn.returns,
    });
    return true;
  };
  for (const [carrier, evs] of g.events) {
    const ka = evs.filter((e) => e.kind === 'keepalive');
    if (ka.length > 0) consider(carrier, ka.every((e) => e.conditional));
  }
  // wrappers that pass their parameter on to a helper
  for (let changed = true, rounds = 0; changed && rounds < 10; rounds++) {
    changed = false;
    for (const [from, tos] of g.alias) {
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
