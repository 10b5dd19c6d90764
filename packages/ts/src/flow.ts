/**
 * Where a socket goes after it is created: variables, `this.x` fields (also read in neighbouring
 * modules), chained calls, helpers and constructors it is passed to, functions that return it (and
 * their callers, each caller a path of its own), promises and deferreds resolved with it, callbacks
 * called with it, custom events emitted with it, `this` in listeners. Along the way it collects the
 * evidence verdicts need: setKeepAlive calls, 'error' listeners, connect/listen calls and
 * 'connection' listeners.
 */
import { ts } from './typescript.js';
import { CONNECTION_EVENTS, ERROR_EVENT, ERROR_HANDLING_CALLEES, LISTENER_METHODS, REQUEST_SOCKET_EVENTS, SET_KEEPALIVE } from './node-api.js';
import { sameBundleModule } from './bundle.js';
import { agentOfMethod } from './agent.js';
import { forwarderOwner, keepAliveForwarderOf } from './forwarder.js';
import { functionNames, hasBuiltinReceiver, type Callish, type Declaration, type FileCtx, type FileIndex } from './file-index.js';
import { accessedName, forwardedListenerCalls, isAssignmentTarget, isChainableSocketMethod, isFunctionLike, skipOuterExpressions, stringValue, superClassName } from './syntax.js';

export interface SocketFlow {
  /** Every expression known to evaluate to the socket. */
  values: Set<ts.Node>;
  keepAliveCalls: ts.CallExpression[];
  errorListeners: ts.CallExpression[];
  connectCalls: ts.CallExpression[];
  listenCalls: ts.CallExpression[];
  /** Functions registered as 'connection'/'secureConnection' listeners (servers). */
  connectionListeners: ts.Expression[];
  /** Listeners of an http(s) server's events that hand over one request's socket ('upgrade', 'connect'). */
  requestSocketListeners: Array<{ event: string; listener: ts.Expression }>;
  /** The socket reaches code we cannot follow (unknown callee, array, object field). */
  escaped: boolean;
  /**
   * Where the socket was handed, inside an object, to a callback its caller chose
   * (`callback(null, { connection: socket })`): code that may well configure it and that we do
   * not see. Without keepalive evidence its verdict is `unknown`, not `no`.
   */
  lostAt: ts.Node | null;
  /** Declarations and property names the socket is stored in. */
  holders: Set<Declaration | string>;
  /** setKeepAlive calls made by only some of the callers a factory returns the socket to. */
  someCallers: Set<ts.CallExpression>;
  /** HTTP agent classes whose socket method returns the socket: Node's agent keeps it (agent.ts). */
  agents: ts.ClassLikeDeclaration[];
}

const MAX_VALUES = 2000;
/** Methods that store their argument in a collection. */
const COLLECTION_METHODS = new Set(['add', 'set', 'push', 'unshift', 'splice', 'append', 'enqueue', 'put', 'concat']);
const MAX_SAME_NAME_TARGETS = 3;
/** The first parameter of a node-style callback. */
const ERROR_PARAMETER = /^_?(err|error|e|er|ex)$/i;
/** Above this many reads of one property name in a file, only reads through the same receiver count. */
const BUSY_PROPERTY = 40;

/** `self.options` and `this.options` name the same object inside a class or prototype method. */
function receiverPath(e: ts.Expression): string {
  return e.getText().replace(/\s+/g, '').replace(/^(self|that|_this|_self|me)(?=\.|$)/, 'this');
}

/** Functions that use a socket passed to them without keeping it (or adding listeners to it). */
const NON_RETAINING_CALLEES = new Set(['pipe', 'unpipe', 'log', 'info', 'debug', 'warn', 'error', 'trace', 'includes', 'indexOf', 'has', 'delete', 'equal', 'strictEqual', 'ok', 'isIP', 'String', 'Boolean', 'inspect', 'format']);

export function newFlow(): SocketFlow {
  return { values: new Set(), keepAliveCalls: [], errorListeners: [], connectCalls: [], listenCalls: [], connectionListeners: [], requestSocketListeners: [], escaped: false, lostAt: null, holders: new Set(), someCallers: new Set(), agents: [] };
}

/** Shared by a tracer and the tracers it starts for each caller of a factory. */
interface TraceShared {
  trackedReturns: Set<ts.Node>;
}

const MAX_CALLER_DEPTH = 6;

export class FlowTracer {
  private readonly trackedFactories = new Set<ts.Node>();
  private readonly trackedProps = new Set<string>();
  private readonly trackedThis = new Set<ts.Node>();
  /** Nodes followed as objects holding the socket, with the property names followed. */
  private readonly trackedContainers = new Map<ts.Node, Set<string>>();

  constructor(
    private readonly project: FileIndex,
    readonly flow: SocketFlow = newFlow(),
    private readonly shared: TraceShared = { trackedReturns: new Set() },
    private readonly depth = 0,
  ) {}

