import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { availableOn, DEFAULT_MIN_NODE, findSocketCall, SOCKET_CALLS } from '../src/node-api.js';
import { minNodeVersion } from '../src/node-range.js';
import { booleanLiteral, forwardedListenerCalls, superClassName, isKeepAliveOption, isListenerCall, numericValue, socketModuleOf, stringValue } from '../src/syntax.js';
import { collectModuleBindings, mentionsSocketModule, moduleValue } from '../src/imports.js';
import { isConditionalBetween } from '../src/flow.js';
import { forwarderOwner, keepAliveForwarderOf } from '../src/forwarder.js';
import { configurationExit } from '../src/early-exit.js';
import { isModuleWrapper } from '../src/bundle.js';
import { destinationClass, isCapabilityTest, isExistenceTest, isIpcTest } from '../src/verdict.js';
import { buildFileCtx, FileIndex } from '../src/file-index.js';

const parse = (code: string, file = 'x.ts') => ts.createSourceFile(file, code, ts.ScriptTarget.Latest, true);
function first<T extends ts.Node>(sf: ts.Node, pred: (n: ts.Node) => n is T): T {
  let found: T | undefined;
  const visit = (n: ts.Node): void => {
    if (!found && pred(n)) found = n;
    if (!found) ts.forEachChild(n, visit);
  };
  visit(sf);
  if (!found) throw new Error('not found');
  return found;
}
const expr = (code: string) => first(parse(`(${code});`), ts.isParenthesizedExpression).expression;

describe('socketModuleOf', () => {
  it.each([['net', 'net'], ['node:net', 'net'], ['tls', 'tls'], ['node:https', 'https'], ['http', 'http']])('%s is %s', (spec, m) => {
    expect(socketModuleOf(spec)).toBe(m);
  });
  it.each(['dgram', 'node:dgram', 'net-utils', './net', 'node:http2', 'undici'])('%s is not', (spec) => {
    expect(socketModuleOf(spec)).toBe(null);
  });
});

describe('isKeepAliveOption', () => {
  const props = (code: string) => (expr(code) as ts.ObjectLiteralExpression).properties;
  it('matches keepAlive in every property form', () => {
    expect(props('{ keepAlive: true }').map(isKeepAliveOption)).toEqual([true]);
    expect(props("{ 'keepAlive': x }").map(isKeepAliveOption)).toEqual([true]);
    expect(props('{ keepAlive }').map(isKeepAliveOption)).toEqual([true]);
  });
  it('does not match other options or spreads', () => {
    expect(props('{ keepAliveInitialDelay: 1, keepalive: true, ...o }').map(isKeepAliveOption)).toEqual([false, false, false]);
  });
});

describe('isListenerCall', () => {
  const call = (code: string) => expr(code) as ts.CallExpression;
  it.each(["s.on('error', f)", "s.once('error', f)", 's.addListener("error", f)', "s.prependListener('error', f)", "this.sock.prependOnceListener('error', f)"])('%s adds one', (code) => {
    expect(isListenerCall(call(code), 'error')).toBe(true);
  });
  it.each(["s.on('close', f)", "s.emit('error', e)", "s.removeListener('error', f)", 's.on(evt, f)', "on('error', f)"])('%s does not', (code) => {
    expect(isListenerCall(call(code), 'error')).toBe(false);
  });
  it('matches other events when asked', () => {
    expect(isListenerCall(call("server.on('connection', h)"), 'connection')).toBe(true);
  });
});

describe('forwardedListenerCalls', () => {
  const helper = (code: string) => {
    const fn = first(parse(code), ts.isFunctionDeclaration);
    const [target, event] = fn.parameters;
    return forwardedListenerCalls(fn, target!, event!).map((c) => c.getText());
  };
  it('finds target.on(event, …) and its once/prepend forms', () => {
    expect(helper('function bind(t, e, h) { t.on(e, h); t.off(e, h); }')).toEqual(['t.on(e, h)']);
    expect(helper('function bind(t, e, h) { if (h) t.prependOnceListener(e, h); }')).toEqual(['t.prependOnceListener(e, h)']);
  });
  it('ignores another receiver, a literal event and nested functions', () => {
    expect(helper("function bind(t, e, h) { other.on(e, h); t.on('data', h); }")).toEqual([]);
    expect(helper('function bind(t, e, h) { later(() => t.on(e, h)); }')).toEqual([]);
  });
});

