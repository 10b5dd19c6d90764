/**
 * The analysis of a set of parsed files: find sites, follow each socket, judge it. Pure: no I/O.
 */
import { ts } from './typescript.js';
import { lineAndCharacter } from './lines.js';
import type { Site, TcpClass } from '@ka-codemod/core';
import { CONNECTION_EVENTS, CONNECTION_LISTENER_LABEL, FD_OPTIONS, MIN_USEFUL_DELAY_MS, SERVER_RECEIVER, SOCKET_CONNECT_LABEL, SOCKET_ONLY_MEMBERS, TLS_DIAL_OPTION, TLS_SOCKET_OPTION, type SocketCall, type Version } from './node-api.js';
import { conditionBetween, FlowTracer, type SocketFlow } from './flow.js';
import { isObjectLike, resolveOptions } from './options.js';
import { describeEnclosingFunction, type FileCtx, type Project } from './project.js';
import { findSiteCandidates, type SiteCandidate } from './sites.js';
import { contains, isFunctionLike, isListenerCall, skipOuterExpressions } from './syntax.js';
import { destinationClass, errorHandlerState, inIpcBranch, judge, mergeTcp, methodEvidence, optionEvidence, where, type Evidence, type KeepaliveJudgement } from './verdict.js';

/** A server's connection listener and the flow of the accepted socket inside it. */
export interface AcceptedListener {
  fn: ts.FunctionLikeDeclaration;
  param: ts.ParameterDeclaration | null;
  flow: SocketFlow;
}

export interface AnalyzedSite {
  candidate: SiteCandidate;
  flow: SocketFlow;
  /** Servers: their connection listeners. */
  listeners: AcceptedListener[];
  /** tls.connect({ socket }): the site whose socket it wraps, when traced. */
  underlying: AnalyzedSite | null;
  minNode: Version;
  judgement: KeepaliveJudgement;
  site: Site;
}

/** For server.on('connection') on a server of unknown origin. */
const CONNECTION_LISTENER_API: SocketCall = { module: 'net', name: 'on', construct: false, role: 'server', label: CONNECTION_LISTENER_LABEL, optionsArg: null, keepAliveOption: 'none', tls: false };