  /** `expr` evaluates to the socket. */
  value(expr: ts.Node): void {
    const flow = this.flow;
    if (flow.values.has(expr) || flow.values.size > MAX_VALUES) return;
    flow.values.add(expr);
    let node: ts.Node = expr;
    for (;;) {
      const p: ts.Node = node.parent;
      if (!p) return;
      if (ts.isParenthesizedExpression(p) || ts.isAsExpression(p) || ts.isNonNullExpression(p) || ts.isSatisfiesExpression(p) || ts.isTypeAssertionExpression(p) || ts.isAwaitExpression(p) || (ts.isYieldExpression(p) && !p.asteriskToken)) {
        // yield passes the value through in compiled async functions (__awaiter generators)
        node = p;
      } else if (ts.isConditionalExpression(p) && p.condition !== node) {
        node = p;
      } else if (ts.isBinaryExpression(p) && [ts.SyntaxKind.BarBarToken, ts.SyntaxKind.QuestionQuestionToken, ts.SyntaxKind.AmpersandAmpersandToken].includes(p.operatorToken.kind)) {
        node = p;
      } else if (ts.isBinaryExpression(p) && p.operatorToken.kind === ts.SyntaxKind.CommaToken && p.right === node) {
        node = p;
      } else if ((ts.isPropertyAccessExpression(p) || ts.isElementAccessExpression(p)) && p.expression === node) {
        const method = accessedName(p);
        const call = p.parent;
        if (method !== null && call && ts.isCallExpression(call) && call.expression === p) {
          // A promise of the socket (connector.connect().then((sock) => …)): the callback gets it.
          if (method === 'then' && call.arguments[0]) {
            for (const fn of this.functionsOf(call.arguments[0])) {
              const param = fn.parameters[0];
              if (param && ts.isIdentifier(param.name)) this.declaration(param);
            }
            return;
          }
          // promise.catch(…) / .finally(…): the same value when it settles.
          if (method === 'catch' || method === 'finally') {
            flow.values.add(call);
            node = call;
            continue;
          }
          this.use(call, method);
          if (!isChainableSocketMethod(method)) return;
          flow.values.add(call);
          node = call;
        } else if (method === 'socket' || method === 'cleartext') {
          // req.socket / pair.cleartext: a different object; stop.
          return;
        } else return;
      } else break;
    }
    this.sink(node);
  }

  private sink(node: ts.Node): void {
    const flow = this.flow;
    const p = node.parent;
    if (!p) return;
    if (ts.isVariableDeclaration(p) && p.initializer === node) {
      if (ts.isIdentifier(p.name)) this.declaration(p);
      else flow.escaped = true;
      // export const s = …: other modules may use it
      const stmt = p.parent?.parent;
      if (stmt && ts.isVariableStatement(stmt) && stmt.modifiers?.some((m) => m.kind === ts.SyntaxKind.ExportKeyword)) flow.escaped = true;
    } else if (ts.isPropertyDeclaration(p) && p.initializer === node) {
      // class fields: sock = net.connect(…) is this.sock
      const name = p.name && (ts.isIdentifier(p.name) || ts.isPrivateIdentifier(p.name)) ? p.name.text : null;
      if (name) this.propertyNamed(this.project.fileOf(p), name, null, p);
      else flow.escaped = true;
    } else if (ts.isBinaryExpression(p) && p.operatorToken.kind === ts.SyntaxKind.EqualsToken && p.right === node) {
      this.assignTarget(p.left);
      this.value(p);
    } else if (ts.isReturnStatement(p)) {
      const fn = enclosingFunctionOf(p);
      if (fn) this.returned(fn);
    } else if (ts.isArrowFunction(p) && p.body === node) {
      this.returned(p);
    } else if ((ts.isCallExpression(p) || ts.isNewExpression(p)) && p.arguments?.includes(node as ts.Expression)) {
      this.argument(p, p.arguments.indexOf(node as ts.Expression));
    } else if (ts.isPropertyAssignment(p) || ts.isShorthandPropertyAssignment(p)) {
      // { socket: s }: a tls.connect wrapper reads it from `values`; anything else is out of sight,
      // unless the object goes to a callback the package's own callers pass, followed there.
      const object = p.parent;
      const call = object?.parent;
      const key = p.name && (ts.isIdentifier(p.name) || ts.isStringLiteral(p.name)) ? p.name.text : null;
      if (key !== null && ts.isObjectLiteralExpression(object) && call && ts.isCallExpression(call) && call.arguments.includes(object) && this.isCallerCallback(call)) {
        if (!this.callbackContainer(call, call.arguments.indexOf(object), key)) {
          flow.escaped = true;
          flow.lostAt ??= object;
        }
      } else flow.escaped = true;
    } else if (ts.isExpressionStatement(p) || ts.isVoidExpression(p)) {
      // value discarded
    } else if (ts.isYieldExpression(p) || ts.isArrayLiteralExpression(p) || ts.isSpreadElement(p) || ts.isExportAssignment(p)) {
      flow.escaped = true;
    } else if (ts.isIfStatement(p) || ts.isPrefixUnaryExpression(p) || ts.isBinaryExpression(p) || ts.isTypeOfExpression(p) || ts.isSwitchStatement(p) || ts.isTemplateSpan(p) || ts.isForOfStatement(p)) {
      // tests and comparisons do not move the socket
    } else {
      flow.escaped = true;
    }
  }

