/**
 * A function's scope, collected in a first pass over its body before any fact is extracted: its
 * parameters and locals, what is assigned to them and to struct fields, their struct types, the
 * variables that decide a socket's kind or hold a call's status, family filters and assertions.
 */
import { AI_FAMILY_FIELD, AI_SOCKTYPE_FIELD, ASSERTION, INET_FAMILIES, STATUS_CALLS } from '../libc.js';
import { constantAtom } from './kinds.js';
import type { KindAtom } from './model.js';
import { addIdentifiers, calleeName, declaratorName, expressionKey, push, stripWrappers, structTypeName, type Node } from './tree.js';

export interface Scope {
  name: string | null;
  params: string[];
  locals: Set<string>;
  /** Right-hand sides assigned to each local. */
  assigns: Map<string, Node[]>;
  /** Right-hand sides assigned to each struct field name (`hints.ai_socktype = ...`, `.ai_family = ...`). */
  fieldAssigns: Map<string, Node[]>;
  /** Identifiers that decide a socket's kind here: a condition on them is about the socket, not configuration. */
  kindVars: Set<string>;
  /** Locals holding the result of a socket API call (error checks). */
  statusVars: Set<string>;
  /** Locals holding the result of any call (`rc = prepare(fd); if (rc) goto fail;`). */
  resultVars: Set<string>;
  /** A loop here skips getaddrinfo results that are not AF_INET/AF_INET6. */
  familyFilter: boolean;
  /** Atoms of locals already evaluated (assignments can be many and cyclic). */
  atomCache: Map<string, KindAtom[]>;
  /** Struct type of each parameter and local that has one. */
  types: Map<string, string>;
  /** Kind expressions an assertion pins (`ASSERT(ai->ai_socktype == SOCK_DGRAM)`), by their text. */
  asserted: Map<string, KindAtom[]>;
}

export function emptyScope(name: string | null, params: string[]): Scope {
  return {
    name, params, locals: new Set(), assigns: new Map(), fieldAssigns: new Map(), kindVars: new Set(), statusVars: new Set(), resultVars: new Set(),
    familyFilter: false, atomCache: new Map(), types: new Map(), asserted: new Map(),
  };
}

/** First pass over a body: locals, what is assigned to them, hints fields, kind variables, family filters. */
export function collectScopeFacts(node: Node, scope: Scope, typedefs: ReadonlyMap<string, string> | undefined, isSocketCall: (name: string) => boolean): void {
  switch (node.type) {
    case 'call_expression': {
      const name = calleeName(node);
      const check = node.childForFieldName('arguments')?.namedChildren[0];
      if (name && check && ASSERTION.test(name)) collectAssertedKinds(check, scope.asserted);
      break;
    }
    case 'init_declarator':
      collectDeclaration(node, scope, true);
      break;
    case 'declaration': {
      const type = structTypeName(node.childForFieldName('type'), typedefs);
      for (const d of node.namedChildren) {
        if (d.type === 'identifier' || d.type === 'array_declarator' || d.type === 'pointer_declarator' || d.type === 'init_declarator') {
          const n = declaratorName(d);
          if (n && d.type !== 'init_declarator') scope.locals.add(n);
          if (n && type) scope.types.set(n, type);
        }
      }
      break;
    }
    case 'assignment_expression': {
      const left = node.childForFieldName('left');
      const right = node.childForFieldName('right');
      if (!left || !right || node.childForFieldName('operator')?.text !== '=') break;
      const target = stripWrappers(left);
      if (target.type === 'identifier') push(scope.assigns, target.text, right);
      else if (target.type === 'field_expression') {
        const field = target.childForFieldName('field')?.text;
        if (field) {
          push(scope.fieldAssigns, field, right);
          if (field === AI_FAMILY_FIELD || field === AI_SOCKTYPE_FIELD) addIdentifiers(right, scope.kindVars);
        }
      }
      const value = stripWrappers(right);
      if (target.type === 'identifier' && value.type === 'call_expression') {
        scope.resultVars.add(target.text);
        if (STATUS_CALLS.includes(calleeName(value) ?? '')) scope.statusVars.add(target.text);
      }
      break;
    }
    case 'initializer_pair': {
      const designator = node.childForFieldName('designator') ?? node.namedChildren[0];
      const value = node.childForFieldName('value');
      const field = designator?.type === 'field_designator' ? designator.text.replace(/^\./, '') : null;
      if (field && value) {
        push(scope.fieldAssigns, field, value);
        if (field === AI_FAMILY_FIELD || field === AI_SOCKTYPE_FIELD) addIdentifiers(value, scope.kindVars);
      }
      break;
    }
    case 'if_statement': {
      // `if (ai->ai_family != AF_INET && ai->ai_family != AF_INET6) continue;`: a loop that skips
      // every result that is not inet
      const condition = node.childForFieldName('condition')?.text ?? '';
      const consequence = node.childForFieldName('consequence')?.text ?? '';
      if (condition.includes(AI_FAMILY_FIELD) && condition.includes('!=') && INET_FAMILIES.some((f) => condition.includes(f)) && /\b(continue|close\w*|\w*CLOSE\w*)\b/.test(consequence)) {
        scope.familyFilter = true;
      }
      // `if (family != AF_INET && family != AF_INET6) return -1;`: past it, the family is inet
      const rejected = inetOnlyGuard(node.childForFieldName('condition'));
      if (rejected && /\b(?:return|goto|continue|break|exit|abort)\b/.test(consequence) && !node.childForFieldName('alternative')) {
        scope.asserted.set(rejected, ['inet']);
      }
      break;
    }
    case 'binary_expression': {
      if (/\b(AF|PF)_[A-Z0-9]+\b/.test(node.text)) addIdentifiers(node, scope.kindVars);
      break;
    }
    case 'call_expression': {
      const name = calleeName(node);
      if (name && isSocketCall(name)) {
        for (const a of node.childForFieldName('arguments')?.namedChildren ?? []) addIdentifiers(a, scope.kindVars);
      }
      break;
    }
  }
}

