/**
 * Kind atoms of an expression in its function: what a socket() argument says about the family,
 * type or protocol, through locals, array initializers, `?:`, OR'ed flags, getaddrinfo hints,
 * assertions and project macros (see KindAtom).
 */
import { AI_FAMILY_FIELD, AI_PROTOCOL_FIELD, AI_SOCKTYPE_FIELD, HOSTENT_FAMILY_FIELD } from '../libc.js';
import { constantAtom, orAtoms, textAtoms, union } from './kinds.js';
import type { KindAtom } from './model.js';
import type { Scope } from './scope.js';
import { expressionKey, stripWrappers, type CallArg, type Node } from './tree.js';

const MAX_DEPTH = 6;

export function argAtoms(constants: ReadonlyMap<string, string>, arg: CallArg | undefined, scope: Scope, notes: Set<string>): KindAtom[] {
  if (!arg) return ['unknown'];
  if ('text' in arg) return textAtoms(arg.text, constants);
  return atoms(constants, arg.node, scope, 0, notes);
}

/** What an expression says about a socket's kind (see KindAtom). */
export function atoms(constants: ReadonlyMap<string, string>, node: Node, scope: Scope, depth: number, notes?: Set<string>): KindAtom[] {
  if (depth > MAX_DEPTH) return ['unknown'];
  node = stripWrappers(node);
  const pinned = scope.asserted.size > 0 ? scope.asserted.get(expressionKey(node.text)) : undefined;
  if (pinned) return pinned;
  switch (node.type) {
    case 'identifier': {
      const name = node.text;
      const constant = constantAtom(name);
      if (constant) return [constant];
      const index = scope.params.indexOf(name);
      if (index >= 0 && !scope.assigns.has(name)) return [`param:${index}`];
      const assigned = scope.assigns.get(name);
      if (assigned && (scope.locals.has(name) || index >= 0)) {
        const cached = scope.atomCache.get(name);
        if (cached) return cached;
        scope.atomCache.set(name, ['unknown']); // a cycle (`a = b; b = a`) says nothing
        const lists = assigned.map((v) => atoms(constants, v, scope, depth + 1, notes));
        if (index >= 0) lists.push([`param:${index}`]);
        const result = union(lists);
        scope.atomCache.set(name, result);
        return result;
      }
      const body = constants.get(name);
      if (body !== undefined) return textAtoms(body, constants);
      return ['unknown'];
    }
    case 'number_literal':
      return /^\d+$/.test(node.text) ? [`num:${Number(node.text)}`] : ['unknown'];
    case 'binary_expression': {
      if (node.childForFieldName('operator')?.text !== '|') return ['unknown'];
      return orAtoms([
        atoms(constants, node.childForFieldName('left')!, scope, depth + 1, notes),
        atoms(constants, node.childForFieldName('right')!, scope, depth + 1, notes),
      ]);
    }
    case 'subscript_expression':
      // `family[i]` with `int family[] = { AF_INET, AF_INET6 }`: any of the elements
      return atoms(constants, node.childForFieldName('argument')!, scope, depth + 1, notes);
    case 'initializer_list':
      return union(node.namedChildren.filter((c) => c.type !== 'comment').map((c) => atoms(constants, c, scope, depth + 1, notes)));
    case 'conditional_expression':
      return union([
        atoms(constants, node.childForFieldName('consequence')!, scope, depth + 1, notes),
        atoms(constants, node.childForFieldName('alternative')!, scope, depth + 1, notes),
      ]);
    case 'field_expression': {
      const field = node.childForFieldName('field')?.text ?? '';
      const cacheKey = `.${field}`;
      const cached = scope.atomCache.get(cacheKey);
      if (cached) return cached;
      scope.atomCache.set(cacheKey, ['unknown']);
      const result = fieldAtoms(constants, field, scope, depth, notes);
      scope.atomCache.set(cacheKey, result);
      return result;
    }
    default:
      return ['unknown'];
  }
}

/** A field read: getaddrinfo results take family and type from the hints; other fields from what is stored in them here. */
export function fieldAtoms(constants: ReadonlyMap<string, string>, field: string, scope: Scope, depth: number, notes?: Set<string>): KindAtom[] {
  {
    {
      const hints = scope.fieldAssigns.get(field) ?? [];
      if (field === HOSTENT_FAMILY_FIELD) {
        notes?.add('resolver result');
        return ['inet'];
      }
      if (field === AI_FAMILY_FIELD) {
        notes?.add('getaddrinfo result');
        if (scope.familyFilter) notes?.add('non-inet families skipped');
        // getaddrinfo only ever returns AF_INET/AF_INET6 results; hints can only narrow that
        // (a hint that is a parameter is left to the callers: a project's own resolver
        // wrapper may serve AF_UNIX too)
        const hinted = union(hints.map((h) => atoms(constants, h, scope, depth + 1, notes)));
        if (scope.familyFilter || hints.length === 0) return ['inet'];
        if (hinted.some((a) => a.startsWith('param:'))) return hinted.map((a) => (a === 'unspec' || a === 'unknown' ? 'inet' : a));
        if (!hinted.every((a) => a === 'nonInet')) return ['inet'];
        return hinted;
      }
      if (field === AI_SOCKTYPE_FIELD || field === AI_PROTOCOL_FIELD) {
        notes?.add('getaddrinfo result');
        if (hints.length === 0) return field === AI_PROTOCOL_FIELD ? [] : ['unknown'];
        return union(hints.map((h) => atoms(constants, h, scope, depth + 1, notes)));
      }
      if (hints.length > 0) return union(hints.map((h) => atoms(constants, h, scope, depth + 1, notes)));
      return ['unknown'];
    }
  }
}