  /** A call made on the socket. */
  private use(call: ts.CallExpression, method: string): void {
    const flow = this.flow;
    if (method === SET_KEEPALIVE) this.keepAliveCall(call);
    else if (method === 'connect') flow.connectCalls.push(call);
    else if (method === 'listen') flow.listenCalls.push(call);
    else if (LISTENER_METHODS.includes(method)) {
      const event = stringValue(call.arguments[0]);
      if (event === ERROR_EVENT) flow.errorListeners.push(call);
      else if (event !== null && CONNECTION_EVENTS.includes(event) && call.arguments[1]) flow.connectionListeners.push(call.arguments[1]);
      if (event !== null && REQUEST_SOCKET_EVENTS.includes(event) && call.arguments[1]) flow.requestSocketListeners.push({ event, listener: call.arguments[1] });
      // A non-arrow listener on the socket runs with `this` = the socket.
      if (event !== null && !(event !== null && CONNECTION_EVENTS.includes(event)) && call.arguments[1]) this.listenerThis(call.arguments[1]);
    }
  }

  /**
   * A setKeepAlive call on the socket. Inside a forwarder (a function itself named setKeepAlive) it
   * runs only when the forwarder is called: one installed on an object (`sock.setKeepAlive = function …`)
   * is called through that object, where `use` sees those calls; a wrapper method's calls by name
   * (outside forwarders) are the evidence instead.
   */
  private keepAliveCall(call: ts.CallExpression): void {
    const fwd = keepAliveForwarderOf(call);
    if (!fwd) {
      this.flow.keepAliveCalls.push(call);
      return;
    }
    if (forwarderOwner(fwd) || this.shared.trackedReturns.has(fwd)) return;
    this.shared.trackedReturns.add(fwd);
    for (const c of this.project.callsNamed(SET_KEEPALIVE, fwd)) {
      if (c !== call && ts.isCallExpression(c) && !keepAliveForwarderOf(c)) this.flow.keepAliveCalls.push(c);
    }
  }

  /**
   * `asCallback(connector.connect(), (err, stream) => …)`: the result of a factory call (a promise of
   * the socket) handed with a node-style callback to a function we cannot see (standard-as-callback,
   * nodeify, callbackify): the callback's second parameter receives the settled value. Only for a
   * call's result, never a socket variable passed as is (`pump(sock, dest, (err, x) => …)`).
   */
  private nodeStyleCallback(call: Callish, index: number): void {
    const args = call.arguments ?? [];
    const arg = args[index];
    if (!arg || !ts.isCallExpression(skipOuterExpressions(arg))) return;
    for (const later of args.slice(index + 1)) {
      for (const fn of this.functionsOf(later)) {
        const [err, value] = fn.parameters;
        if (err && value && ts.isIdentifier(err.name) && ERROR_PARAMETER.test(err.name.text) && ts.isIdentifier(value.name)) this.declaration(value);
      }
    }
  }

  /** `cb(null, sock)` where cb is a parameter: follow into the functions callers pass there. */
  private callbackArgument(callee: ts.Identifier, index: number): boolean {
    let decl = this.project.declarationOf(callee);
    // const done = callback: the alias calls the parameter.
    for (let i = 0; i < 3 && decl && ts.isVariableDeclaration(decl) && decl.initializer && ts.isIdentifier(skipOuterExpressions(decl.initializer)); i++) decl = this.project.declarationOf(skipOuterExpressions(decl.initializer) as ts.Identifier);
    if (!decl || !ts.isParameter(decl) || !isFunctionLike(decl.parent)) return false;
    const owner = decl.parent;
    const at = owner.parameters.indexOf(decl);
    const names = functionNames(owner);
    if (names.length === 0 || this.shared.trackedReturns.has(decl)) return names.length > 0;
    this.shared.trackedReturns.add(decl);
    let found = false;
    for (const name of names) {
      for (const call of name.startsWith('new ') ? [] : this.project.callsNamed(name, owner)) {
        const arg = call.arguments?.[at];
        if (!arg) continue;
        for (const t of this.functionsOf(arg)) {
          const param = t.parameters[index];
          if (param && ts.isIdentifier(param.name)) {
            this.declaration(param);
            found = true;
          }
        }
      }
    }
    if (!found) this.flow.escaped = true;
    return true;
  }

  /**
   * Does the call run a callback its enclosing function received as a parameter, from callers in
   * the package? (Handed to the callback of a public API that nothing in the package calls, the
   * socket goes to the application, as a returned socket does: the library's verdict stands.)
   */
  private isCallerCallback(call: ts.CallExpression): boolean {
    const callee = skipOuterExpressions(call.expression);
    if (!ts.isIdentifier(callee)) return false;
    let decl = this.project.declarationOf(callee);
    for (let i = 0; i < 3 && decl && ts.isVariableDeclaration(decl) && decl.initializer && ts.isIdentifier(skipOuterExpressions(decl.initializer)); i++) decl = this.project.declarationOf(skipOuterExpressions(decl.initializer) as ts.Identifier);
    if (!decl || !ts.isParameter(decl) || !isFunctionLike(decl.parent)) return false;
    const owner = decl.parent;
    return functionNames(owner).some((name) => !name.startsWith('new ') && this.project.callsNamed(name, owner).length > 0);
  }

