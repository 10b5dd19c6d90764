/**
 * Small pure questions about syntax. They use only SyntaxKind checks through the `typescript`
 * package, so they work on trees from our own parse and on those of a typescript-eslint Program.
 */
import { ts } from './typescript.js';
import { CHAINABLE_SOCKET_METHODS, KEEPALIVE_OPTION, LISTENER_METHODS, SOCKET_MODULES, type NodeModule } from './node-api.js';

/**
 * Kinds read once: every `ts.X` is a getter call on TypeScript's module object, and the helpers
 * below run for most nodes of a file.
 */
const K = ts.SyntaxKind;

/** 'net' for "net" and "node:net"; null for anything else. */
export function socketModuleOf(specifier: string): NodeModule | null {
  const bare = specifier.startsWith('node:') ? specifier.slice(5) : specifier;
  return (SOCKET_MODULES as readonly string[]).includes(bare) ? (bare as NodeModule) : null;
}

/** The text of a string literal or no-substitution template, else null. */
export function stringValue(node: ts.Node | undefined): string | null {
  if (!node) return null;
  if (node.kind === K.StringLiteral || node.kind === K.NoSubstitutionTemplateLiteral) return (node as ts.StringLiteralLike).text;
  return null;
}

/** `require('x')` → 'x'. */
export function requireSpecifier(node: ts.Node): string | null {
  if (!ts.isCallExpression(node)) return null;
  if (!ts.isIdentifier(node.expression) || node.expression.text !== 'require') return null;
  return node.arguments.length === 1 ? stringValue(node.arguments[0]) : null;
}

/** Strips parentheses, type assertions, `!`, `satisfies` around an expression. */
export function skipOuterExpressions(node: ts.Expression): ts.Expression {
  let n: ts.Expression = node;
  for (;;) {
    switch (n.kind) {
      case K.ParenthesizedExpression:
      case K.AsExpression:
      case K.NonNullExpression:
      case K.TypeAssertionExpression:
      case K.SatisfiesExpression:
        n = (n as ts.ParenthesizedExpression | ts.AsExpression | ts.NonNullExpression | ts.TypeAssertion | ts.SatisfiesExpression).expression;
        break;
      default:
        return n;
    }
  }
}

/** The name of a property (identifier, private name, string or numeric literal key), else null. */
export function propertyNameText(name: ts.PropertyName | ts.MemberName | undefined): string | null {
  if (!name) return null;
  if (ts.isIdentifier(name) || ts.isPrivateIdentifier(name) || ts.isStringLiteral(name) || ts.isNumericLiteral(name)) return name.text;
  return null;
}

/** `obj.name` or `obj['name']` → name. */
export function accessedName(node: ts.Node): string | null {
  if (node.kind === K.PropertyAccessExpression) return (node as ts.PropertyAccessExpression).name.text;
  if (node.kind === K.ElementAccessExpression) return stringValue((node as ts.ElementAccessExpression).argumentExpression);
  return null;
}

/** The method name of `x.m(...)`, else null. */
export function calledMethodName(call: ts.CallExpression): string | null {
  return accessedName(skipOuterExpressions(call.expression));
}

/** Is `prop` a `keepAlive: …` property (also `'keepAlive': …` and shorthand `{ keepAlive }`)? */
export function isKeepAliveOption(prop: ts.ObjectLiteralElementLike): prop is ts.PropertyAssignment | ts.ShorthandPropertyAssignment {
  return optionName(prop) === KEEPALIVE_OPTION;
}

/** Name of an object literal property (assignment, shorthand, method), else null (spreads). */
export function optionName(prop: ts.ObjectLiteralElementLike): string | null {
  if (ts.isPropertyAssignment(prop) || ts.isMethodDeclaration(prop)) return propertyNameText(prop.name);
  if (ts.isShorthandPropertyAssignment(prop)) return prop.name.text;
  return null;
}

/** Is `call` an `x.on/once/addListener/…(event, fn)` for the given event? */
export function isListenerCall(call: ts.CallExpression, event?: string): boolean {
  const method = calledMethodName(call);
  if (method === null || !LISTENER_METHODS.includes(method)) return false;
  const name = stringValue(call.arguments[0]);
  return name !== null && (event === undefined || name === event);
}

/**
 * `target.on(event, handler)` in a helper that registers listeners for its callers
 * (`bind(sock, 'error', onError)`): the listener calls on parameter `target` whose event is parameter
 * `event`, so a caller passing 'error' there gives the socket an 'error' listener. Nested functions
 * are skipped: they may never run.
 */
export function forwardedListenerCalls(fn: ts.FunctionLikeDeclaration, target: ts.ParameterDeclaration, event: ts.ParameterDeclaration): ts.CallExpression[] {
  if (!fn.body || !ts.isIdentifier(target.name) || !ts.isIdentifier(event.name)) return [];
  const targetName = target.name.text;
  const eventName = event.name.text;
  const out: ts.CallExpression[] = [];
  const visit = (n: ts.Node): void => {
    if (isFunctionLike(n)) return;
    if (ts.isCallExpression(n) && ts.isPropertyAccessExpression(n.expression)) {
      const method = calledMethodName(n);
      const receiver = skipOuterExpressions(n.expression.expression);
      const arg = n.arguments[0] && skipOuterExpressions(n.arguments[0]);
      if (method !== null && LISTENER_METHODS.includes(method) && ts.isIdentifier(receiver) && receiver.text === targetName && arg && ts.isIdentifier(arg) && arg.text === eventName) out.push(n);
    }
    ts.forEachChild(n, visit);
  };
  ts.forEachChild(fn.body, visit);
  return out;
}

