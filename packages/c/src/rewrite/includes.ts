import { ofType, type Node } from './parse.js';
import { nextLineStart } from '../text.js';

/** The header names a file includes anywhere (`sys/socket.h`, `compat.h`), as written. */
export function includedHeaders(root: Node): string[] {
  return ofType(root, 'preproc_include').map((n) => {
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
  const all = ofType(root, 'preproc_include');
  const top = all.filter((n) => n.parent?.type === 'translation_unit');
  const last = top.at(-1) ?? all.at(-1);
  // preproc_include nodes end after their line break
  if (last) return text[last.endIndex - 1] === '\n' ? last.endIndex : (nextLineStart(text, last.endIndex) ?? last.endIndex);
  const first = root.namedChildren.find((c) => c.type !== 'comment');
  const lead = root.namedChildren.filter((c) => c.type === 'comment' && (!first || c.endIndex <= first.startIndex)).at(-1);
  return lead ? (nextLineStart(text, lead.endIndex) ?? 0) : 0;
}

/** System headers, by name: how a file spells these is its style for the ones the rewrite adds. */
const SYSTEM_HEADER = /^(?:sys|netinet|arpa|linux|bits)\/|^(?:std\w*|unistd|errno|string|strings|fcntl|netdb|signal|time|limits|assert|ctype|poll|syslog|winsock2?|windows|ws2tcpip|inttypes|math|pthread|dirent|pwd|grp|setjmp|locale|err|getopt|termios|sched|features|endian|ifaddrs|resolv)\.h$/;

/**
 * Whether this file writes system headers and its project's headers with quotes or angle brackets
 * (`#include "stdio.h"` and `#include <mylib/conf.h>` both occur): new includes follow it.
 */
export function includeQuoting(root: Node): { system: boolean; project: boolean } {
  let sysQuoted = 0;
  let sysAngled = 0;
  let projQuoted = 0;
  let projAngled = 0;
  for (const n of ofType(root, 'preproc_include')) {
    const p = n.childForFieldName('path');
    if (!p) continue;
    const quoted = p.type === 'string_literal';
    const name = p.text.replace(/^[<"]|[>"]$/g, '');
    if (SYSTEM_HEADER.test(name)) {
      if (quoted) sysQuoted++;
      else sysAngled++;
    } else if (quoted) projQuoted++;
    else projAngled++;
  }
  return { system: sysQuoted > sysAngled, project: !(projAngled > projQuoted) };
}

/** `#include "x"` when `quoted`, else `#include <x>`. */
export function includeLine(header: string, quoted: boolean): string {
  return quoted ? `#include "${header}"` : `#include <${header}>`;
}