  /**
   * `cb(null, { connection: sock })` where cb is a callback the package's own callers pass: in each
   * function passed there, the parameter at that position holds the socket under `key`. False when
   * a caller's callback or a place the object goes is out of sight.
   */
  private callbackContainer(call: ts.CallExpression, index: number, key: string): boolean {
    let decl = this.project.declarationOf(skipOuterExpressions(call.expression) as ts.Identifier);
    for (let i = 0; i < 3 && decl && ts.isVariableDeclaration(decl) && decl.initializer && ts.isIdentifier(skipOuterExpressions(decl.initializer)); i++) decl = this.project.declarationOf(skipOuterExpressions(decl.initializer) as ts.Identifier);
    if (!decl || !ts.isParameter(decl) || !isFunctionLike(decl.parent)) return false;
    const owner = decl.parent;
    const at = owner.parameters.indexOf(decl);
    let complete = true;
    for (const name of functionNames(owner)) {
      if (name.startsWith('new ')) continue;
      for (const caller of this.project.callsNamed(name, owner)) {
        const arg = caller.arguments?.[at];
        if (!arg) continue;
        const fns = this.functionsOf(arg);
        if (fns.length === 0) complete = false;
        for (const fn of fns) {
          const param = fn.parameters[index];
          if (param && ts.isIdentifier(param.name) && !param.dotDotDotToken) complete = this.containerDeclaration(param, key) && complete;
          else if (param) complete = false;
        }
      }
    }
    return complete;
  }

  /** Every read of a variable or parameter that holds the socket under `key`. */
  private containerDeclaration(decl: Declaration, key: string): boolean {
    const tracked = `container#${key}`;
    if (this.trackedContainers.get(decl)?.has(tracked)) return true;
    this.trackedContainers.set(decl, new Set([...(this.trackedContainers.get(decl) ?? []), tracked]));
    let complete = true;
    for (const ref of this.project.referencesOf(decl)) {
      if (isAssignmentTarget(ref)) continue;
      complete = this.container(ref, key) && complete;
    }
    return complete;
  }

  /**
   * `expr` evaluates to an object whose property `key` is the socket: `o.key` reads it;
   * `Object.assign(t, o)`, `{ ...o }`, variables, `this.x = o` fields (read through the same receiver
   * in the file) and arguments of the package's own functions and constructors carry it on. False
   * where it goes out of sight.
   */
  private container(expr: ts.Node, key: string): boolean {
    let node: ts.Node = expr;
    for (;;) {
      const p: ts.Node = node.parent;
      if (!p) return false;
      if (ts.isParenthesizedExpression(p) || ts.isAsExpression(p) || ts.isNonNullExpression(p) || ts.isSatisfiesExpression(p) || ts.isAwaitExpression(p) || (ts.isConditionalExpression(p) && p.condition !== node) || (ts.isBinaryExpression(p) && [ts.SyntaxKind.BarBarToken, ts.SyntaxKind.QuestionQuestionToken].includes(p.operatorToken.kind))) node = p;
      else if (ts.isBinaryExpression(p) && p.operatorToken.kind === ts.SyntaxKind.AmpersandAmpersandToken) {
        if (p.left === node) return true; // a test of the object
        node = p;
      } else break;
    }
    const p = node.parent;
    const tracked = this.trackedContainers.get(node);
    if (tracked?.has(key)) return true;
    this.trackedContainers.set(node, new Set([...(tracked ?? []), key]));
    if ((ts.isPropertyAccessExpression(p) || ts.isElementAccessExpression(p)) && p.expression === node) {
      if (accessedName(p) === key && !isAssignmentTarget(p)) this.value(p);
      return true;
    }
    if (ts.isVariableDeclaration(p) && p.initializer === node) {
      if (ts.isIdentifier(p.name)) return this.containerDeclaration(p, key);
      if (ts.isObjectBindingPattern(p.name)) {
        for (const el of p.name.elements) {
          const name = el.propertyName ? accessedNameOfBinding(el) : ts.isIdentifier(el.name) ? el.name.text : null;
          if (el.dotDotDotToken) return false;
          if (name === key && ts.isIdentifier(el.name)) this.declaration(el);
        }
        return true;
      }
      return false;
    }
    if (ts.isBinaryExpression(p) && p.operatorToken.kind === ts.SyntaxKind.EqualsToken && p.right === node) {
      const left = skipOuterExpressions(p.left);
      if (ts.isIdentifier(left)) {
        const decl = this.project.declarationOf(left);
        return decl ? this.containerDeclaration(decl, key) && this.container(p, key) : false;
      }
      if (ts.isPropertyAccessExpression(left)) {
        // this.options = options: reads of this.options in the file
        const receiver = receiverPath(left.expression);
        const ctx = this.project.fileOf(left);
        let complete = this.container(p, key);
        for (const access of ctx.propertyAccesses.get(left.name.text) ?? []) {
          if (access === left || isAssignmentTarget(access) || !ts.isPropertyAccessExpression(access) || receiverPath(access.expression) !== receiver) continue;
          complete = this.container(access, key) && complete;
        }
        return complete;
      }
      return false;
    }
    if (ts.isSpreadAssignment(p) && ts.isObjectLiteralExpression(p.parent)) return this.container(p.parent, key);
    if ((ts.isCallExpression(p) || ts.isNewExpression(p)) && p.arguments?.includes(node as ts.Expression)) {
      const callee = skipOuterExpressions(p.expression);
      const index = p.arguments.indexOf(node as ts.Expression);
      if (ts.isCallExpression(p) && ts.isPropertyAccessExpression(callee) && callee.name.text === 'assign' && ts.isIdentifier(callee.expression) && callee.expression.text === 'Object') {
        // Object.assign(target, …, o): the result and the target
        let complete = this.container(p, key);
        const target = skipOuterExpressions(p.arguments[0]!);
        if (index > 0 && ts.isIdentifier(target)) {
          const decl = this.project.declarationOf(target);
          complete = (decl ? this.containerDeclaration(decl, key) : false) && complete;
        }
        return complete;
      }
      const name = ts.isIdentifier(callee) ? callee.text : accessedName(callee);
      if (name === null) return false;
      const targets = ts.isNewExpression(p) ? this.project.constructorsNamed(name, p) : this.project.functionsNamed(name, p);
      if (targets.length === 0 || targets.length > MAX_SAME_NAME_TARGETS) return false;
      let complete = true;
      for (const fn of targets) {
        const param = fn.parameters[index];
        if (param && ts.isIdentifier(param.name) && !param.dotDotDotToken) complete = this.containerDeclaration(param, key) && complete;
        else complete = false;
      }
      return complete;
    }
    // tests of the object, a discarded value
    return ts.isIfStatement(p) || ts.isPrefixUnaryExpression(p) || ts.isTypeOfExpression(p) || ts.isExpressionStatement(p) || (ts.isBinaryExpression(p) && [ts.SyntaxKind.EqualsEqualsEqualsToken, ts.SyntaxKind.ExclamationEqualsEqualsToken, ts.SyntaxKind.EqualsEqualsToken, ts.SyntaxKind.ExclamationEqualsToken].includes(p.operatorToken.kind));
  }

