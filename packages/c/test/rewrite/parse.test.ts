import { describe, expect, it } from 'vitest';
import { ancestors, parseLatin1, type Node } from '../../src/rewrite/parse.js';

/** Every node, anonymous and missing ones included. */
function* everyNode(n: Node): Generator<Node> {
  yield n;
  for (const c of n.children) yield* everyNode(c);
}

/** The ancestors as tree-sitter's `parent` gives them, innermost first. */
function byParent(n: Node): number[] {
  const ids: number[] = [];
  for (let a = n.parent; a; a = a.parent) ids.push(a.id);
  return ids;
}

describe('ancestors: one descent gives the chain that `parent` gives', () => {
  it('for every node of a file with macros, conditionals, labels, empty statements and a parse error', () => {
    const src = [
      '#include <sys/socket.h>',
      '#define OPEN(x) socket(x, SOCK_STREAM, 0)',
      'int f(int a) {',
      '#ifdef _WIN32',
      '  SOCKET s = socket(AF_INET, SOCK_STREAM, 0);',
      '#else',
      '  int s = (a ? socket(AF_INET, SOCK_STREAM, 0) : OPEN(AF_INET6));',
      '#endif',
      'again: ;;',
      '  for (;;) { if ((s = accept(s, 0, 0)) < 0) goto again; }',
      '  return s +;',
  '  if (a) { s = 1 }',
      '}',
      '',
    ].join('\n');
    const root = parseLatin1(src).rootNode;
    expect(root.hasError, 'the sample holds a parse error on purpose').toBe(true);
    let checked = 0;
    for (const n of everyNode(root)) {
      expect(ancestors(n).map((a) => a.id), `${n.type} at ${n.startIndex}`).toEqual(byParent(n));
      checked++;
    }
    expect(checked).toBeGreaterThan(120);
  });

  it('under 1500 nested blocks, in one descent rather than depth² parent calls', () => {
    const depth = 1500;
    const src = `int deep(int x)\n{\n${'if (x) {\n'.repeat(depth)}int fd = socket(AF_INET, SOCK_STREAM, 0); return fd;\n${'}\n'.repeat(depth)}return -1;\n}\n`;
    const call = parseLatin1(src).rootNode.descendantsOfType('call_expression')[0]!;
    const chain = ancestors(call);
    expect(chain.at(-1)!.type).toBe('translation_unit');
    expect(chain.filter((a) => a.type === 'if_statement')).toHaveLength(depth);
  });
});