describe('superClassName', () => {
  const superCall = (code: string) => first(parse(code), (n): n is ts.CallExpression => ts.isCallExpression(n) && n.expression.kind === ts.SyntaxKind.SuperKeyword);
  it('names the base class of the class around super(…)', () => {
    expect(superClassName(superCall('class A extends Base { constructor(s) { super(s); } }'))).toBe('Base');
    expect(superClassName(superCall('const A = class extends lib.Socket { constructor(s) { super(s); } };'))).toBe('Socket');
  });
  it('is null for other calls and bases it cannot name', () => {
    expect(superClassName(first(parse('base(s);'), ts.isCallExpression))).toBeNull();
    expect(superClassName(superCall('class A extends mixin(B) { constructor(s) { super(s); } }'))).toBeNull();
  });
});

describe('booleanLiteral / numericValue / stringValue', () => {
  it('reads literals and leaves run-time values unknown', () => {
    expect(booleanLiteral(expr('true'))).toBe(true);
    expect(booleanLiteral(expr('false'))).toBe(false);
    expect(booleanLiteral(expr('!0'))).toBe(true);
    expect(booleanLiteral(expr('opts.keepAlive'))).toBeNull();
    expect(numericValue(expr('30 * 1000'))).toBe(30000);
    expect(numericValue(expr('60_000'))).toBe(60000);
    expect(numericValue(expr('1000 * keep'))).toBeNull();
    expect(stringValue(expr('`x`'))).toBe('x');
    expect(stringValue(expr('`x${y}`'))).toBeNull();
  });
});

describe('minNodeVersion', () => {
  it.each([
    ['>=20.19', [20, 19]],
    ['^18.6 || >=20', [18, 6]],
    ['>= 14.0.0', [14, 0]],
    ['16 - 22', [16, 0]],
    ['>16.3', [16, 4]],
    ['~16.17.1', [16, 17]],
    ['20.x', [20, 0]],
  ] as const)('%s -> %j', (range, v) => {
    expect(minNodeVersion(range)).toEqual(v);
  });
  it('falls back to the oldest LTS in use (18) when unknown', () => {
    expect(minNodeVersion(undefined)).toEqual(DEFAULT_MIN_NODE);
    expect(minNodeVersion('*')).toEqual([18, 0]);
    expect(minNodeVersion('latest')).toEqual([18, 0]);
  });
});

describe('availableOn (version gates from the API table)', () => {
  const client = findSocketCall('net', 'connect', false)!.keepAliveSince!;
  const server = findSocketCall('net', 'createServer', false)!.keepAliveSince!;
  it('client keepAlive option: 16.15+, 17.7+, 18+', () => {
    expect([[16, 0], [16, 15], [17, 6], [17, 7], [18, 0], [20, 0]].map((v) => availableOn(client, v as [number, number]))).toEqual([false, true, false, true, true, true]);
  });
  it('server keepAlive option: 16.17+, not 17, 18.6+', () => {
    expect([[16, 17], [17, 9], [18, 0], [18, 6], [20, 0]].map((v) => availableOn(server, v as [number, number]))).toEqual([true, false, false, true, true]);
  });
  it('tls.connect keepAlive is listed as ignored', () => {
    expect(findSocketCall('tls', 'connect', false)!.keepAliveOption).toBe('ignored');
    expect(SOCKET_CALLS.every((c) => c.label.length > 0)).toBe(true);
  });
});

describe('module bindings', () => {
  const bindingsOf = (code: string) => collectModuleBindings(parse(code, 'x.js'));
  it('knows every import form', () => {
    const b = bindingsOf(`
      import a from 'net'; import * as b from 'node:tls'; import { connect as c, Socket } from 'node:net';
      const d = require('http'); const { createServer: e } = require('node:https');
      const f = require('net').Socket; const g = __importDefault(require('node:net'));
      const h = d; const i = h.createServer; let j; j = require('tls');`);
    expect(Object.fromEntries(b.namespaces)).toEqual({ a: 'net', b: 'tls', d: 'http', g: 'net', h: 'http', j: 'tls' });
    expect(Object.fromEntries([...b.members].map(([k, v]) => [k, `${v.module}.${v.name}`]))).toEqual({
      c: 'net.connect', Socket: 'net.Socket', e: 'https.createServer', f: 'net.Socket', i: 'http.createServer',
    });
  });
  it('ignores type-only imports and other modules', () => {
    const b = bindingsOf("import type { Socket } from 'net'; import x from 'dgram'; const y = require('./net');");
    expect(b.namespaces.size + b.members.size).toBe(0);
  });
  it('resolves .default and the (0, x.f) call form', () => {
    const sf = parse("const n = __importDefault(require('net')); (0, n.default.connect)(1);", 'x.js');
    const b = collectModuleBindings(sf);
    const call = first(sf, ts.isCallExpression);
    const callee = first(sf, (n): n is ts.CallExpression => ts.isCallExpression(n) && n.arguments.length === 1 && ts.isNumericLiteral(n.arguments[0]!));
    void call;
    expect(moduleValue(callee.expression, b)).toEqual({ kind: 'member', module: 'net', name: 'connect' });
  });
  it('follows .bind() of a socket function; a name bound to net and tls in two branches is tls', () => {
    const b = bindingsOf("const net = require('net'); const tls = require('tls'); let c; if (s) c = tls.connect.bind(tls); else c = net.connect.bind(net); const d = net.createConnection.bind(net);");
    expect(b.members.get('c')).toEqual({ module: 'tls', name: 'connect' });
    expect(b.members.get('d')).toEqual({ module: 'net', name: 'createConnection' });
    const e = bindingsOf("const net = require('net'); const tls = require('tls'); let c = net.connect.bind(net); c = tls.connect.bind(tls);");
    expect(e.members.get('c')).toEqual({ module: 'tls', name: 'connect' });
  });
  it('prefilters text', () => {
    expect(mentionsSocketModule("require('node:tls')")).toBe(true);
    expect(mentionsSocketModule('const internet = 1')).toBe(false);
  });
});