  /** The functions an expression denotes: a function literal, a named function, `this.m`, `f.bind(x)`. */
  private functionsOf(arg: ts.Expression): ts.FunctionLikeDeclaration[] {
    let fn = skipOuterExpressions(arg);
    if (ts.isCallExpression(fn) && ts.isPropertyAccessExpression(fn.expression) && fn.expression.name.text === 'bind') fn = skipOuterExpressions(fn.expression.expression);
    if (isFunctionLike(fn)) return [fn];
    if (ts.isIdentifier(fn)) return this.project.functionsNamed(fn.text, fn);
    if (ts.isPropertyAccessExpression(fn)) return this.project.functionsNamed(fn.name.text, fn);
    return [];
  }

  /**
   * `emitter.emit('ready', sock)`: the listeners registered for that event name in this file and its
   * import neighbours receive the socket (argument i of emit is parameter i - 1 of the listener).
   */
  private emitted(call: ts.CallExpression, index: number): boolean {
    const event = stringValue(call.arguments[0]);
    if (event === null || index === 0 || event === ERROR_EVENT) return false;
    if (this.shared.trackedReturns.has(call)) return true;
    this.shared.trackedReturns.add(call);
    let found = false;
    for (const ctx of this.project.neighbors(this.project.fileOf(call), event)) {
      for (const name of LISTENER_METHODS) {
        for (const on of ctx.calls.get(name) ?? []) {
          if (!ts.isCallExpression(on) || stringValue(on.arguments[0]) !== event || !on.arguments[1] || !sameBundleModule(on, call)) continue;
          for (const fn of this.functionsOf(on.arguments[1])) {
            const param = fn.parameters[index - 1];
            if (param && ts.isIdentifier(param.name)) {
              this.declaration(param);
              found = true;
            }
          }
        }
      }
    }
    if (!found) this.flow.escaped = true;
    return true;
  }

  /** A non-arrow function run with `this` = the socket (listeners, the connect callback). */
  listenerThis(handler: ts.Expression): void {
    const h = skipOuterExpressions(handler);
    const fns = ts.isFunctionExpression(h) ? [h] : ts.isIdentifier(h) ? this.project.functionsNamed(h.text, h).filter((f) => ts.isFunctionDeclaration(f) || ts.isFunctionExpression(f)) : [];
    for (const fn of fns) {
      if (this.trackedThis.has(fn)) continue;
      this.trackedThis.add(fn);
      const visit = (n: ts.Node): void => {
        if (n.kind === ts.SyntaxKind.ThisKeyword) this.value(n);
        if ((ts.isFunctionDeclaration(n) || ts.isFunctionExpression(n) || ts.isClassLike(n)) && n !== fn) return;
        ts.forEachChild(n, visit);
      };
      if (fn.body) visit(fn.body);
    }
  }

  declaration(decl: Declaration): void {
    const flow = this.flow;
    if (flow.holders.has(decl)) return;
    flow.holders.add(decl);
    for (const ref of this.project.referencesOf(decl)) {
      if (isAssignmentTarget(ref)) continue;
      this.value(ref);
    }
  }

  private assignTarget(left: ts.Expression): void {
    const target = skipOuterExpressions(left);
    if (ts.isIdentifier(target)) {
      const decl = this.project.declarationOf(target);
      if (decl) this.declaration(decl);
      else this.flow.escaped = true;
    } else if (ts.isPropertyAccessExpression(target)) {
      this.property(target);
      // `this.socket = s` runs a `set socket(value)` accessor of that name with s.
      for (const fn of this.project.functionsNamed(target.name.text, target)) {
        const param = ts.isSetAccessorDeclaration(fn) ? fn.parameters[0] : undefined;
        if (param && ts.isIdentifier(param.name)) this.declaration(param);
      }
      // module.exports = s / exports.s = s: other modules may use it
      let root: ts.Expression = target;
      while (ts.isPropertyAccessExpression(root)) root = root.expression;
      if (ts.isIdentifier(root) && (root.text === 'module' || root.text === 'exports')) this.flow.escaped = true;
    } else if (ts.isElementAccessExpression(target)) {
      // sockets[i] = s
      this.flow.escaped = true;
      this.collection(target.expression);
    } else {
      this.flow.escaped = true;
    }
  }