export function analyzeProject(project: Project, minNodeOf: (ctx: FileCtx) => Version, files: readonly FileCtx[] = project.files): AnalyzedSite[] {
  const candidates = project.files.flatMap(findSiteCandidates);
  const flows = new Map<SiteCandidate, SocketFlow>();
  for (const c of candidates) {
    const tracer = new FlowTracer(project);
    tracer.value(c.node);
    // net.connect(opts, function () { this.setKeepAlive(…) }): the connect callback runs with this = socket.
    const last = c.node.arguments?.[c.node.arguments.length - 1];
    if (c.api.role === 'client' && last && ts.isFunctionExpression(skipOuterExpressions(last))) tracer.listenerThis(last);
    flows.set(c, tracer.flow);
  }
  const results = new Map<SiteCandidate, AnalyzedSite>();
  const analyze = (c: SiteCandidate, depth: number): AnalyzedSite => {
    const done = results.get(c);
    if (done) return done;
    const flow = flows.get(c)!;
    const minNode = minNodeOf(c.ctx);
    let underlyings: AnalyzedSite[] = [];
    let wrapsUntraced = false;
    let wrapsTypedSocket = false;
    if (c.api.tls && c.api.role === 'client') {
      const { sockets: socketExprs, port } = tlsSocketOption(c, project);
      // tls.connect dials host:port itself when options.socket is written only in some branch (a
      // proxy), or when a port is passed beside it (a port means nothing to a wrapped socket: the
      // code expects the socket to be absent at times, `socket: upgradeSocket, port, host`).
      const dialsItself = socketExprs.length > 0 && (port || socketExprs.every((e) => conditionBetween(e, (n) => contains(n, c.node)) !== null));
      if (socketExprs.length) {
        // Several sites may reach the wrapped value (this.stream = unix or TCP socket): all count.
        const reaching = candidates.filter((o) => o !== c && socketExprs.some((e) => flows.get(o)!.values.has(e) || flows.get(o)!.values.has(skipOuterExpressions(e))));
        // A TLS socket stored in the same field as the plain one also "reaches" it; TLS over TLS is rare,
        // so the plain sockets are the wrapped ones when there are any.
        const plain = reaching.filter((o) => !o.api.tls);
        const wrapped = plain.length ? plain : reaching;
        if (wrapped.length && depth < 4) underlyings = wrapped.map((w) => analyze(w, depth + 1));
        // With a type checker, a net.Socket of unknown origin is still an OS socket (TCP or unix).
        else if (socketExprs.some((e) => ['socket', 'tls-socket'].includes(project.types?.kindOf(e) ?? ''))) wrapsTypedSocket = true;
        else if (!dialsItself) wrapsUntraced = true;
      }
    }
    const listeners = c.api.role === 'server' ? connectionListeners(c, flow, project) : [];
    const result = judgeSite(c, flow, listeners, underlyings, wrapsUntraced, minNode, project, wrapsTypedSocket);
    results.set(c, result);
    return result;
  };
  const wanted = new Set(files);
  const out: AnalyzedSite[] = [];
  for (const c of candidates) {
    const r = analyze(c, 0);
    if (wanted.has(c.ctx)) out.push(r);
  }
  // 'connection' listeners on servers we did not see created (express's app.listen(), injected servers).
  const known = new Set(out.flatMap((r) => [...r.flow.connectionListeners]));
  for (const ctx of files) {
    for (const name of ['on', 'once', 'addListener', 'prependListener']) {
      for (const call of ctx.calls.get(name) ?? []) {
        if (!ts.isCallExpression(call) || !CONNECTION_EVENTS.some((ev) => isListenerCall(call, ev)) || !call.arguments[1]) continue;
        if (known.has(call.arguments[1])) continue;
        const receiver = (skipOuterExpressions(call.expression) as ts.PropertyAccessExpression).expression;
        if (!receiver) continue;
        const typed = project.types?.kindOf(receiver) ?? null;
        if (typed === 'other' || typed === 'socket' || typed === 'tls-socket') continue;
        if (typed !== 'server' && !SERVER_RECEIVER.test(receiver.getText())) continue;
        if ([...flows.values()].some((f) => f.values.has(receiver))) continue;
        const cand: SiteCandidate = { ctx, node: call, api: CONNECTION_LISTENER_API, nameNode: call.arguments[0]! };
        const flow: SocketFlow = { values: new Set(), keepAliveCalls: [], errorListeners: [], connectCalls: [], listenCalls: [], connectionListeners: [call.arguments[1]], escaped: true, holders: new Set(), someCallers: new Set() };
        const listeners = connectionListeners(cand, flow, project);
        if (typed !== 'server' && !listeners.some((l) => usedAsSocket(l.flow))) continue;
        out.push(judgeSite(cand, flow, listeners, [], false, minNodeOf(ctx), project));
      }
    }
  }
  if (project.types) out.push(...typedConnects(project, files, flows, minNodeOf));
  return out;
}

/** For socket.connect() on a net.Socket of unknown origin (type checker only). */
const SOCKET_CONNECT_API: SocketCall = { module: 'net', name: 'connect', construct: false, role: 'socket', label: SOCKET_CONNECT_LABEL, optionsArg: null, keepAliveOption: 'none', tls: false };

/** `x.connect(...)` where the checker says x is a net.Socket that no site we saw created. */
function typedConnects(project: Project, files: readonly FileCtx[], flows: Map<SiteCandidate, SocketFlow>, minNodeOf: (ctx: FileCtx) => Version): AnalyzedSite[] {
  const out: AnalyzedSite[] = [];
  const seen = new Set<ts.Node>();
  for (const ctx of files) {
    for (const call of ctx.calls.get('connect') ?? []) {
      if (!ts.isCallExpression(call)) continue;
      const callee = skipOuterExpressions(call.expression);
      if (!ts.isPropertyAccessExpression(callee)) continue;
      const receiver = callee.expression;
      if ([...flows.values()].some((f) => f.values.has(receiver) || f.values.has(call))) continue;
      if (project.types!.kindOf(receiver) !== 'socket') continue;
      const tracer = new FlowTracer(project);
      const decl = ts.isIdentifier(receiver) ? project.declarationOf(receiver) : null;
      if (decl && seen.has(decl)) continue;
      if (decl) {
        seen.add(decl);
        tracer.declaration(decl);
        if (ts.isParameter(decl)) tracer.flow.escaped = true; // the caller may already hold listeners
      } else if (ts.isPropertyAccessExpression(receiver)) tracer.property(receiver);
      tracer.value(receiver);
      const cand: SiteCandidate = { ctx, node: call, api: SOCKET_CONNECT_API, nameNode: callee.name };
      out.push(judgeSite(cand, tracer.flow, [], [], false, minNodeOf(ctx), project));
    }
  }
  return out;
}