describe('isConditionalBetween', () => {
  const at = (code: string) => {
    const sf = parse(code);
    const call = first(sf, (n): n is ts.CallExpression => ts.isCallExpression(n) && n.expression.getText().endsWith('setKeepAlive'));
    return isConditionalBetween(call, (n) => ts.isSourceFile(n));
  };
  it('sees if/?:/&&/catch branches', () => {
    expect(at('if (o.k) s.setKeepAlive(true);')).toBe(true);
    expect(at('o.k && s.setKeepAlive(true);')).toBe(true);
    expect(at('o.k ? s.setKeepAlive(true) : 0;')).toBe(true);
    expect(at('try { x(); } catch { s.setKeepAlive(true); }')).toBe(true);
  });
  it('an inline callback inherits the condition of the call that registers it', () => {
    expect(at("if (o.k) { s.on('connect', () => { s.setKeepAlive(true); }); }")).toBe(true);
    expect(at("s.on('connect', () => { s.setKeepAlive(true); });")).toBe(false);
    expect(at('if (o.k) { function f() { s.setKeepAlive(true); } }')).toBe(false);
  });
  it('loops, try blocks and plain statements are not conditions', () => {
    expect(at('s.setKeepAlive(true);')).toBe(false);
    expect(at('try { s.setKeepAlive(true); } finally {}')).toBe(false);
    expect(at('for (const s of all) s.setKeepAlive(true);')).toBe(false);
  });
});

describe('isIpcTest', () => {
  it.each(["'path' in options", 'options.path', 'opts.socketPath && x'])('%s tests for a unix path', (c) => expect(isIpcTest(expr(c))).toBe(true));
  it.each(["'port' in options", 'options.port', '!options.path'])('%s does not', (c) => expect(isIpcTest(expr(c))).toBe(false));
});

describe('destinationClass', () => {
  const classify = (args: string) => {
    const sf = ts.createSourceFile('x.js', `f(${args});`, ts.ScriptTarget.Latest, true, ts.ScriptKind.JS);
    const project = new FileIndex();
    project.add(buildFileCtx(sf, '/x.js', 'x.js', null));
    const call = first(sf, ts.isCallExpression);
    return destinationClass(call.arguments, project);
  };
  it.each([
    ['8080', 'yes'],
    ["port, 'db'", 'yes'],
    ["'8080'", 'yes'],
    ["'/run/app.sock'", 'no'],
    ['{ port: 1 }', 'yes'],
    ["{ path: '/tmp/s' }", 'no'],
    ['{ path: o.path }', 'no'],
    ['{ path: o.path, port: o.port }', 'maybe'],
    ["{ path: '/tmp/s', port: 1 }", 'no'],
    ['{ path: undefined, port: 1 }', 'yes'],
    ['this.socketPath', 'no'],
    ['cfg.port', 'yes'],
    ['options', 'maybe'],
    ['...args', 'maybe'],
    ['', 'maybe'],
  ] as const)('(%s) -> %s', (args, want) => {
    expect(classify(args)).toBe(want);
  });
});

