/**
 * HTTP agents of the project: classes extending Node's http(s).Agent (or a library's Agent class
 * built on it) whose socket method returns the socket the agent keeps (node-api.ts, AGENT_CLASSES).
 */
import { ts } from './typescript.js';
import { AGENT_CLASSES, AGENT_SOCKET_METHODS, LIBRARY_AGENT_CLASS, LIBRARY_AGENT_SOCKET_METHODS } from './node-api.js';
import { moduleValue } from './imports.js';
import type { FileIndex } from './file-index.js';
import { accessedName, firstSuperCall, propertyNameText, skipOuterExpressions } from './syntax.js';

const MAX_BASE_DEPTH = 4;

/** The agent class whose socket method `fn` is (the agent keeps what it returns), else null. */
export function agentOfMethod(fn: ts.FunctionLikeDeclaration, project: FileIndex): ts.ClassLikeDeclaration | null {
  if (!ts.isMethodDeclaration(fn) || !ts.isClassLike(fn.parent)) return null;
  const name = propertyNameText(fn.name);
  if (name === null) return null;
  const kind = agentKind(fn.parent, project, 0);
  if (kind === 'node' && AGENT_SOCKET_METHODS.includes(name)) return fn.parent;
  if (kind === 'library' && LIBRARY_AGENT_SOCKET_METHODS.includes(name)) return fn.parent;
  return null;
}

/** Does the class extend Node's Agent, a library's Agent, or neither (through the project's own classes)? */
function agentKind(cls: ts.ClassLikeDeclaration, project: FileIndex, depth: number): 'node' | 'library' | null {
  const base = cls.heritageClauses?.find((h) => h.token === ts.SyntaxKind.ExtendsKeyword)?.types[0]?.expression;
  if (!base || depth > MAX_BASE_DEPTH) return null;
  const ctx = project.fileOf(cls);
  const v = moduleValue(base, ctx.bindings);
  if (v) return v.kind === 'member' && AGENT_CLASSES.some((a) => a.module === v.module && a.name === v.name) ? 'node' : null;
  const inner = skipOuterExpressions(base);
  const name = ts.isIdentifier(inner) ? inner.text : accessedName(inner);
  if (name === null) return null;
  const own = project.classesNamed(ctx, name).filter((c) => c !== cls);
  if (own.length) return agentKind(own[0]!, project, depth + 1);
  return name === LIBRARY_AGENT_CLASS ? 'library' : null;
}

/**
 * The arguments the agent's options reach Node's Agent constructor with: its constructor's
 * `super(…)` arguments, [] for `super()`, or null when the class has no constructor of its own (or
 * no super call in it): the arguments of each `new` pass through, the caller's.
 */
export function agentConstructorArguments(cls: ts.ClassLikeDeclaration): readonly ts.Expression[] | null {
  const ctor = cls.members.find((m): m is ts.ConstructorDeclaration => ts.isConstructorDeclaration(m) && !!m.body);
  const sup = ctor?.body ? firstSuperCall(ctor.body) : null;
  return sup ? sup.arguments : null;
}