/** The expression(s) given as tls.connect's `socket` option. */
/** The `socket` option values of a tls.connect, and whether a port is passed beside one. */
function tlsSocketOption(c: SiteCandidate, project: Project): { sockets: ts.Expression[]; port: boolean } {
  const args = c.node.arguments ?? [];
  const sockets: ts.Expression[] = [];
  let port = false;
  for (const a of args) {
    const x = skipOuterExpressions(a);
    if (!isObjectLike(a, project) && !ts.isIdentifier(x) && !ts.isPropertyAccessExpression(x)) continue;
    const view = resolveOptions(a, project);
    const s = view.props.get(TLS_SOCKET_OPTION);
    if (!s) continue;
    sockets.push(s);
    if (view.props.has(TLS_DIAL_OPTION)) port = true;
  }
  return { sockets, port };
}

function connectionListeners(c: SiteCandidate, flow: SocketFlow, project: Project): AcceptedListener[] {
  const exprs: ts.Expression[] = [...flow.connectionListeners];
  // net/tls createServer(listener) and new net.Server(listener) take a connection listener;
  // http(s) take a request listener, whose argument is not the socket.
  if (c.api.module === 'net' || c.api.module === 'tls') {
    const args = c.node.arguments ?? [];
    const last = args[args.length - 1];
    if (last && !isObjectLike(last, project)) exprs.push(last);
  }
  const out: AcceptedListener[] = [];
  const seen = new Set<ts.Node>();
  for (const e of exprs) {
    const x = skipOuterExpressions(e);
    let fns: ts.FunctionLikeDeclaration[] = [];
    if (isFunctionLike(x)) fns = [x];
    else if (ts.isIdentifier(x)) fns = project.functionsNamed(x.text, x);
    else if (ts.isPropertyAccessExpression(x) || (ts.isCallExpression(x) && ts.isPropertyAccessExpression(x.expression) && x.expression.name.text === 'bind')) {
      const target = ts.isCallExpression(x) ? (x.expression as ts.PropertyAccessExpression).expression : x;
      if (ts.isPropertyAccessExpression(target)) fns = project.functionsNamed(target.name.text, target);
    }
    for (const fn of fns) {
      if (seen.has(fn)) continue;
      seen.add(fn);
      const tracer = new FlowTracer(project);
      const param = fn.parameters[0] ?? null;
      if (param && ts.isIdentifier(param.name)) tracer.declaration(param);
      else tracer.flow.escaped = true;
      out.push({ fn, param, flow: tracer.flow });
    }
  }
  return out;
}

