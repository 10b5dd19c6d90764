import type { Site } from '@ka-codemod/core';

/**
 * The variable parts of a report, from the engine's verdict. Kept out of the rule so each sentence
 * can be tested on its own; the fixed wording is in the rule's `messages`.
 */
// A type alias (not an interface) so it passes as ESLint message data.
export type ReportText = {
  call: string;
  /** Empty, or a remark that the socket is TCP only when its run-time options say so. */
  maybeTcp: string;
  how: string;
  /** Empty, or a sentence about the missing 'error' listener (keepalive turns a dead peer into an 'error'). */
  errorListener: string;
  /** Empty, or the engine's extra findings. */
  notes: string;
};

export const MISSING_ERROR_LISTENER =
  " It has no 'error' listener either: once keepalive declares the peer dead the socket emits 'error' (ETIMEDOUT), which crashes the process unless someone listens.";

export function reportText(site: Pick<Site, 'call' | 'tcp' | 'how' | 'errorHandler' | 'notes'>): ReportText {
  return {
    call: site.call,
    maybeTcp: site.tcp === 'maybe' ? ' (TCP or not is decided at run time)' : '',
    how: sentence(site.how),
    errorListener: site.errorHandler === 'no' ? MISSING_ERROR_LISTENER : '',
    notes: (site.notes ?? []).map((n) => ` ${sentence(n)}`).join(''),
  };
}

/** Engine sentences may or may not end with a full stop; messages join several of them. */
function sentence(text: string): string {
  const t = text.trim();
  if (t === '') return t;
  return /[.!?]$/u.test(t) ? t : `${t}.`;
}
