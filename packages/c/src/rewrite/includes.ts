import type { Node } from './parse.js';
import { nextLineStart } from '../text.js';

/** The header names a file includes anywhere (`sys/socket.h`, `compat.h`), as written. */
export function includedHeaders(root: Node): string[] {
  return root.descendantsOfType('preproc_include').map((n) => {
    const p = n.childForFieldName('path');
    return p ? p.text.replace(/^[<"]|[>"]$/g, '') : '';
  });
}

/** Does the file include this header (by its name, or by a path ending in it)? */
export function includes(headers: readonly string[], header: string): boolean {
  return headers.some((h) => h === header || h.endsWith(`/${header}`));
}

/**
 * Where new includes go: after the file's last top-level #include, else after the last one
 * anywhere (inside an include guard), else at the top after a leading comment.
 */
export function includeInsertionPoint(text: string, root: Node): number {
  const all = root.descendantsOfType('preproc_include');
  const top = all.filter((n) => n.parent?.type === 'translation_unit');
  const last = top.at(-1) ?? all.at(-1);
  // preproc_include nodes end after their line break
  if (last) return text[last.endIndex - 1] === '\n' ? last.endIndex : (nextLineStart(text, last.endIndex) ?? last.endIndex);
  const first = root.namedChildren.find((c) => c.type !== 'comment');
  const lead = root.namedChildren.filter((c) => c.type === 'comment' && (!first || c.endIndex <= first.startIndex)).at(-1);
  return lead ? (nextLineStart(text, lead.endIndex) ?? 0) : 0;
}

export function includeLine(header: string, local: boolean): string {
  return local ? `#include "${header}"` : `#include <${header}>`;
}
