import type { TSESLint, TSESTree } from '@typescript-eslint/utils';
import type { Site } from '@ka-codemod/core';

const CALLS = new Set(['CallExpression', 'NewExpression']);

/**
 * Where to put the report: the callee of the socket-producing call (`net.connect`, `new net.Socket`,
 * `server.on`) so editors underline the call's name, not a whole multi-line argument list. The engine
 * gives the 1-based line/column of the call's name; otherwise the node that starts there, else that point.
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
  const innermost = sourceCode.getNodeByRangeIndex(index);
  for (let node: TSESTree.Node | null | undefined = innermost; node; node = node.parent) {
    if (CALLS.has(node.type)) {
      const call = node as TSESTree.CallExpression | TSESTree.NewExpression;
      const [from, to] = call.callee.range;
      // Only a call whose callee holds the name: not an outer call that merely contains this site in its arguments.
      // A chain split over lines (`net\n  .createServer(…)`) is underlined from the name, on the
      // site's own line, so the report and the engine's site agree on the line.
      if (from <= index && index < to) return call.callee.loc.start.line === point.line ? call.callee.loc : { start: point, end: call.callee.loc.end };
      // `new net.Socket()` named from its `new` keyword: underline `new net.Socket`.
      if (call.range[0] === index) return { start: call.loc.start, end: call.callee.loc.end };
      break;
    }
  }
  // A site named by an argument (the 'connection' of `server.on('connection', ...)`): underline that token.
  if (innermost && innermost.range[0] === index) return innermost.loc;
  return { start: point, end: point };
}
