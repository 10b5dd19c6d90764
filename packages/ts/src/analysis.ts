/**
 * The analysis of a set of parsed files: find sites, follow each socket, judge it. Pure: no I/O.
 */
import { ts } from './typescript.js';
import { lineAndCharacter } from './lines.js';
import type { Site, TcpClass } from '@ka-codemod/core';
import { CONNECT_METHOD, CONNECTION_EVENTS, CONNECTION_LISTENER_API, KEEPALIVE_OPTION, REQUEST_SOCKET_ARG, REQUEST_SOCKET_MEMBERS, SET_KEEPALIVE, SOCKET_CONNECT_IGNORED, FD_OPTIONS, MIN_USEFUL_DELAY_MS, SOCKET_CONNECT_API, SOCKET_RECEIVER, SERVER_RECEIVER, SOCKET_ONLY_MEMBERS, TLS_DIAL_OPTION, TLS_SOCKET_OPTION, type Version } from './node-api.js';
import { conditionBetween, FlowTracer, type SocketFlow } from './flow.js';
import { isObjectLike, optionsView } from './options.js';
import { describeEnclosingFunction, functionNames, type FileCtx, type FileIndex } from './file-index.js';
import type { AcceptedListener, AnalyzedSite } from './model.js';
import { findSiteCandidates, isNothing, siteArguments, type SiteCandidate } from './sites.js';
import { linkedBindings } from './module-graph.js';
import { streamOrigins, type RelayClass, type StreamOrigins } from './stream-origin.js';
import { accessedName, contains, isFunctionLike, isListenerCall, skipOuterExpressions } from './syntax.js';
import { agentEvidence, destinationClass, errorHandlerState, inIpcBranch, judge, mergeTcp, methodEvidence, optionEvidence, where, type Evidence } from './verdict.js';

