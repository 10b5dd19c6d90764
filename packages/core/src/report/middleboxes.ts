/**
 * Idle timeouts of common middleboxes (FACTS.md): a flow idle longer than this is dropped silently,
 * so the first keepalive probe has to come sooner to keep a quiet connection alive through them.
 */
export interface Middlebox {
  name: string;
  idleTimeoutSeconds: number;
  /** How the documentation states it, for people. */
  stated: string;
}

export const MIDDLEBOXES: readonly Middlebox[] = [
  { name: 'AWS NLB', idleTimeoutSeconds: 350, stated: '350 s' },
  { name: 'Azure load balancer', idleTimeoutSeconds: 240, stated: '4 min' },
  { name: 'GCP', idleTimeoutSeconds: 600, stated: '10 min' },
];

/** The strictest of them: an idle below it keeps every listed middlebox's flow alive. */
export const STRICTEST_MIDDLEBOX_SECONDS = Math.min(...MIDDLEBOXES.map((m) => m.idleTimeoutSeconds));

/** The table for people, in its order: "AWS NLB 350 s, Azure load balancer 4 min, GCP 10 min". */
export function middleboxTimeouts(boxes: readonly Middlebox[] = MIDDLEBOXES): string {
  return boxes.map((m) => `${m.name} ${m.stated}`).join(', ');
}

/** The strictest of them first, for sentences: "Azure load balancer after 4 min, AWS NLB after 350 s". */
export function strictestMiddleboxes(count: number): string {
  return [...MIDDLEBOXES]
    .sort((a, b) => a.idleTimeoutSeconds - b.idleTimeoutSeconds)
    .slice(0, count)
    .map((m) => `${m.name} after ${m.stated}`)
    .join(', ');
}

/** Middleboxes that drop a connection idle for `idleSeconds` before the first probe is sent. */
export function middleboxesDroppingBeforeFirstProbe(idleSeconds: number): Middlebox[] {
  return MIDDLEBOXES.filter((m) => idleSeconds >= m.idleTimeoutSeconds);
}
