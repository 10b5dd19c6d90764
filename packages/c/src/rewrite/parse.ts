import type Parser from 'tree-sitter';
import { cParser } from '../scan/source.js';

export type Node = Parser.SyntaxNode;

/**
 * Parses C source decoded as latin1: one character per byte, so every node index is a byte
 * offset of the file whatever its encoding (the analysis hands us byte ranges).
 */
export function parseLatin1(text: string): Parser.Tree {
  // A callback input: tree-sitter's string input is capped at its buffer size.
  return cParser().parse((index: number) => (index < text.length ? text.slice(index, index + 65536) : null));
}

const byType = new WeakMap<Node, Map<string, Node[]>>();

/**
 * `n.descendantsOfType(types)`, asked of the binding once per node object: the planning asks a
 * file's root the same question for every target (and again for each site's own fix), and each
 * answer is a walk of the whole tree. The list is shared: callers must not change it.
 */
export function ofType(n: Node, types: string | readonly string[]): readonly Node[] {
  const key = typeof types === 'string' ? types : types.join(' ');
  let lists = byType.get(n);
  if (!lists) byType.set(n, (lists = new Map()));
  let found = lists.get(key);
  if (!found) lists.set(key, (found = n.descendantsOfType(typeof types === 'string' ? types : [...types])));
  return found;
}

/** The node of the given type exactly spanning [start, end), if any. */
export function nodeAt(root: Node, start: number, end: number, type: string): Node | null {
  let n: Node | undefined = root;
  while (n) {
    if (n.startIndex === start && n.endIndex === end && n.type === type) return n;
    n = n.children.find((c) => c.startIndex <= start && c.endIndex >= end);
  }
  return null;
}

/**
 * The same node: tree-sitter hands out a new object for a node on every call (`parent`,
 * `namedChildren`, `childForFieldName`), so nodes are compared by position and type, never by identity.
 */
export function sameNode(a: Node | null | undefined, b: Node | null | undefined): boolean {
  return !!a && !!b && a.startIndex === b.startIndex && a.endIndex === b.endIndex && a.type === b.type;
}

/**
 * The node's ancestors, innermost first. tree-sitter's `parent` searches down from the root on
 * every call, so climbing to the top by `parent` costs depth² (seconds for a call under 1500
 * nested blocks); one descent with a cursor costs depth.
 */
export function ancestors(n: Node): Node[] {
  const chain: Node[] = [];
  const cursor = n.tree.walk();
  while (cursor.currentNode.id !== n.id) {
    chain.push(cursor.currentNode);
    // the child holding n: the first one that ends after n starts. The binding answers the
    // child's index (0 included) or null, not the boolean its typings declare.
    const moved: unknown = cursor.gotoFirstChildForIndex(n.startIndex);
    if (moved === null || moved === false) return climb(n);
  }
  return chain.reverse();
}

/** The ancestors by `parent`: the fallback for a node the descent does not reach (an empty node among empty siblings). */
function climb(n: Node): Node[] {
  const chain: Node[] = [];
  for (let a = n.parent; a; a = a.parent) chain.push(a);
  return chain;
}

export function ancestor(n: Node, pred: (a: Node) => boolean): Node | null {
  return ancestors(n).find(pred) ?? null;
}

/** Every descendant (pre-order), including n itself. */
export function* walk(n: Node): Generator<Node> {
  yield n;
  for (const c of n.namedChildren) yield* walk(c);
}

/** The name of a call whose function is written as a bare identifier (`f(x)`, not `(f)(x)` or `p->f(x)`). */
export function calledIdentifier(call: Node): string | null {
  const f = call.childForFieldName('function');
  return f && f.type === 'identifier' ? f.text : null;
}