  /**
   * Elements read back from a collection the socket was put in (same file, same receiver text):
   * `list[i]`, `map.get(k)`, `for (const s of list)`, `list.forEach((s) => …)`.
   */
  private collection(holder: ts.Expression): void {
    const ctx = this.project.fileOf(holder);
    const path = receiverPath(holder);
    const key = `${ctx.path}#[]${path}`;
    if (this.trackedProps.has(key)) return;
    this.trackedProps.add(key);
    for (const n of collectionReads(ctx.sf).get(path) ?? []) {
      if (ts.isElementAccessExpression(n)) {
        if (!isAssignmentTarget(n)) this.value(n);
      } else if (ts.isCallExpression(n) && ts.isPropertyAccessExpression(n.expression)) {
        const m = n.expression.name.text;
        if (m === 'get' || m === 'at' || m === 'pop' || m === 'shift' || m === 'find') this.value(n);
        else if (['forEach', 'map', 'filter', 'some', 'every'].includes(m) && n.arguments[0]) {
          for (const fn of this.functionsOf(n.arguments[0])) {
            const p = fn.parameters[0];
            if (p && ts.isIdentifier(p.name)) this.declaration(p);
          }
        }
      } else if (ts.isForOfStatement(n)) {
        const init = n.initializer;
        if (ts.isVariableDeclarationList(init)) for (const d of init.declarations) if (ts.isIdentifier(d.name)) this.declaration(d);
      }
    }
  }

  /** `this.socket = s` / `self._socket = s`: every read of that property in the file. */
  property(target: ts.PropertyAccessExpression): void {
    this.propertyNamed(this.project.fileOf(target), target.name.text, target);
  }

  private propertyNamed(ctx: FileCtx, name: string, target: ts.Node | null, origin: ts.Node = target ?? ctx.sf): void {
    // The object holding the field travels too (`self.stream` in an event handler module): reads of
    // the property count in this file and in the files it imports or that import it.
    for (const file of this.project.neighbors(ctx, name)) {
      const key = `${file.path}#${name}`;
      const accesses = file.propertyAccesses.get(name) ?? [];
      // A name read everywhere (`.socket` in a bundle): keep to reads through the same receiver.
      const receiver = target && ts.isPropertyAccessExpression(target) ? receiverPath(target.expression) : null;
      const narrow = accesses.length > BUSY_PROPERTY && receiver !== null;
      // Narrowed, `opts.socket = s` and `this.socket = s` are two holders, each followed.
      const tracked = narrow ? `${key}@${receiver}` : key;
      if (this.trackedProps.has(tracked) || this.trackedProps.has(key)) continue;
      this.trackedProps.add(tracked);
      this.flow.holders.add(key);
      for (const access of accesses) {
        if (access === target || isAssignmentTarget(access) || !sameBundleModule(access, origin)) continue;
        if (narrow && receiverPath(access.expression) !== receiver) continue;
        this.value(access);
      }
    }
  }

  /** The function returns the socket: every call of it (by name, in any file) yields the socket. */
  returned(fn: ts.FunctionLikeDeclaration): void {
    if (this.shared.trackedReturns.has(fn)) return;
    this.shared.trackedReturns.add(fn);
    // promise.then((sock) => { …; return sock; }): the promise .then() returns settles to it too.
    const then = fn.parent;
    if (then && ts.isCallExpression(then) && then.arguments[0] === fn && accessedName(skipOuterExpressions(then.expression)) === 'then') {
      this.value(then);
      return;
    }
    // An HTTP agent's socket method: Node's agent takes the socket (and never connects it).
    const agent = agentOfMethod(fn, this.project);
    if (agent && !this.flow.agents.includes(agent)) this.flow.agents.push(agent);
    // A Promise executor's resolve(...) or an async function's return: the awaited value.
    const names = functionNames(fn);
    if (names.length === 0) {
      // An anonymous function: a callback whose caller we do not know.
      this.flow.escaped = true;
      return;
    }
    // Each caller is a path of its own: keepalive set by only some callers is conditional.
    const branches: SocketFlow[] = [];
    let callers = 0;
    for (const name of names) {
      if (name.startsWith('new ')) continue;
      for (const call of this.project.callsNamed(name, fn)) {
        if (hasBuiltinReceiver(call) || !ts.isCallExpression(call) || this.flow.values.has(call)) continue;
        callers++;
        if (this.depth >= MAX_CALLER_DEPTH) {
          this.value(call);
          continue;
        }
        const child = new FlowTracer(this.project, newFlow(), this.shared, this.depth + 1);
        child.value(call);
        branches.push(child.flow);
      }
      this.functionValues(name, fn);
    }
    // Returned to callers we cannot see (an exported factory): out of sight. An agent's caller is Node's agent.
    if (callers === 0 && !agent) this.flow.escaped = true;
    const enabling = (f: SocketFlow) => f.keepAliveCalls.some((k) => k.arguments[0] !== undefined && k.arguments[0].kind !== ts.SyntaxKind.FalseKeyword);
    const withKeepAlive = branches.filter(enabling);
    const partial = withKeepAlive.length > 0 && withKeepAlive.length < branches.length;
    for (const b of branches) {
      mergeFlow(this.flow, b);
      if (partial && withKeepAlive.includes(b)) for (const k of b.keepAliveCalls) this.flow.someCallers.add(k);
    }
  }