/**
 * The name of the class a `super(…)` call constructs: the `extends` clause of the class around it
 * (`class Client extends Socket` → `Socket`, `extends base.Socket` → `Socket`), else null.
 */
export function superClassName(call: ts.CallExpression): string | null {
  if (call.expression.kind !== ts.SyntaxKind.SuperKeyword) return null;
  let n: ts.Node | undefined = call.parent;
  while (n && !ts.isClassLike(n)) n = n.parent;
  const base = n?.heritageClauses?.find((h) => h.token === ts.SyntaxKind.ExtendsKeyword)?.types[0]?.expression;
  if (!base) return null;
  const inner = skipOuterExpressions(base);
  if (ts.isIdentifier(inner)) return inner.text;
  return ts.isPropertyAccessExpression(inner) ? inner.name.text : null;
}

/** A method whose call returns the socket it was called on (so `x.on(…).setKeepAlive(…)` is still x). */
export function isChainableSocketMethod(name: string): boolean {
  return CHAINABLE_SOCKET_METHODS.includes(name);
}

/** true / false literals → boolean; anything else → null (known only at run time). */
export function booleanLiteral(node: ts.Expression | undefined): boolean | null {
  if (!node) return null;
  const n = skipOuterExpressions(node);
  if (n.kind === ts.SyntaxKind.TrueKeyword) return true;
  if (n.kind === ts.SyntaxKind.FalseKeyword) return false;
  // !0 / !1, as minifiers write them
  if (ts.isPrefixUnaryExpression(n) && n.operator === ts.SyntaxKind.ExclamationToken && ts.isNumericLiteral(n.operand)) return Number(n.operand.text) === 0;
  return null;
}

/** A numeric value when the expression is a literal or simple constant arithmetic (30 * 1000). */
export function numericValue(node: ts.Expression | undefined): number | null {
  if (!node) return null;
  const n = skipOuterExpressions(node);
  if (ts.isNumericLiteral(n)) return Number(n.text.replace(/_/g, ''));
  if (ts.isPrefixUnaryExpression(n) && n.operator === ts.SyntaxKind.MinusToken) {
    const v = numericValue(n.operand);
    return v === null ? null : -v;
  }
  if (ts.isBinaryExpression(n)) {
    const a = numericValue(n.left);
    const b = numericValue(n.right);
    if (a === null || b === null) return null;
    switch (n.operatorToken.kind) {
      case ts.SyntaxKind.AsteriskToken: return a * b;
      case ts.SyntaxKind.PlusToken: return a + b;
      case ts.SyntaxKind.MinusToken: return a - b;
      case ts.SyntaxKind.SlashToken: return b === 0 ? null : a / b;
      default: return null;
    }
  }
  return null;
}

/** The indexing walk asks isFunctionLike of every node of a file: one set lookup. */
const FUNCTION_LIKE_KINDS: ReadonlySet<ts.SyntaxKind> = new Set([
  K.FunctionDeclaration, K.FunctionExpression, K.ArrowFunction, K.MethodDeclaration, K.Constructor, K.GetAccessor, K.SetAccessor,
]);

export function isFunctionLike(node: ts.Node): node is ts.FunctionLikeDeclaration {
  return FUNCTION_LIKE_KINDS.has(node.kind);
}

export function enclosingFunction(node: ts.Node): ts.FunctionLikeDeclaration | null {
  for (let n = node.parent; n; n = n.parent) if (isFunctionLike(n)) return n;
  return null;
}

/** Is `inner` inside (or equal to) `outer`? */
export function contains(outer: ts.Node, inner: ts.Node): boolean {
  for (let n: ts.Node | undefined = inner; n; n = n.parent) if (n === outer) return true;
  return false;
}

/** Is the node (through parentheses and `!`) the target of an assignment (`x = …`, `x += …`)? */
export function isAssignmentTarget(node: ts.Node): boolean {
  let n = node;
  while (ts.isParenthesizedExpression(n.parent) || ts.isNonNullExpression(n.parent)) n = n.parent;
  const p = n.parent;
  return ts.isBinaryExpression(p) && p.left === n && p.operatorToken.kind >= ts.SyntaxKind.FirstAssignment && p.operatorToken.kind <= ts.SyntaxKind.LastAssignment;
}

/** The first `super(…)` call of a constructor body (arrow functions included, not nested functions or classes). */
export function firstSuperCall(body: ts.Block): ts.CallExpression | null {
  let found: ts.CallExpression | null = null;
  const visit = (n: ts.Node): void => {
    if (found) return;
    if (ts.isCallExpression(n) && n.expression.kind === ts.SyntaxKind.SuperKeyword) {
      found = n;
      return;
    }
    if (ts.isFunctionLike(n) && !ts.isArrowFunction(n)) return;
    if (ts.isClassLike(n)) return;
    ts.forEachChild(n, visit);
  };
  ts.forEachChild(body, visit);
  return found;
}
