import type { TSESLint } from '@typescript-eslint/utils';

/**
 * The ts.SourceFile typescript-eslint's parser made of this file (with or without type
 * information), or undefined under other parsers (espree has no parser services). The engine checks
 * it (same text, parents set) before using it, so a foreign or stale tree only costs a parse.
 */
export function parsedTree(sourceCode: Readonly<TSESLint.SourceCode>): unknown {
  const map = sourceCode.parserServices?.esTreeNodeToTSNodeMap;
  return typeof map?.get === 'function' ? map.get(sourceCode.ast) : undefined;
}
