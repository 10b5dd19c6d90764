import { ancestors, ofType, type Node } from './parse.js';

/** Conditions that select Windows-only code: `#ifdef _WIN32`, `#if defined(_MSC_VER)`, a project's `MHD_WINSOCK_SOCKETS`, ... */
const WINDOWS_CONDITION = /\b(?:\w*_)?(?:WIN32|WIN64|WINSOCK\w*)\b|\b(?:_MSC_VER|__MINGW32__|__CYGWIN__)\b/;
const CONDITIONALS = new Set(['preproc_if', 'preproc_ifdef', 'preproc_elif', 'preproc_elifdef']);

/** Is this node compiled only on Windows (inside `#ifdef _WIN32`, or the `#else` of `#ifndef _WIN32`)? */
export function isWindowsOnly(n: Node): boolean {
  const chain = ancestors(n);
  for (const [i, a] of chain.entries()) {
    const child = i === 0 ? n : chain[i - 1]!;
    if (!CONDITIONALS.has(a.type)) continue;
    const cond = (a.childForFieldName('condition') ?? a.childForFieldName('name'))?.text ?? '';
    if (!WINDOWS_CONDITION.test(cond)) continue;
    const alt = a.childForFieldName('alternative');
    const inAlternative = !!alt && child.startIndex >= alt.startIndex && child.endIndex <= alt.endIndex;
    const negated = a.text.startsWith('#ifndef') || /!\s*defined\s*\(?\s*\w*WIN/.test(cond);
    if (inAlternative === negated) return true;
  }
  return false;
}

/**
 * Names (SOCKET_ERROR, INVALID_SOCKET, closesocket, ...) the file uses or defines outside
 * Windows-only code: only those may appear in code every platform compiles.
 */
export function portableNames(root: Node, names: readonly string[]): Set<string> {
  const out = new Set<string>();
  // Most files name none of them: a text search settles those without walking the tree (a
  // node-by-node walk of a large file costs more than parsing it).
  const text = root.text;
  const wanted = new Set(names.filter((name) => text.includes(name)));
  if (wanted.size === 0) return out;
  for (const n of ofType(root, ['identifier', 'type_identifier'])) {
    if (wanted.has(n.text) && !out.has(n.text) && !isWindowsOnly(n)) out.add(n.text);
  }
  return out;
}