  /** References to a socket-returning function that are not calls: `const connect = a || mod.connectX`. */
  private functionValues(name: string, fn: ts.Node): void {
    for (const ctx of this.project.filesReaching(name, fn)) {
      const refs: ts.Node[] = [...(ctx.identifiers.get(name) ?? []), ...(ctx.propertyAccesses.get(name) ?? [])];
      for (let ref of refs) {
        if (this.trackedFactories.has(ref) || !sameBundleModule(ref, fn)) continue;
        this.trackedFactories.add(ref);
        if (ts.isIdentifier(ref) && (ts.isPropertyAccessExpression(ref.parent) && ref.parent.name === ref)) continue;
        const parent = ref.parent;
        if ((ts.isCallExpression(parent) || ts.isNewExpression(parent)) && parent.expression === ref) continue;
        // climb through a || b, cond ? a : b, parentheses
        while (ref.parent && (ts.isParenthesizedExpression(ref.parent) || ts.isConditionalExpression(ref.parent) || (ts.isBinaryExpression(ref.parent) && [ts.SyntaxKind.BarBarToken, ts.SyntaxKind.QuestionQuestionToken].includes(ref.parent.operatorToken.kind)))) ref = ref.parent;
        const decl = ref.parent;
        if (decl && ts.isVariableDeclaration(decl) && decl.initializer === ref && ts.isIdentifier(decl.name) && !isFunctionLike(ref)) {
          for (const use of this.project.referencesOf(decl)) {
            const call = use.parent;
            if (ts.isCallExpression(call) && call.expression === use) this.value(call);
          }
        }
      }
    }
  }

  /** The socket is passed as argument `index` of `call`. */
  private argument(call: Callish, index: number): void {
    const callee = skipOuterExpressions(call.expression);
    // resolve(socket) inside `new Promise((resolve, reject) => …)`: the promise settles to the socket.
    if (ts.isIdentifier(callee) && ts.isCallExpression(call)) {
      const decl = this.project.declarationOf(callee);
      if (decl && ts.isParameter(decl)) {
        const executor = decl.parent;
        if (isFunctionLike(executor) && executor.parameters[0] === decl && ts.isNewExpression(executor.parent) && executor.parent.arguments?.[0] === executor) {
          const promiseCtor = skipOuterExpressions(executor.parent.expression);
          if (ts.isIdentifier(promiseCtor) && promiseCtor.text === 'Promise') {
            this.value(executor.parent);
            return;
          }
        }
      }
      // const { promise, resolve } = Promise.withResolvers()
      if (decl && ts.isBindingElement(decl) && ts.isObjectBindingPattern(decl.parent)) {
        const promiseEl = decl.parent.elements.find((el) => ts.isIdentifier(el.name) && (el.propertyName ? accessedNameOfBinding(el) : el.name.text) === 'promise');
        if (promiseEl && callee.text === 'resolve') {
          this.declaration(promiseEl);
          return;
        }
      }
    }
    // d.resolve(socket) on a deferred held in a variable: awaiting d yields the socket.
    if (ts.isPropertyAccessExpression(callee) && callee.name.text === 'resolve' && ts.isIdentifier(callee.expression)) {
      const holder = this.project.declarationOf(callee.expression);
      if (holder && ts.isVariableDeclaration(holder)) {
        this.declaration(holder);
        return;
      }
    }
    // super(sock, …) in a subclass constructor hands the socket to the base class's constructor.
    if (ts.isCallExpression(call) && callee.kind === ts.SyntaxKind.SuperKeyword) {
      const base = superClassName(call);
      const targets = base === null ? [] : this.project.constructorsNamed(base, call);
      if (targets.length === 0 || targets.length > MAX_SAME_NAME_TARGETS) this.flow.escaped = true;
      else this.intoParameters(call, targets, index);
      return;
    }
    const name = ts.isIdentifier(callee) ? callee.text : accessedName(callee);
    if (name !== null && ERROR_HANDLING_CALLEES.includes(name)) {
      // stream.pipeline(sock, …) / finished(sock, cb) / events.once(sock, 'error') handle its errors
      if (name !== 'once' || stringValue((call.arguments ?? [])[1]) === ERROR_EVENT) this.flow.errorListeners.push(call as ts.CallExpression);
      return;
    }
    if (name !== null && NON_RETAINING_CALLEES.has(name)) return;
    // A callback parameter called with the socket: cb(null, sock) reaches every function passed as that callback.
    if (ts.isIdentifier(callee) && this.callbackArgument(callee, index)) return;
    if (ts.isCallExpression(call) && name === 'emit' && this.emitted(call, index)) return;
    if (name === null) {
      // (0, x.default)(promise, cb): compiled code calls imports this way.
      this.flow.escaped = true;
      this.nodeStyleCallback(call, index);
      return;
    }
    if (COLLECTION_METHODS.has(name) && !ts.isIdentifier(callee)) {
      // Stored in a Set/Map/array: its elements read back in this file are the socket; others may
      // read it elsewhere.
      this.flow.escaped = true;
      if (ts.isPropertyAccessExpression(callee)) this.collection(callee.expression);
      return;
    }
    const targets = ts.isNewExpression(call) ? this.project.constructorsNamed(name, call) : this.project.functionsNamed(name, call);
    // Many unrelated functions share the name (a bundle): following all of them would only add noise.
    if (targets.length > MAX_SAME_NAME_TARGETS) {
      this.flow.escaped = true;
      return;
    }
    if (targets.length === 0) {
      this.flow.escaped = true;
      this.nodeStyleCallback(call, index);
      return;
    }
    this.intoParameters(call, targets, index);
  }