function judgeSite(c: SiteCandidate, flow: SocketFlow, listeners: AcceptedListener[], underlyings: AnalyzedSite[], wrapsUntraced: boolean, minNode: Version, project: Project, wrapsTypedSocket = false): AnalyzedSite {
  const tcpUnder = underlyings.filter((u) => u.site.tcp !== 'no');
  const underlying = tcpUnder[0] ?? underlyings[0] ?? null;
  const sf = c.ctx.sf;
  const pos = lineAndCharacter(sf, c.nameNode.getStart(sf));
  // The name's span: `new net.Socket` of a construction (not its arguments), else the name node.
  const end = lineAndCharacter(sf, ts.isNewExpression(c.nameNode) ? c.nameNode.expression.end : c.nameNode.end);
  const label = c.api.label;
  const evidence: Evidence[] = [];
  let tcp: TcpClass;
  let errorHandler = errorHandlerState(flow);
  let notTcp = 'Not TCP: a unix-domain socket or named pipe (path), keepalive does not apply.';
  const args = c.node.arguments ?? [];
  const optionsArg = args.find((a) => isObjectLike(a, project));

  if (c.api.role === 'server') {
    if (optionsArg) {
      const e = optionEvidence(resolveOptions(optionsArg, project), c.api, minNode, label, project);
      if (e) evidence.push(e);
    }
    for (const l of listeners) evidence.push(...methodEvidence(l.flow.keepAliveCalls, l.fn, project).map((e) => ({ ...e, sentence: `${e.sentence} on every accepted socket` })));
    if (c.api.module === 'http' || c.api.module === 'https') {
      for (const fn of requestListeners(c, project)) evidence.push(...methodEvidence(requestSocketKeepAlive(fn), fn, project).map((e) => ({ ...e, sentence: `${e.sentence} on each request's socket` })));
    }
    tcp = flow.listenCalls.length ? mergeTcp(flow.listenCalls.map((l) => destinationClass(l.arguments, project))) : 'maybe';
    if (c.api.module === 'http' || c.api.module === 'https') errorHandler = 'yes'; // the http server listens for socket errors itself
    else if (listeners.length === 0) errorHandler = 'unknown';
    // Every connection listener of the server runs for every accepted socket: one 'error' listener
    // added in any of them covers the socket.
    else errorHandler = listeners.some((l) => l.flow.errorListeners.length > 0) ? 'yes' : listeners.some((l) => l.flow.escaped) ? 'unknown' : 'no';
  } else {
    if (optionsArg && c.api.role === 'client') {
      const e = optionEvidence(resolveOptions(optionsArg, project), c.api, minNode, label, project);
      if (e) evidence.push(e);
    }
    if (c.api.role === 'socket' && c.api.construct && optionsArg) {
      const e = optionEvidence(resolveOptions(optionsArg, project), c.api, minNode, 'new net.Socket() constructor', project);
      if (e) evidence.push(e);
    }
    if (c.api.role === 'socket') {
      for (const connect of flow.connectCalls) {
        const opts = connect.arguments.find((a) => isObjectLike(a, project));
        if (!opts) continue;
        const view = resolveOptions(opts, project);
        if (view.props.has('keepAlive')) evidence.push({ state: 'ignored', delay: null, sentence: `keepAlive in the socket.connect() options at ${where(connect, project, c.node)} does not count: Node ignores it on a socket made with new net.Socket() (nodejs/node#59823)` });
      }
    }
    evidence.push(...methodEvidence(flow.keepAliveCalls, c.node, project, flow.someCallers));
    if (tcpUnder.length) {
      // The wrapped socket's keepalive counts when every TCP socket that may be wrapped has it.
      const states = tcpUnder.map((u) => u.site.keepalive);
      const u = underlying!.site;
      const state = states.every((k) => k === 'yes') ? 'on' : states.some((k) => k === 'yes' || k === 'conditional') ? 'conditional' : null;
      if (state) evidence.push({ state, delay: underlying!.judgement.delayMs, sentence: `wraps the ${u.call} socket of line ${u.line}: ${lowerFirst(underlying!.judgement.how)}` });
    }
    if (underlyings.length) tcp = mergeTcp(underlyings.map((u) => u.site.tcp));
    else if (wrapsUntraced) tcp = 'no';
    else if (wrapsTypedSocket) tcp = 'maybe';
    else if (c.api.role === 'socket' && c.api.construct && optionsArg && FD_OPTIONS.some((k) => resolveOptions(optionsArg, project).props.has(k))) {
      tcp = 'no'; // wraps an fd (a pipe, a tty)
      notTcp = 'Not TCP: wraps an existing file descriptor (the fd option: a pipe, a tty or an inherited socket), keepalive does not apply here.';
    }
    else if (c.api.role === 'socket') tcp = flow.connectCalls.length ? mergeTcp(flow.connectCalls.map((k) => destinationClass(k.arguments, project))) : 'maybe';
    else tcp = inIpcBranch(c.node) ? 'no' : destinationClass(args, project);
    if (underlying && errorHandler !== 'yes' && underlying.site.errorHandler === 'yes' && errorHandler === 'unknown') errorHandler = 'unknown';
  }

  const none = c.api.role === 'server'
    ? `no keepAlive option and no setKeepAlive on accepted sockets in ${listeners.length ? 'its connection listener' : 'any connection listener'}`
    : `no setKeepAlive or effective keepAlive option on this socket${flow.escaped ? ' where it can be followed' : ''}`;
  const judgement = judge(evidence, none);
  let keepalive = judgement.keepalive as Site['keepalive'];
  let how = judgement.how;
  if (tcp === 'no') {
    keepalive = 'n/a';
    how = wrapsUntraced
      ? 'Wraps a stream that is not a net socket created in the analysed code (a tunnel, an in-memory duplex, a user-supplied stream); TCP keepalive belongs where the underlying socket is made.'
      : notTcp;
  }
  const site: Site = {
    file: c.ctx.relFile,
    line: pos.line + 1,
    column: pos.character + 1,
    endLine: end.line + 1,
    endColumn: end.character + 1,
    language: 'ts',
    call: label,
    function: describeEnclosingFunction(c.node),
    tcp,
    keepalive,
    how,
    tuning: tcp === 'no' ? [] : judgement.tuning,
    errorHandler,
    fixable: false,
  };
  if (typeof judgement.delayMs === 'number' && judgement.delayMs >= MIN_USEFUL_DELAY_MS && keepalive !== 'n/a') site.tuningValues = { idleSeconds: Math.trunc(judgement.delayMs / 1000), intervalSeconds: 1, count: 10 };
  const notes = [...(keepalive === 'n/a' ? [] : judgement.notes)];
  if (c.api.role === 'socket' && optionsArg && evidence.some((e) => e.sentence.includes('constructor') && e.state !== 'ignored')) {
    notes.push('keepAlive in new net.Socket() options works at run time but is a type error with @types/node 20 and 22');
  }
  if (notes.length) site.notes = notes;
  return { candidate: c, flow, listeners, underlying: tcpUnder[0] ?? null, minNode, judgement, site };
}

