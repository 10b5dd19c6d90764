/**
 * Small helpers over the copied syntax tree (tree-sitter-c node types): names, declarators,
 * wrappers, identifiers read by an expression.
 */
import type { FunctionFact } from './model.js';
import type { LiteNode } from '../scan/lite-tree.js';

export type Node = LiteNode;

/** One argument of a known call: a node in the source, or fixed text from a macro body. */
export type CallArg = { node: Node } | { text: string };

/** An expression's text without spaces, so `ai -> ai_socktype` and `ai->ai_socktype` match. */
export function expressionKey(text: string): string {
  return text.replace(/\s+/g, '');
}

/** `int fd`, `evutil_socket_t sock`, `SOCKET s`: a scalar parameter named or typed like a descriptor. */
export function isDescriptorParam(param: Node): boolean {
  const declarator = param.childForFieldName('declarator');
  if (!declarator || declarator.type !== 'identifier') return false;
  const type = param.childForFieldName('type')?.text ?? '';
  const name = declarator.text;
  return DESCRIPTOR_TYPE.test(type) && /(?:^fd$|fd$|^s$|sock|listen)/i.test(name);
}

/** Type names a descriptor is declared with (`int`, `SOCKET`, `evutil_socket_t`, `socket_descriptor_t`). */
export const DESCRIPTOR_TYPE = /^(?:int|SOCKET|\w*socket\w*|\w*_fd_t|\w*sock\w*_t)$/i;

export const KEYWORDS = new Set(['if', 'while', 'for', 'switch', 'return', 'sizeof', 'do', 'else', 'case']);

/** The struct a declaration's type names (`struct conn *`, `conn_t *` via typedef), or null for scalars. */
export function structTypeName(type: Node | null, typedefs?: ReadonlyMap<string, string>): string | null {
  if (!type) return null;
  if (type.type === 'struct_specifier' || type.type === 'union_specifier') {
    const name = type.childForFieldName('name')?.text;
    return name ? typedefs?.get(name) ?? name : null;
  }
  if (type.type === 'type_identifier') return typedefs?.get(type.text) ?? type.text;
  return null;
}

/** `if (x) {` read as a function named `if` (macros confuse the grammar): not a function. */
export function isMisparsedFunction(fn: Node): boolean {
  const declarator = fn.childForFieldName('declarator');
  const fnDecl = declarator ? findFunctionDeclarator(declarator) : null;
  const name = fnDecl ? declaratorName(fnDecl.childForFieldName('declarator')) : null;
  return name !== null && KEYWORDS.has(name);
}


/** Is this node a value whose flow matters: a variable read, the outermost field or element access? */
export function isValueNode(node: Node): boolean {
  const deref = node.type === 'pointer_expression' && node.childForFieldName('operator')?.text === '*';
  if (node.type !== 'identifier' && node.type !== 'field_expression' && node.type !== 'subscript_expression' && !deref) return false;
  const p = node.parent;
  if (!p) return false;
  switch (p.type) {
    case 'field_expression':
    case 'subscript_expression':
      return !sameNode(p.childForFieldName('argument'), node);
    case 'call_expression':
      return !sameNode(p.childForFieldName('function'), node);
    case 'assignment_expression':
      return !sameNode(p.childForFieldName('left'), node);
    case 'init_declarator':
      return !sameNode(p.childForFieldName('declarator'), node);
    case 'pointer_expression':
      return false; // `&fd` handled as an out-parameter, `*p` as a carrier
    case 'declaration':
    case 'parameter_declaration':
    case 'pointer_declarator':
    case 'array_declarator':
    case 'function_declarator':
    case 'goto_statement':
    case 'labeled_statement':
    case 'preproc_def':
    case 'preproc_function_def':
    case 'preproc_ifdef':
      return false;
    default:
      return true;
  }
}

export function collectNodes(root: Node): Node[] {
  const out: Node[] = [];
  const stack: Node[] = [root];
  while (stack.length > 0) {
    const node = stack.pop()!;
    out.push(node);
    for (let i = node.namedChildCount - 1; i >= 0; i--) stack.push(node.namedChild(i)!);
  }
  return out;
}

export function findFunctionDeclarator(node: Node): Node | null {
  for (let cur: Node | null = node; cur; cur = cur.childForFieldName('declarator')) {
    if (cur.type === 'function_declarator') return cur;
  }
  return null;
}

/** The name a declarator declares (`*fd`, `fds[2]`, `(*fn)(void)` -> fd, fds, fn). */
export function declaratorName(node: Node | null): string | null {
  for (let cur = node; cur; cur = cur.childForFieldName('declarator') ?? (cur.type === 'parenthesized_declarator' ? cur.namedChildren[0] ?? null : null)) {
    if (cur.type === 'identifier' || cur.type === 'field_identifier') return cur.text;
  }
  return null;
}

export function calleeName(call: Node): string | null {
  const fn = call.childForFieldName('function');
  const inner = fn ? stripWrappers(fn) : null;
  return inner?.type === 'identifier' ? inner.text : null;
}

/** Parentheses and casts do not change which fd or constant an expression is. */
export function stripWrappers(node: Node): Node {
  let cur = node;
  for (;;) {
    if (cur.type === 'parenthesized_expression' && cur.namedChildCount >= 1) cur = cur.namedChild(0)!;
    else if (cur.type === 'cast_expression' && cur.childForFieldName('value')) cur = cur.childForFieldName('value')!;
    else return cur;
  }
}

export function sameNode(a: Node | null | undefined, b: Node | null | undefined): boolean {
  return !!a && !!b && a.startIndex === b.startIndex && a.endIndex === b.endIndex && a.type === b.type;
}

export function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

/**
 * Identifiers read in an expression. For kind variables, the struct a field is read from
 * (`cancel` in `cancel->addr.ss_family`, `ls` and `i` in `ls[i].sockaddr->sa_family`) is not one:
 * its other fields may well be configuration.
 */
export function addIdentifiers(node: Node, into: Set<string>, skipCallees = false, skipFieldBases = !skipCallees): void {
  const stack: Array<[Node, boolean]> = [[node, false]];
  while (stack.length > 0) {
    const [n, inBase] = stack.pop()!;
    if (n.type === 'identifier') {
      const p = n.parent;
      const callee = p?.type === 'call_expression' && sameNode(p.childForFieldName('function'), n);
      if (!(skipCallees && callee) && !(skipFieldBases && inBase)) into.add(n.text);
    }
    const base = n.type === 'field_expression' ? n.childForFieldName('argument') : null;
    for (let i = 0; i < n.namedChildCount; i++) {
      const child = n.namedChild(i)!;
      stack.push([child, inBase || sameNode(child, base)]);
    }
  }
}

export function literalNumber(node: Node, constants: ReadonlyMap<string, string>): number | undefined {
  const n = stripWrappers(node);
  const text = n.type === 'identifier' ? constants.get(n.text) ?? n.text : n.text;
  return /^\d+$/.test(text.trim()) ? Number(text.trim()) : undefined;
}

export function returnKind(typeText: string, pointer: boolean): FunctionFact['returns'] {
  if (pointer) return 'unknown';
  if (typeText === 'void') return 'void';
  if (['int', 'long', 'ssize_t', 'int32_t'].includes(typeText)) return 'int';
  return 'unknown';
}