export function judgeSites(project: FileIndex, minNodeOf: (ctx: FileCtx) => Version, files: readonly FileCtx[] = project.files): AnalyzedSite[] {
  const candidates = project.files.flatMap((f) => findSiteCandidates(f, linkedBindings(f, project)));
  const flows = new Map<SiteCandidate, SocketFlow>();
  for (const c of candidates) {
    const tracer = new FlowTracer(project);
    tracer.value(c.node);
    // A socket subclass: `this` in its members and every `new` of it are the socket.
    if (c.subclass) {
      // `this` handed to the Node constructor itself (`net.Server.call(this, …)`) is no use of the instance.
      for (const t of ownThisNodes(c.subclass, project)) if (!(t.parent === c.node && c.node.arguments?.[0] === t)) tracer.value(t);
      const names = ts.isClassLike(c.subclass) ? [c.subclass.name?.text ?? ''] : functionNames(c.subclass).filter((n) => !n.startsWith('new '));
      for (const name of names) if (name) for (const call of project.callsNamed(name, c.subclass)) if (ts.isNewExpression(call)) tracer.value(call);
    }
    // net.connect(opts, function () { this.setKeepAlive(…) }): the connect callback runs with this = socket.
    const siteArgs = siteArguments(c);
    const last = siteArgs[siteArgs.length - 1];
    if (c.api.role === 'client' && last && ts.isFunctionExpression(skipOuterExpressions(last))) tracer.listenerThis(last);
    flows.set(c, tracer.flow);
  }
  const listenerCache = new Map<SiteCandidate, AcceptedListener[]>();
  const listenersOf = (c: SiteCandidate): AcceptedListener[] => {
    let l = listenerCache.get(c);
    if (!l) listenerCache.set(c, (l = connectionListeners(c, flows.get(c)!, project)));
    return l;
  };
  const results = new Map<SiteCandidate, AnalyzedSite>();
  const analyze = (c: SiteCandidate, depth: number): AnalyzedSite => {
    const done = results.get(c);
    if (done) return done;
    const flow = flows.get(c)!;
    const minNode = minNodeOf(c.ctx);
    let underlyings: AnalyzedSite[] = [];
    let wrapsUntraced = false;
    let wrapsTypedSocket = false;
    let wrapsUnseenStream = false;
    let trail: StreamOrigins | null = null;
    if (c.api.tls && (c.api.role === 'client' || c.api.wrapsArg !== undefined)) {
      const { sockets: socketExprs, port } = wrappedSockets(c, project);
      // tls.connect dials host:port itself when options.socket is written only in some branch (a
      // proxy), or when a port is passed beside it (a port means nothing to a wrapped socket: the
      // code expects the socket to be absent at times, `socket: upgradeSocket, port, host`).
      const dialsItself = socketExprs.length > 0 && (port || socketExprs.every((e) => conditionBetween(e, (n) => contains(n, c.node)) !== null));
      if (socketExprs.length) {
        // Several sites may reach the wrapped value (this.stream = unix or TCP socket): all count.
        // An accepted socket (new tls.TLSSocket(conn, { isServer: true }) in a connection listener)
        // is the server's: it carries what the server gives every accepted socket.
        const holds = (f: SocketFlow) => socketExprs.some((e) => f.values.has(e) || f.values.has(skipOuterExpressions(e)));
        const reaching = candidates.filter((o) => o !== c && (holds(flows.get(o)!) || (o.api.role === 'server' && listenersOf(o).some((l) => holds(l.flow)))));
        // A TLS socket stored in the same field as the plain one also "reaches" it; TLS over TLS is rare,
        // so the plain sockets are the wrapped ones when there are any.
        const plain = reaching.filter((o) => !o.api.tls);
        const wrapped = plain.length ? plain : reaching;
        if (wrapped.length && depth < 4) underlyings = wrapped.map((w) => analyze(w, depth + 1));
        // With a type checker, a net.Socket of unknown origin is still an OS socket (TCP or unix).
        else if (socketExprs.some((e) => ['socket', 'tls-socket'].includes(project.types?.nodeKindOf(e) ?? ''))) wrapsTypedSocket = true;
        else if (!dialsItself) {
          // Followed back to where the stream is made: a socket a site makes (through a relay
          // class's field too), an in-memory stream, or a value from code outside the tree.
          const reachedBy = (e: ts.Node) => candidates.filter((o) => o !== c && !o.api.tls && flows.get(o)!.values.has(e));
          const origins = streamOrigins(socketExprs, project, (e) => reachedBy(e).length > 0);
          const sites = [...new Set(origins.reached.flatMap(reachedBy))];
          if (sites.length && depth < 4) {
            underlyings = sites.map((w) => analyze(w, depth + 1));
            if (origins.outside.length || origins.lost) trail = origins;
          }
          // Only a stream that provably holds no OS socket (an in-memory duplex) makes the TLS socket
          // not TCP; any other stream we cannot trace may be a socket made elsewhere: tcp maybe.
          else if (origins.inMemory > 0 && !origins.lost && origins.outside.length === 0 && origins.reached.length === 0) wrapsUntraced = true;
          else {
            wrapsUnseenStream = true;
            trail = origins;
          }
        }
      }
    }
    const listeners = c.api.role === 'server' ? listenersOf(c) : [];
    const result = judgeSite(c, flow, listeners, underlyings, wrapsUntraced, minNode, project, wrapsTypedSocket, wrapsUnseenStream, trail);
    results.set(c, result);
    return result;
  };
  const wanted = new Set(files);
  const out: AnalyzedSite[] = [];
  for (const c of candidates) {
    const r = analyze(c, 0);
    if (wanted.has(c.ctx) && !neverConnected(c, r.flow, project)) out.push(r);
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
        const flow: SocketFlow = { values: new Set(), keepAliveCalls: [], errorListeners: [], connectCalls: [], listenCalls: [], connectionListeners: [call.arguments[1]], requestSocketListeners: [], escaped: true, lostAt: null, holders: new Set(), someCallers: new Set(), agents: [] };
        const listeners = connectionListeners(cand, flow, project);
        if (typed !== 'server' && !listeners.some((l) => usedAsSocket(l.flow))) continue;
        out.push(judgeSite(cand, flow, listeners, [], false, minNodeOf(ctx), project));
      }
    }
  }
  out.push(...otherConnects(project, files, flows, minNodeOf));
  return out;
}

/**
 * A socket object that is never connected is no TCP site (a stand-in stream, `new net.Socket({
 * writable: false })` handed to an HTTP agent in place of a connection): made here, not over an
 * inherited descriptor, with no connect() on it and every place it goes seen. A socket that reaches code out of sight may be
 * connected there, and stays a site.
 */