export function collectDeclaration(node: Node, scope: Scope, local: boolean): void {
  const name = declaratorName(node.childForFieldName('declarator'));
  if (!name) return;
  if (local) scope.locals.add(name);
  const value = node.childForFieldName('value');
  if (value) {
    push(scope.assigns, name, value);
    const v = stripWrappers(value);
    if (v.type === 'call_expression') {
      scope.resultVars.add(name);
      if (STATUS_CALLS.includes(calleeName(v) ?? '')) scope.statusVars.add(name);
    }
  }
}

/** `ASSERT(ai->ai_socktype == SOCK_STREAM && x)`: each `expr == KIND_CONSTANT` it requires, by the expression's text. */
function collectAssertedKinds(check: Node, into: Map<string, KindAtom[]>): void {
  const c = stripWrappers(check);
  if (c.type !== 'binary_expression') return;
  const op = c.childForFieldName('operator')?.text;
  const left = c.childForFieldName('left');
  const right = c.childForFieldName('right');
  if (!left || !right) return;
  if (op === '&&') {
    collectAssertedKinds(left, into);
    collectAssertedKinds(right, into);
    return;
  }
  if (op !== '==') return;
  for (const [expr, value] of [[left, right], [right, left]] as const) {
    const v = stripWrappers(value);
    const atom = v.type === 'identifier' ? constantAtom(v.text) : null;
    if (atom && atom !== 'flag') into.set(expressionKey(stripWrappers(expr).text), [atom]);
  }
}

/**
 * The expression a condition rejects unless it is an inet family: `x != AF_INET && x != AF_INET6`
 * (or one such comparison), by its text; null for anything else.
 */
function inetOnlyGuard(condition: Node | null): string | null {
  if (!condition) return null;
  const c = stripWrappers(condition);
  if (c.type !== 'binary_expression') return null;
  const op = c.childForFieldName('operator')?.text;
  if (op === '&&') {
    const a = inetOnlyGuard(c.childForFieldName('left'));
    const b = inetOnlyGuard(c.childForFieldName('right'));
    return a !== null && a === b ? a : null;
  }
  if (op !== '!=') return null;
  const left = stripWrappers(c.childForFieldName('left')!);
  const right = stripWrappers(c.childForFieldName('right')!);
  if (INET_FAMILIES.includes(right.text)) return expressionKey(left.text);
  if (INET_FAMILIES.includes(left.text)) return expressionKey(right.text);
  return null;
}
