import { ERRNO_PRINTERS, KEEPALIVE_OPERATION, OPERATION_WORDS } from '../libc.js';

// `%%` is matched (and then dropped) so its second `%` cannot start a conversion.
const SPEC = /%%|%[-+ #0']*(?:\d+|\*)?(?:\.\d+|\.\*)?(?:hh|h|ll|l|L|q|j|z|t)?[diouxXeEfFgGaAcspnm]/g;

/** A retargeted format string, and which of its conversions (0-based) lost their argument. */
export interface Retargeted {
  content: string;
  dropped: number[];
}

const LEAD_IN = /(?:cannot|can't|could not|couldn't|failed to|unable to|error in|error)\s+$/i;

function specsIn(s: string): RegExpMatchArray[] {
  return [...s.matchAll(SPEC)].filter((m) => m[0] !== '%%');
}

/**
 * Turns the text of a copied logging call's format string (without its quotes) into one that names
 * setsockopt(SO_KEEPALIVE) instead of the operation it was written for. A program-name prefix
 * ("%s: ") and the errno tail (": %s") stay; conversions that described the old operation (its
 * port, its host) are dropped, and reported so the caller drops their arguments too.
 */
export function retargetMessage(content: string, callee: string): Retargeted {
  const trail = /(?:\\r)?(?:\\n)?$/.exec(content)![0];
  const body = content.slice(0, content.length - trail.length);
  const specs = specsIn(body);
  const failed = `${KEEPALIVE_OPERATION} failed`;
  if (specs.length === 0) {
    // perror("socket"), err(1, "socket"): the call appends ": <strerror>" itself.
    return { content: (ERRNO_PRINTERS.includes(callee) ? KEEPALIVE_OPERATION : failed) + trail, dropped: [] };
  }
  if (specs.some((m) => m[0].includes('*'))) return { content: `${failed}: ${body}${trail}`, dropped: [] };
  let word = -1;
  for (const w of OPERATION_WORDS) {
    const m = new RegExp(`\\b${w}\\b`).exec(body);
    if (m && (word === -1 || m.index < word)) word = m.index;
  }
  const start = word >= 0 ? word : 0;
  let prefix = body.slice(0, start);
  const before = specsIn(prefix).length;
  // Keep a tag ("%s: ", "myapp: "), never the old operation's wording ("cannot create ").
  prefix = prefix.replace(LEAD_IN, '');
  if (before === 0 && !/:\s*$/.test(prefix)) prefix = '';
  const rest = body.slice(start);
  // The errno part: after the last colon, or a trailing " [%s]" / " (%s)".
  const bracket = Math.max(rest.lastIndexOf(' ['), rest.lastIndexOf(' ('));
  const colon = rest.lastIndexOf(':') >= 0 ? rest.lastIndexOf(':') : bracket >= 0 && specsIn(rest.slice(bracket)).length > 0 ? bracket : -1;
  const tail = colon >= 0 ? rest.slice(colon) : '';
  const middle = colon >= 0 ? rest.slice(0, colon) : rest;
  const dropped = specsIn(middle).map((_, i) => before + i);
  return { content: `${prefix}${failed}${tail}${trail}`, dropped };
}