function neverConnected(c: SiteCandidate, flow: SocketFlow, project: FileIndex): boolean {
  if (c.api.role !== 'socket' || !c.api.construct || c.api.connects || c.subclass) return false;
  const wrapped = c.api.wrapsArg !== undefined ? siteArguments(c)[c.api.wrapsArg] : undefined;
  if (wrapped && !isNothing(wrapped)) return false;
  // Over an inherited descriptor (the fd option) the socket is open from the start.
  const options = optionsArgument(c, project);
  if (options && FD_OPTIONS.some((k) => optionsView(options, project).props.has(k))) return false;
  return flow.connectCalls.length === 0 && !flow.escaped && flow.lostAt === null;
}

/**
 * `this` in a class's instance members, arrow functions included (not nested functions or classes);
 * for an ES5 constructor function, in its body and in the functions assigned to its prototype
 * (`F.prototype.m = function () {…}`) in its file.
 */
function ownThisNodes(cls: ts.ClassLikeDeclaration | ts.FunctionLikeDeclaration, project: FileIndex): ts.Node[] {
  const out: ts.Node[] = [];
  const visit = (n: ts.Node): void => {
    if (n.kind === ts.SyntaxKind.ThisKeyword) out.push(n);
    if (ts.isFunctionDeclaration(n) || ts.isFunctionExpression(n) || ts.isClassLike(n)) return;
    ts.forEachChild(n, visit);
  };
  if (!ts.isClassLike(cls)) {
    if (cls.body) ts.forEachChild(cls.body, visit);
    const names = new Set(functionNames(cls));
    for (const access of project.fileOf(cls).propertyAccesses.get('prototype') ?? []) {
      const owner = skipOuterExpressions(access.expression);
      if (!ts.isIdentifier(owner) || !names.has(owner.text)) continue;
      // F.prototype.m = G.prototype.m = function () {…}
      let n: ts.Node = access.parent;
      while (n && (ts.isPropertyAccessExpression(n) || (ts.isBinaryExpression(n) && n.operatorToken.kind === ts.SyntaxKind.EqualsToken))) {
        if (ts.isBinaryExpression(n)) {
          const value = skipOuterExpressions(n.right);
          if (ts.isFunctionExpression(value) && value.body) {
            ts.forEachChild(value.body, visit);
            break;
          }
        }
        n = n.parent;
      }
    }
    return out;
  }
  for (const m of cls.members) {
    if (ts.canHaveModifiers(m) && ts.getModifiers(m)?.some((x) => x.kind === ts.SyntaxKind.StaticKeyword)) continue;
    ts.forEachChild(m, visit);
  }
  return out;
}


/**
 * `x.connect(…)` on a socket no site we saw created (a caller-supplied `options.socket`): with a
 * checker, where it says x is a net.Socket; without one, where x's name says socket, the call
 * passes a TCP destination (port, host) and the value is used with a member only sockets have
 * (`setKeepAlive`, `setNoDelay`, `remoteAddress`, …), as for connection listeners.
 */