  /** The socket is argument `index` of `call`, which runs `targets`: it is their parameter there. */
  private intoParameters(call: Callish, targets: ts.FunctionLikeDeclaration[], index: number): void {
    for (const fn of targets) {
      const param = fn.parameters[index];
      if (param && ts.isIdentifier(param.name) && !param.dotDotDotToken) {
        this.declaration(param);
        this.forwardedErrorListeners(call, fn, param);
      } else this.flow.escaped = true;
    }
  }

  /** `helper(sock, 'error', onError)` where the helper does `target.on(event, handler)`: an 'error' listener. */
  private forwardedErrorListeners(call: Callish, fn: ts.FunctionLikeDeclaration, target: ts.ParameterDeclaration): void {
    (call.arguments ?? []).forEach((arg, j) => {
      const event = fn.parameters[j];
      if (event && event !== target && stringValue(arg) === ERROR_EVENT) this.flow.errorListeners.push(...forwardedListenerCalls(fn, target, event));
    });
  }
}

const collectionReadCache = new WeakMap<ts.SourceFile, Map<string, ts.Node[]>>();

/**
 * The places a file reads elements of a collection, by the collection's receiver path (`x[i]`,
 * `x.get(k)`, `x.forEach(…)`, `for (… of x)`): one walk per file, not one per socket stored (a
 * bundle of megabytes stores sockets in many collections).
 */
function collectionReads(sf: ts.SourceFile): Map<string, ts.Node[]> {
  let out = collectionReadCache.get(sf);
  if (out) return out;
  const reads = new Map<string, ts.Node[]>();
  out = reads;
  const add = (holder: ts.Expression, n: ts.Node) => {
    const key = receiverPath(holder);
    const list = reads.get(key);
    if (list) list.push(n);
    else reads.set(key, [n]);
  };
  const visit = (n: ts.Node): void => {
    if (ts.isElementAccessExpression(n)) add(n.expression, n);
    else if (ts.isCallExpression(n) && ts.isPropertyAccessExpression(n.expression)) add(n.expression.expression, n);
    else if (ts.isForOfStatement(n)) add(skipOuterExpressions(n.expression), n);
    ts.forEachChild(n, visit);
  };
  visit(sf);
  collectionReadCache.set(sf, out);
  return out;
}

function mergeFlow(into: SocketFlow, from: SocketFlow): void {
  for (const v of from.values) into.values.add(v);
  for (const h of from.holders) into.holders.add(h);
  for (const k of from.someCallers) into.someCallers.add(k);
  into.keepAliveCalls.push(...from.keepAliveCalls);
  into.errorListeners.push(...from.errorListeners);
  into.connectCalls.push(...from.connectCalls);
  into.listenCalls.push(...from.listenCalls);
  into.connectionListeners.push(...from.connectionListeners);
  into.requestSocketListeners.push(...from.requestSocketListeners);
  into.escaped ||= from.escaped;
  into.lostAt ??= from.lostAt;
  for (const a of from.agents) if (!into.agents.includes(a)) into.agents.push(a);
}

function accessedNameOfBinding(el: ts.BindingElement): string | null {
  const n = el.propertyName;
  return n && (ts.isIdentifier(n) || ts.isStringLiteral(n)) ? n.text : null;
}

function enclosingFunctionOf(node: ts.Node): ts.FunctionLikeDeclaration | null {
  for (let n = node.parent; n; n = n.parent) if (isFunctionLike(n)) return n;
  return null;
}

/**
 * Is `inner` reached only under a condition, between `inner` and `stop` (exclusive)? A branch of an
 * if/?:/switch, the right side of &&/||/??, or a catch block. Loops and try blocks are not conditions.
 */
export function isConditionalBetween(inner: ts.Node, stop: (n: ts.Node) => boolean): boolean {
  return conditionBetween(inner, stop) !== null;
}

/** The condition `inner` depends on (the test expression, or the catch/case clause), else null. */
export function conditionBetween(inner: ts.Node, stop: (n: ts.Node) => boolean): ts.Node | null {
  let child: ts.Node = inner;
  for (let n = inner.parent; n && !stop(n); child = n, n = n.parent) {
    if (isFunctionLike(n)) {
      // An inline callback (`if (opt) s.on('connect', () => s.setKeepAlive(…))`) runs under the
      // condition of the call that registers it; a named function runs wherever it is called.
      const p = n.parent;
      const inline = (ts.isArrowFunction(n) || ts.isFunctionExpression(n)) && p && (ts.isCallExpression(p) || ts.isNewExpression(p)) && p.arguments?.includes(n);
      if (!inline) return null;
    }
    if (ts.isIfStatement(n) && n.expression !== child) return n.expression;
    if (ts.isConditionalExpression(n) && n.condition !== child) return n.condition;
    if (ts.isBinaryExpression(n) && n.right === child && [ts.SyntaxKind.AmpersandAmpersandToken, ts.SyntaxKind.BarBarToken, ts.SyntaxKind.QuestionQuestionToken].includes(n.operatorToken.kind)) return n.left;
    if (ts.isCaseClause(n)) return n.expression;
    if (ts.isDefaultClause(n) || ts.isCatchClause(n)) return n;
  }
  return null;
}