/** The request listener(s) of an http(s) server: its function argument. */
function requestListeners(c: SiteCandidate, project: Project): ts.FunctionLikeDeclaration[] {
  const args = c.node.arguments ?? [];
  const last = args[args.length - 1];
  if (!last) return [];
  const x = skipOuterExpressions(last);
  if (isFunctionLike(x)) return [x];
  if (ts.isIdentifier(x)) return project.functionsNamed(x.text, x);
  return [];
}

/** `req.socket.setKeepAlive(…)` / `req.connection.setKeepAlive(…)` on the listener's request parameter. */
function requestSocketKeepAlive(fn: ts.FunctionLikeDeclaration): ts.CallExpression[] {
  const req = fn.parameters[0];
  if (!req || !ts.isIdentifier(req.name) || !fn.body) return [];
  const name = req.name.text;
  const out: ts.CallExpression[] = [];
  const visit = (n: ts.Node): void => {
    if (ts.isCallExpression(n) && ts.isPropertyAccessExpression(n.expression) && n.expression.name.text === 'setKeepAlive') {
      const owner = skipOuterExpressions(n.expression.expression);
      if (ts.isPropertyAccessExpression(owner) && ['socket', 'connection'].includes(owner.name.text) && ts.isIdentifier(owner.expression) && owner.expression.text === name) out.push(n);
    }
    ts.forEachChild(n, visit);
  };
  visit(fn.body);
  return out;
}

/** Is the value used with a member only sockets have? */
function usedAsSocket(flow: SocketFlow): boolean {
  for (const v of flow.values) {
    const p = v.parent;
    if (p && ts.isPropertyAccessExpression(p) && p.expression === v && SOCKET_ONLY_MEMBERS.includes(p.name.text)) return true;
  }
  return false;
}

function lowerFirst(s: string): string {
  return s.charAt(0).toLowerCase() + s.slice(1).replace(/\.$/, '');
}