function otherConnects(project: FileIndex, files: readonly FileCtx[], flows: Map<SiteCandidate, SocketFlow>, minNodeOf: (ctx: FileCtx) => Version): AnalyzedSite[] {
  const out: AnalyzedSite[] = [];
  const seen = new Set<ts.Node | string>();
  for (const ctx of files) {
    for (const call of ctx.calls.get(CONNECT_METHOD) ?? []) {
      if (!ts.isCallExpression(call)) continue;
      const callee = skipOuterExpressions(call.expression);
      if (!ts.isPropertyAccessExpression(callee)) continue;
      const receiver = callee.expression;
      if (receiver.kind === ts.SyntaxKind.SuperKeyword || receiver.kind === ts.SyntaxKind.ThisKeyword) continue;
      const reached = [...flows.values()].some((f) => f.values.has(receiver) || f.values.has(call));
      // A field that holds a site's socket may also be given one from outside (`this._socket =
      // this.options.socket`): its connect() may be that socket's.
      if (reached && (project.types || !suppliedFromOutside(receiver, flows, project))) continue;
      if (project.types) {
        if (project.types.nodeKindOf(receiver) !== 'socket') continue;
      } else {
        const name = ts.isIdentifier(receiver) ? receiver.text : accessedName(receiver);
        if (name === null || !SOCKET_RECEIVER.test(name) || call.arguments.length < 2 || destinationClass(call.arguments, project) !== 'yes') continue;
        const path = `${ctx.path}:${receiver.getText().replace(/^(self|that|_this|_self|me)\./, 'this.')}`;
        if (seen.has(path)) continue;
        seen.add(path);
      }
      const tracer = new FlowTracer(project);
      const decl = ts.isIdentifier(receiver) ? project.declarationOf(receiver) : null;
      if (decl && seen.has(decl)) continue;
      if (decl) {
        seen.add(decl);
        tracer.declaration(decl);
        if (ts.isParameter(decl)) tracer.flow.escaped = true; // the caller may already hold listeners
      } else if (ts.isPropertyAccessExpression(receiver)) tracer.property(receiver);
      tracer.value(receiver);
      if (!project.types && !usedAsSocket(tracer.flow)) continue;
      const cand: SiteCandidate = { ctx, node: call, api: SOCKET_CONNECT_API, nameNode: callee.name };
      out.push(judgeSite(cand, tracer.flow, [], [], false, minNodeOf(ctx), project));
    }
  }
  return out;
}

/** Is `this.x` (the receiver) also assigned, in its file, a value named socket that no site's flow reaches? */
function suppliedFromOutside(receiver: ts.Expression, flows: Map<SiteCandidate, SocketFlow>, project: FileIndex): boolean {
  if (!ts.isPropertyAccessExpression(receiver)) return false;
  const path = receiverPathText(receiver);
  for (const access of project.fileOf(receiver).propertyAccesses.get(receiver.name.text) ?? []) {
    const p = access.parent;
    if (!ts.isBinaryExpression(p) || p.left !== access || p.operatorToken.kind !== ts.SyntaxKind.EqualsToken || receiverPathText(access) !== path) continue;
    const value = skipOuterExpressions(p.right);
    const name = ts.isIdentifier(value) ? value.text : accessedName(value);
    if (name !== null && SOCKET_RECEIVER.test(name) && ![...flows.values()].some((f) => f.values.has(value) || f.values.has(p.right))) return true;
  }
  return false;
}

function receiverPathText(e: ts.Expression): string {
  return e.getText().replace(/\s+/g, '').replace(/^(self|that|_this|_self|me)\./, 'this.');
}

/**
 * The streams a TLS site wraps: `new tls.TLSSocket(stream, …)`'s argument, or tls.connect's
 * `socket` option values (and whether a port is passed beside one).
 */
function wrappedSockets(c: SiteCandidate, project: FileIndex): { sockets: ts.Expression[]; port: boolean } {
  const args = siteArguments(c);
  if (c.api.wrapsArg !== undefined) {
    const a = args[c.api.wrapsArg];
    return { sockets: a && !isNothing(a) ? [a] : [], port: false };
  }
  const sockets: ts.Expression[] = [];
  let port = false;
  for (const a of args) {
    const x = skipOuterExpressions(a);
    if (!isObjectLike(a, project) && !ts.isIdentifier(x) && !ts.isPropertyAccessExpression(x)) continue;
    const view = optionsView(a, project);
    const s = view.props.get(TLS_SOCKET_OPTION);
    if (!s) continue;
    sockets.push(s);
    if (view.props.has(TLS_DIAL_OPTION)) port = true;
  }
  return { sockets, port };
}

function connectionListeners(c: SiteCandidate, flow: SocketFlow, project: FileIndex): AcceptedListener[] {
  const exprs: ts.Expression[] = [...flow.connectionListeners];
  // net/tls createServer(listener) and new net.Server(listener) take a connection listener;
  // http(s) take a request listener, whose argument is not the socket.
  if (c.api.module === 'net' || c.api.module === 'tls') {
    const args = siteArguments(c);
    const last = args[args.length - 1];
    if (last && !isObjectLike(last, project)) exprs.push(last);
  }
  const out: AcceptedListener[] = [];
  const seen = new Set<ts.Node>();
  // An http(s) server's 'upgrade' / 'connect' listeners get one request's socket as argument 1.
  const requests = c.api.module === 'http' || c.api.module === 'https' ? flow.requestSocketListeners : [];
  for (const [i, e] of [...exprs, ...requests.map((r) => r.listener)].entries()) {
    const only = i >= exprs.length ? requests[i - exprs.length]!.event : undefined;
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
      const param = fn.parameters[only ? REQUEST_SOCKET_ARG : 0] ?? null;
      if (param && ts.isIdentifier(param.name)) tracer.declaration(param);
      else tracer.flow.escaped = true;
      out.push({ fn, param, flow: tracer.flow, ...(only ? { only } : {}) });
    }
  }
  return out;
}

