import { ERRNO_PRINTERS, KEEPALIVE_OPERATION, OPERATION_WORDS } from './knowledge.js';

const SPEC = /%(?!%)[-+ #0'*]*\d*(?:\.\d+|\.\*)?(?:hh|h|ll|l|L|q|j|z|t)?[diouxXeEfFgGaAcspnm]/g;

/**
 * Turns the text of a copied logging call's format string (without its quotes) into one that names
 * setsockopt(SO_KEEPALIVE) instead of the operation it was written for, keeping every conversion
 * specifier so the call's remaining arguments still match.
 */
export function retargetMessage(content: string, callee: string): string {
  const trail = /(?:\\r)?(?:\\n)?$/.exec(content)![0];
  const body = content.slice(0, content.length - trail.length);
  const specs = [...body.matchAll(SPEC)];
  if (specs.length === 0) {
    // perror("socket"), err(1, "socket"): the call appends ": <strerror>" itself.
    return (ERRNO_PRINTERS.includes(callee) ? KEEPALIVE_OPERATION : `${KEEPALIVE_OPERATION} failed`) + trail;
  }
  const first = specs[0]!.index;
  const colon = body.lastIndexOf(':', first);
  if (colon > 0) {
    // "socket() failed: %s" -> "setsockopt(SO_KEEPALIVE) failed: %s"
    return `${KEEPALIVE_OPERATION} failed${body.slice(colon)}${trail}`;
  }
  for (const word of OPERATION_WORDS) {
    const re = new RegExp(`\\b${word}\\b(?:\\(\\))?`);
    if (re.test(body)) return body.replace(re, KEEPALIVE_OPERATION) + trail;
  }
  return `${KEEPALIVE_OPERATION} failed: ${body}${trail}`;
}