describe('keepAliveForwarderOf / forwarderOwner', () => {
  const calls = (code: string) => {
    const out: ts.CallExpression[] = [];
    const visit = (n: ts.Node): void => {
      if (ts.isCallExpression(n) && ts.isPropertyAccessExpression(n.expression) && n.expression.name.text === 'setKeepAlive') out.push(n);
      ts.forEachChild(n, visit);
    };
    visit(parse(code, 'x.js'));
    return out;
  };
  it('finds the forwarder a setKeepAlive call sits in, and where it is installed', () => {
    const [shim] = calls('s.setKeepAlive = function setKeepAlive(on, ms) { return s.inner.setKeepAlive(on, ms); };');
    const fn = keepAliveForwarderOf(shim!);
    expect(fn).not.toBeNull();
    expect(forwarderOwner(fn!)?.getText()).toBe('s');
    const [method] = calls('class W { setKeepAlive(on, ms) { this.sock.setKeepAlive(on, ms); } }');
    const m = keepAliveForwarderOf(method!);
    expect(m).not.toBeNull();
    expect(forwarderOwner(m!)).toBeNull();
  });
  it('is null for ordinary callers', () => {
    for (const c of calls('function open() { s.setKeepAlive(true, 1000); } s.on("connect", () => s.setKeepAlive(true));')) expect(keepAliveForwarderOf(c)).toBeNull();
  });
});

describe('configurationExit', () => {
  const stmt = (code: string) => parse(code, 'x.js').statements[0]!;
  it.each(['if (!this.options.keepAlive) return;', 'if (config.disableKeepAlive) { log("off"); return; }', 'if (!enabled) return null;'])('%s is a configuration exit', (code) => {
    expect(configurationExit(stmt(code), 'sock')).not.toBeNull();
  });
  it.each(['if (err) return cb(err);', 'if (!sock) return;', 'if (sock.destroyed) return;', 'if (this.socket.writable === false) return;', 'if (flag) { run(); }', 'if (flag) return; else go();'])('%s is not', (code) => {
    expect(configurationExit(stmt(code), 'sock')).toBeNull();
  });
});

describe('bundled modules', () => {
  const fns = (code: string) => {
    const out: ts.FunctionLikeDeclaration[] = [];
    const visit = (n: ts.Node): void => {
      if (ts.isFunctionExpression(n) || ts.isArrowFunction(n) || ts.isMethodDeclaration(n)) out.push(n);
      ts.forEachChild(n, visit);
    };
    visit(parse(code, 'b.js'));
    return out;
  };
  it('recognises module wrappers of esbuild, rolldown, webpack and browserify', () => {
    for (const code of ['var r = __commonJS({ "a.js"(exports, module) { x(); } });', 'var r = __commonJSMin((exports, module) => { x(); });', '({ "./a.js": (module, exports, __webpack_require__) => { x(); } })', '({ 1: [function (require, module, exports) { x(); }] })', '({ 2: (__unused_webpack_module, exports) => {} })']) {
      expect(isModuleWrapper(fns(code)[0]!)).toBe(true);
    }
  });
  it('does not take ordinary functions for wrappers', () => {
    for (const code of ['(function (req, res) {})', '(function (options, callback) {})', '(function () {})', '((exports, options, extra, more) => {})']) {
      expect(isModuleWrapper(fns(code)[0]!)).toBe(false);
    }
  });
});

describe('isCapabilityTest', () => {
  it.each(["typeof s.setKeepAlive === 'function'", "'function' == typeof this.sock.setKeepAlive", 's.setKeepAlive', "s.setKeepAlive && typeof s.setKeepAlive === 'function'"])('%s asks whether the method exists', (code) => {
    expect(isCapabilityTest(expr(code))).toBe(true);
  });
  it.each(['this.options.keepAlive', "typeof s.setNoDelay === 'function'", "typeof s.setKeepAlive === 'undefined'", "opts.keepAlive && typeof s.setKeepAlive === 'function'"])('%s does not', (code) => {
    expect(isCapabilityTest(expr(code))).toBe(false);
  });
});

describe('module chosen at run time', () => {
  it('takes either module of a conditional or a default', () => {
    const b = collectModuleBindings(parse("const net = require('net'); const tls = require('tls'); function f(o) { const c = o.secure ? tls : net; const m = o.create ?? net.connect; c.connect(1); m(1); }", 'x.js'));
    expect(b.namespaces.get('c')).toBe('tls');
    expect(b.members.get('m')).toMatchObject({ module: 'net', name: 'connect' });
  });
});

describe('isExistenceTest', () => {
  const ka = (recv: string) => expr(`${recv}.setKeepAlive(true)`) as ts.CallExpression;
  it.each([['socket', 'socket'], ['this.sock != null', 'self.sock'], ['undefined !== s', 's'], ["s && typeof s.setKeepAlive === 'function'", 's']])('%s only asks whether %s exists', (test, recv) => {
    expect(isExistenceTest(expr(test), ka(recv))).toBe(true);
  });
  it.each([['this.options.keepAlive', 'socket'], ['socket.keepAlive', 'socket'], ['other', 'socket'], ['s && opts.keepAlive', 's']])('%s is a condition for %s', (test, recv) => {
    expect(isExistenceTest(expr(test), ka(recv))).toBe(false);
  });
});
