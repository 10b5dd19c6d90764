/**
 * Which project functions can carry a socket or its keepalive between files: those holding a
 * site or a setsockopt fact, and, transitively, those calling them. Files that call these names
 * are parsed in the next round; the rest of the project never is.
 */
import type { FileFacts } from './facts.js';

export function relevantFunctions(facts: readonly FileFacts[]): string[] {
  const relevant = new Set<string>();
  for (const f of facts) {
    for (const s of f.sites) if (s.function) relevant.add(s.function);
    for (const e of f.events) if (e.function) relevant.add(e.function);
  }
  const callers = new Map<string, Set<string>>();
  for (const f of facts) {
    for (const c of f.calls) {
      if (!c.caller) continue;
      let set = callers.get(c.callee);
      if (!set) callers.set(c.callee, (set = new Set()));
      set.add(c.caller);
    }
  }
  const stack = [...relevant];
  while (stack.length > 0) {
    const fn = stack.pop()!;
    for (const caller of callers.get(fn) ?? []) {
      if (!relevant.has(caller)) {
        relevant.add(caller);
        stack.push(caller);
      }
    }
  }
  return [...relevant];
}