function judgeSite(c: SiteCandidate, flow: SocketFlow, listeners: AcceptedListener[], underlyings: AnalyzedSite[], wrapsUntraced: boolean, minNode: Version, project: FileIndex, wrapsTypedSocket = false, wrapsUnseenStream = false, trail: StreamOrigins | null = null): AnalyzedSite {
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
  const args = siteArguments(c);
  const optionsArg = optionsArgument(c, project);

  if (c.api.role === 'server') {
    if (optionsArg) {
      const e = optionEvidence(optionsView(optionsArg, project), c.api, minNode, label, project);
      if (e) evidence.push(e);
    }
    for (const l of listeners) {
      // Set in an 'upgrade' / 'connect' listener: on those requests' sockets only, never on all.
      evidence.push(...methodEvidence(l.flow.keepAliveCalls, l.fn, project).map((e): Evidence => (l.only ? { ...e, state: e.state === 'on' ? 'conditional' : e.state, sentence: `${e.sentence} on the sockets of '${l.only}' requests only` } : { ...e, sentence: `${e.sentence} on every accepted socket` })));
    }
    if (c.api.module === 'http' || c.api.module === 'https') {
      for (const fn of requestListeners(c, project)) evidence.push(...methodEvidence(requestSocketKeepAlive(fn), fn, project).map((e) => ({ ...e, sentence: `${e.sentence} on each request's socket` })));
    }
    tcp = flow.listenCalls.length ? mergeTcp(flow.listenCalls.map((l) => destinationClass(l.arguments, project))) : 'maybe';
    if (c.api.module === 'http' || c.api.module === 'https') errorHandler = 'yes'; // the http server listens for socket errors itself
    else if (listeners.length === 0) errorHandler = 'unknown';
    // Every connection listener of the server runs for every accepted socket: one 'error' listener
    // added in any of them covers the socket.
    else errorHandler = listeners.some((l) => !l.only && l.flow.errorListeners.length > 0) ? 'yes' : listeners.some((l) => l.flow.escaped) ? 'unknown' : 'no';
  } else {
    if (optionsArg && c.api.role === 'client') {
      const view = optionsView(optionsArg, project);
      const e = optionEvidence(view, c.api, minNode, label, project);
      if (e) evidence.push(e);
      // The callee may be another module's at run time (`transport = options.tls ? tls : net`):
      // options that count there give keepalive on that path only.
      if (!e || e.state === 'ignored') {
        for (const alt of c.alternatives ?? []) {
          const other = optionEvidence(view, alt, minNode, alt.label, project);
          if (other && other.state !== 'ignored') {
            evidence.push({ ...other, state: 'conditional', sentence: `On the ${alt.label} path (the module is chosen at run time): ${other.sentence}` });
            break;
          }
        }
      }
    }
    if (c.api.role === 'socket' && c.api.construct && optionsArg) {
      const e = optionEvidence(optionsView(optionsArg, project), c.api, minNode, `${c.api.label}() constructor`, project);
      if (e) evidence.push(e);
    }
    if (c.api.role === 'socket') {
      for (const connect of flow.connectCalls) {
        const opts = connect.arguments.find((a) => isObjectLike(a, project));
        if (!opts) continue;
        const view = optionsView(opts, project);
        if (view.props.has(KEEPALIVE_OPTION)) evidence.push({ state: 'ignored', delay: null, sentence: `keepAlive in the socket.connect() options at ${where(connect, project, c.node)} does not count: ${SOCKET_CONNECT_IGNORED}` });
      }
    }
    evidence.push(...methodEvidence(flow.keepAliveCalls, c.node, project, flow.someCallers));
    for (const agent of flow.agents) {
      const e = agentEvidence(agent, project);
      if (e) evidence.push(e);
    }
    if (tcpUnder.length) {
      // The wrapped socket's keepalive counts when every TCP socket that may be wrapped has it.
      const states = tcpUnder.map((u) => u.site.keepalive);
      const u = underlying!.site;
      const state = states.every((k) => k === 'yes') ? 'on' : states.some((k) => k === 'yes' || k === 'conditional') ? 'conditional' : null;
      if (state) evidence.push({ state, delay: underlying!.judgement.delayMs, sentence: `wraps the ${u.call} socket of ${u.file === c.ctx.relFile ? `line ${u.line}` : `${u.file}:${u.line}`}: ${lowerFirst(underlying!.judgement.how)}` });
    }
    // A stream that may also hold a socket from out of sight (trail) is TCP only maybe.
    if (underlyings.length) tcp = mergeTcp([...underlyings.map((u) => u.site.tcp), ...(trail ? ['maybe' as const] : [])]);
    else if (wrapsUntraced) tcp = 'no';
    else if (wrapsTypedSocket || wrapsUnseenStream) tcp = 'maybe';
    else if (c.api.role === 'socket' && c.api.construct && optionsArg && FD_OPTIONS.some((k) => optionsView(optionsArg, project).props.has(k))) {
      tcp = 'no'; // wraps an fd (a pipe, a tty)
      notTcp = 'Not TCP: wraps an existing file descriptor (the fd option: a pipe, a tty or an inherited socket), keepalive does not apply here.';
    }
    else if (c.api.role === 'socket') {
      const connects = c.api.connects && ts.isCallExpression(c.node) && !flow.connectCalls.includes(c.node) ? [c.node, ...flow.connectCalls] : flow.connectCalls;
      tcp = connects.length ? mergeTcp(connects.map((k) => destinationClass(k.arguments, project))) : 'maybe';
    }
    else tcp = inIpcBranch(c.node) ? 'no' : destinationClass(args, project);
    if (underlying && errorHandler !== 'yes' && underlying.site.errorHandler === 'yes' && errorHandler === 'unknown') errorHandler = 'unknown';
    // A socket an HTTP agent takes serves requests: Node's http client listens for its errors.
    if (flow.agents.length) errorHandler = 'yes';
  }

  const every = listeners.filter((l) => !l.only);
  // The sockets of upgraded / tunnelled requests handed on to code out of sight: said, as they may get it there.
  const handedOn = listeners.filter((l) => l.only && l.flow.escaped).map((l) => ` (the sockets of '${l.only}' requests go from the listener in ${where(l.fn, project, c.node)} to code out of sight)`)[0] ?? '';
  const none = c.api.role === 'server'
    ? `no keepAlive option and no setKeepAlive on accepted sockets in ${every.length ? 'its connection listener' : 'any connection listener'}${handedOn}`
    : `no setKeepAlive or effective keepAlive option on this socket${flow.escaped ? ' where it can be followed' : ''}`;
  const judgement = judge(evidence, none);
  let keepalive = judgement.keepalive as Site['keepalive'];
  let how = judgement.how;
  const lostAt = flow.lostAt ?? listeners.find((l) => l.flow.lostAt)?.flow.lostAt ?? null;
  if (keepalive === 'no' && lostAt && !evidence.some((e) => e.state === 'ignored')) {
    keepalive = 'unknown';
    how = `No keepalive seen before the socket is handed inside an object to a callback its caller chose (${where(lostAt, project, c.node)}), whose code is out of sight.`;
  }
  const outside = trail?.outside[0];
  if ((wrapsUnseenStream || (trail && underlyings.length)) && keepalive === 'no') {
    // The TLS socket rides on a stream made where we cannot see (a parameter, another library):
    // keepalive belongs to the socket underneath, if it is one.
    keepalive = 'unknown';
    const relay = trail?.relays.find((r) => r.fields.length);
    const wraps = relay ? `Wraps ${relayDescription(relay, project, c.node)}, whose socket` : 'Wraps a stream that';
    const seen = underlyings.length ? `, or is the ${underlyings[0]!.site.call} socket of ${where(underlyings[0]!.candidate.node, project, c.node)} (without keepalive)` : '';
    how = outside
      ? `${wraps} comes from ${outside.what}, outside the audited tree (at ${where(outside.node, project, c.node)})${seen}: TCP keepalive belongs to ${relay ? 'that socket,' : 'the socket underneath, if it is one,'} made and used where the analysed code does not show. ${how}`
      : `${relay ? `${wraps} is` : 'Wraps a stream'} made where the analysed code does not show (a caller, another library)${seen}; TCP keepalive belongs to the socket underneath, which could not be traced. ${how}`;
  }
  if (tcp === 'no') {
    keepalive = 'n/a';
    how = wrapsUntraced
      ? 'Wraps an in-memory stream (a PassThrough or Duplex, or a class of the project extending one that relays to no socket), never an OS socket: TCP keepalive does not apply.'
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

/**
 * The options argument of a creating call: an object literal (or a variable holding one) anywhere
 * in its arguments, else the argument where the call takes options when it is not a listener, a
 * literal or one of positional `(port, host)` (an identifier or field named port/path/host/url).
 */
function optionsArgument(c: SiteCandidate, project: FileIndex): ts.Expression | undefined {
  const args = siteArguments(c);
  const literal = args.find((a) => isObjectLike(a, project));
  if (literal || c.api.optionsArg === null) return literal;
  const a = args[c.api.optionsArg];
  if (!a || ts.isSpreadElement(a)) return undefined;
  const x = skipOuterExpressions(a);
  if (isFunctionLike(x) || ts.isLiteralExpression(x) || x.kind === ts.SyntaxKind.NullKeyword || isNothing(x)) return undefined;
  if (c.api.role === 'client' && args.length >= 2 && !isFunctionLike(skipOuterExpressions(args[1]!))) return undefined;
  const name = ts.isIdentifier(x) ? x.text : accessedName(x);
  if (name !== null && (POSITIONAL_NAME.test(name) || LISTENER_NAME.test(name) || /^(socket|sock|stream)$/i.test(name))) return undefined;
  if (!ts.isIdentifier(x) && !ts.isPropertyAccessExpression(x) && !ts.isCallExpression(x) && !ts.isElementAccessExpression(x)) return undefined;
  return a;
}

/** Names of positional destination arguments, never an options object. */
const POSITIONAL_NAME = /(port|path|host(name)?|url|addr(ess)?|fd|handle)$/i;
/** Names of a value that may be a listener where the call also takes one: not known to be options. */
const LISTENER_NAME = /handler|listener|callback|^cb$|^fn$|^on[A-Z]/;

/** The request listener(s) of an http(s) server: its function argument. */
function requestListeners(c: SiteCandidate, project: FileIndex): ts.FunctionLikeDeclaration[] {
  const args = siteArguments(c);
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
    if (ts.isCallExpression(n) && ts.isPropertyAccessExpression(n.expression) && n.expression.name.text === SET_KEEPALIVE) {
      const owner = skipOuterExpressions(n.expression.expression);
      if (ts.isPropertyAccessExpression(owner) && REQUEST_SOCKET_MEMBERS.includes(owner.name.text) && ts.isIdentifier(owner.expression) && owner.expression.text === name) out.push(n);
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

/** `a ProxyStream (a Duplex of the project relaying to its _socket field, socks.js:47)`. */
function relayDescription(relay: RelayClass, project: FileIndex, from: ts.Node): string {
  const base = relay.cls.heritageClauses?.find((h) => h.token === ts.SyntaxKind.ExtendsKeyword)?.types[0]?.expression;
  const baseName = base ? (ts.isIdentifier(skipOuterExpressions(base)) ? (skipOuterExpressions(base) as ts.Identifier).text : accessedName(skipOuterExpressions(base))) : null;
  const fields = relay.fields.map((f) => `${f}`).join(', ');
  const at = where(relay.cls.name ?? relay.cls, project, from);
  return `a ${relay.cls.name?.text ?? 'stream class'} (a ${baseName ?? 'stream'} of the project relaying to its field ${fields}, ${at})`;
}

function lowerFirst(s: string): string {
  return s.charAt(0).toLowerCase() + s.slice(1).replace(/\.$/, '');
}

