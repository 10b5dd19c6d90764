import type { TSESLint, TSESTree } from '@typescript-eslint/utils';
import type { Site } from '@ka-codemod/core';

const CALLS = new Set(['CallExpression', 'NewExpression']);

/**
 * Where to put the report: the callee of the socket-producing call (`net.connect`, `new net.Socket`,
 * `server.on`) so editors underline the call's name, not a whole multi-line argument list. The engine
 * gives the 1-based line/column of the call's name; when no call is found there we fall back to that point.
 */
export function siteLocation(
  sourceCode: Readonly<TSESLint.SourceCode>,
  site: Pick<Site, 'line' | 'column'>,
): TSESTree.SourceLocation {
  const point = { line: site.line, column: site.column - 1 };
  let index: number;
  try {
    index = sourceCode.getIndexFromLoc(point);
  } catch {
    return { start: point, end: point };
  }
  for (let node: TSESTree.Node | null | undefined = sourceCode.getNodeByRangeIndex(index); node; node = node.parent) {
    if (CALLS.has(node.type)) {
      const call = node as TSESTree.CallExpression | TSESTree.NewExpression;
      const [from, to] = call.callee.range;
      // Only a call whose callee holds the name: not an outer call that merely contains this site in its arguments.
      if (from <= index && index < to) return call.callee.loc;
      // `new net.Socket()` named from its `new` keyword: underline `new net.Socket`.
      if (call.range[0] === index) return { start: call.loc.start, end: call.callee.loc.end };
      break;
    }
  }
  return { start: point, end: point };
}
