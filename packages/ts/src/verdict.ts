/**
 * Verdicts: from a site's flow and options to Site fields (tcp, keepalive, how, tuning,
 * errorHandler, notes), judged against what Node really does on the project's oldest Node.
 */
import { ts } from './typescript.js';
import { lineAndCharacter } from './lines.js';
import type { ErrorHandlerState, KeepaliveVerdict, TcpClass, TuningOption } from '@ka-codemod/core';
import { AGENT_DEFAULT_DELAY_MS, AGENT_DELAY_OPTION, AGENT_KEEPALIVE_OPTION, availableOn, formatGate, IPC_OPTIONS, KEEPALIVE_DELAY_OPTION, KEEPALIVE_OPTION, MIN_USEFUL_DELAY_MS, OS_DEFAULT_IDLE_SECONDS, TCP_OPTIONS, type SocketCall, type Version } from './node-api.js';
import { conditionBetween, type SocketFlow } from './flow.js';
import { earlyExitBetween } from './early-exit.js';
import { isObjectLike, optionsView, type OptionsView } from './options.js';
import { agentConstructorArguments } from './agent.js';
import { describeEnclosingFunction, functionNames, type FileIndex } from './file-index.js';
import { booleanLiteral, contains, isFunctionLike, numericValue, skipOuterExpressions, stringValue } from './syntax.js';

/** One piece of keepalive evidence found for a socket. */
export interface Evidence {
  /** on: takes effect on every normal path; conditional: under a flag/option; ignored: Node drops it. */
  state: 'on' | 'conditional' | 'ignored';
  /** Delay in ms when statically known; null when not given (OS default); 'unknown' when computed at run time. */
  delay: number | null | 'unknown';
  sentence: string;
  /** The caller decides whether keepalive is on at all, and with which delay: no tuning claimed, no delay note. */
  callerDecides?: boolean;
}

export interface KeepaliveJudgement {
  keepalive: Exclude<KeepaliveVerdict, 'n/a'>;
  how: string;
  tuning: TuningOption[];
  delayMs: number | null | 'unknown';
  notes: string[];
}

export function where(node: ts.Node, project: FileIndex, from: ts.Node): string {
  const sf = node.getSourceFile();
  const line = lineAndCharacter(sf, node.getStart(sf)).line + 1;
  const fn = describeEnclosingFunction(node);
  const file = sf === from.getSourceFile() ? `line ${line}` : `${project.fileOf(node).relFile}:${line}`;
  return fn ? `${fn} (${file})` : file;
}

/** Evidence from `keepAlive` / `keepAliveInitialDelay` in an options object. */
export function optionEvidence(view: OptionsView, api: SocketCall, minNode: Version, label: string, project: FileIndex): Evidence | null {
  const value = view.props.get(KEEPALIVE_OPTION);
  if (!value) {
    // Options the caller hands in whole (or spread in): keepAlive is theirs to pass, where Node reads it.
    // The caller also picks the Node that runs it: before the version gate the option is ignored.
    if (!view.fromCaller || api.keepAliveOption !== 'honoured') return null;
    const gate = api.keepAliveSince && !availableOn(api.keepAliveSince, minNode) ? ` and Node is ${formatGate(api.keepAliveSince)} or newer` : '';
    return { state: 'conditional', delay: null, callerDecides: true, sentence: `keepalive is on only if the options the caller passes (${shortText(view.fromCaller)}) carry keepAlive: true${gate}` };
  }
  const on = booleanLiteral(constantOf(value, project));
  if (on === false) return { state: 'ignored', delay: null, sentence: `keepAlive: false in the ${label} options turns it off on purpose (left to people, not rewritten)` };
  const delayExpr = view.props.get(KEEPALIVE_DELAY_OPTION);
  const delay = delayExpr ? numericValue(constantOf(delayExpr, project)) ?? 'unknown' : null;
  if (api.keepAliveOption === 'ignored') {
    return { state: 'ignored', delay, sentence: `keepAlive in the ${label} options does not count: ${api.ignoredBecause}` };
  }
  if (api.keepAliveSince && !availableOn(api.keepAliveSince, minNode)) {
    return { state: 'ignored', delay, sentence: `keepAlive in the ${label} options is ignored before Node ${formatGate(api.keepAliveSince)}, and the project supports Node ${minNode[0]}.${minNode[1]}` };
  }
  if (on === true) return { state: 'on', delay, sentence: `keepAlive: true in the ${label} options` };
  return { state: 'conditional', delay, sentence: `keepAlive in the ${label} options depends on a run-time value (${value.getText()})` };
}

/** Evidence from `x.setKeepAlive(enable, delay)` calls; `anchor` bounds the condition search. */
/** A `const` identifier's initializer (through up to three constants), else the expression itself. */
export function constantOf(expr: ts.Expression, project: FileIndex): ts.Expression {
  let e = skipOuterExpressions(expr);
  for (let i = 0; i < 3 && ts.isIdentifier(e); i++) {
    const d = project.declarationOf(e);
    if (!d || !ts.isVariableDeclaration(d) || !d.initializer) break;
    const list = d.parent;
    if (!ts.isVariableDeclarationList(list) || !(list.flags & ts.NodeFlags.Const)) break;
    e = skipOuterExpressions(d.initializer);
  }
  return e;
}

export function methodEvidence(calls: readonly ts.CallExpression[], anchor: ts.Node, project: FileIndex, someCallers: ReadonlySet<ts.CallExpression> = new Set()): Evidence[] {
  const out: Evidence[] = [];
  for (const call of calls) {
    const enable = call.arguments[0];
    const on = enable ? booleanLiteral(constantOf(enable, project)) : false;
    if (on === false) continue; // setKeepAlive() / setKeepAlive(false) turns it off
    const delayExpr = call.arguments[1];
    const delay = delayExpr ? numericValue(constantOf(delayExpr, project)) ?? 'unknown' : null;
    const test = conditionBetween(call, (n) => contains(n, anchor));
    // `if (typeof s.setKeepAlive === 'function')`: asks whether the method exists, not whether to use it.
    // `if (socket) …` / `if (this.sock != null)`: the socket exists, a creation check and not a flag.
    const branch = test && (isCapabilityTest(test) || isExistenceTest(test, call)) ? null : test;
    const exit = branch ? null : earlyExitBetween(call, anchor);
    const guard = branch ?? exit;
    const guardText = branch ? describeCondition(branch) : exit ? `past an early return on ${shortText(exit)}` : '';
    const at = where(call, project, anchor);
    if (on === null) out.push({ state: 'conditional', delay, sentence: `setKeepAlive(${enable!.getText()}, …) in ${at} depends on a run-time value` });
    else if (someCallers.has(call)) out.push({ state: 'conditional', delay, sentence: `setKeepAlive(true) in ${at} is called on the socket by only some of the callers it is returned to` });
    else if (guard) out.push({ state: 'conditional', delay, sentence: `setKeepAlive(true) in ${at} runs only ${guardText}` });
    else out.push({ state: 'on', delay, sentence: `setKeepAlive(${call.arguments.map((a) => a.getText()).join(', ')}) in ${at}` });
  }
  return out;
}

export function judge(evidence: readonly Evidence[], noneSentence: string): KeepaliveJudgement {
  const on = evidence.find((e) => e.state === 'on');
  const cond = evidence.find((e) => e.state === 'conditional');
  const ignored = evidence.filter((e) => e.state === 'ignored');
  const chosen = on ?? cond;
  const tuning: TuningOption[] = evidence.some((e) => e.state !== 'ignored' && e.delay !== null && !e.callerDecides) ? ['keepAliveInitialDelay'] : [];
  const notes: string[] = [];
  if (!chosen) {
    const how = ignored.length ? `${ignored.map((e) => e.sentence).join('; ')}; ${noneSentence}` : noneSentence;
    return { keepalive: 'no', how: sentenceCase(how), tuning, delayMs: null, notes };
  }
  const delay = chosen.delay;
  if (chosen.callerDecides) {
    // nothing to say about a delay the caller may or may not give
  } else if (delay === null) notes.push(`keepalive is on without an initial delay: the OS default idle time applies (${OS_DEFAULT_IDLE_SECONDS} s on Linux), so a dead peer is noticed only after about 2 hours`);
  else if (typeof delay === 'number' && delay < MIN_USEFUL_DELAY_MS) notes.push(`keepalive delay ${delay} ms is below ${MIN_USEFUL_DELAY_MS} ms: Node applies whole seconds, so 0 means the OS default idle time (${OS_DEFAULT_IDLE_SECONDS} s, 2 hours)`);
  const others = evidence.filter((e) => e !== chosen && e.state !== 'ignored').map((e) => e.sentence);
  let how = chosen.sentence;
  if (others.length) how += `; also ${others.join('; ')}`;
  if (ignored.length) how += `; ${ignored.map((e) => e.sentence).join('; ')}`;
  return { keepalive: chosen.state === 'on' ? 'yes' : 'conditional', how: sentenceCase(how), tuning, delayMs: delay, notes };
}

/** One sentence: code identifiers at its start keep their case; it ends with a period. */
function sentenceCase(s: string): string {
  const t = /^(set|keep|wraps|no |only)/.test(s) && !/^(setKeepAlive|keepAlive)/.test(s) ? s.charAt(0).toUpperCase() + s.slice(1) : s;
  return t.endsWith('.') ? t : `${t}.`;
}

/** Beyond this many callers, a destination parameter is not resolved through them. */
const MAX_DESTINATION_CALLERS = 5;

/** TCP or not, from connect/listen arguments: (port[, host]), (path), ({ port } | { path }), options objects. */
export function destinationClass(args: readonly ts.Expression[], project: FileIndex, depth = 0): TcpClass {
  if (args.length === 0) return 'maybe';
  const first = args[0]!;
  if (ts.isSpreadElement(first)) return 'maybe';
  const e = skipOuterExpressions(first);
  if (ts.isNumericLiteral(e)) return 'yes';
  const s = stringValue(e);
  if (s !== null) return /^\d+$/.test(s) ? 'yes' : 'no';
  // host + '/.s.PGSQL.' + port, `${dir}/app.sock`: a path built at run time.
  if (isBuiltPath(e)) return 'no';
  // connect(port, host) in a helper whose parameters they are: what its callers pass there.
  const viaCallers = depth < 2 ? callerDestinations(args, project, depth) : null;
  if (viaCallers) return viaCallers;
  if (ts.isFunctionExpression(e) || ts.isArrowFunction(e)) return 'maybe';
  const view = optionsView(e, project);
  if (view.props.size > 0 || ts.isObjectLiteralExpression(e)) {
    const ipc = IPC_OPTIONS.map((k) => view.props.get(k)).filter((v): v is ts.Expression => !!v && !isUndefined(v));
    const tcpToo = TCP_OPTIONS.some((k) => view.props.has(k));
    // `path` wins over `port` in Node; a path that may be undefined at run time leaves both open.
    // So does a run-time path copied into options we do not see whole (`options.path = options.socketPath`
    // on a parameter): unset, the port and host from elsewhere make it TCP.
    if (ipc.length) return (tcpToo || !view.complete) && !ipc.some((v) => stringValue(skipOuterExpressions(v)) !== null) ? 'maybe' : 'no';
    if (tcpToo) return 'yes';
    return 'maybe';
  }
  // (port || socketPath, host): a fallback to a socket path leaves both open.
  if (mayBePath(e, project)) return 'maybe';
  const second = args[1] ? skipOuterExpressions(args[1]) : null;
  if (second && !ts.isFunctionExpression(second) && !ts.isArrowFunction(second) && !(ts.isIdentifier(second) && /cb|callback|listener|done|next/i.test(second.text))) return 'yes';
  const text = e.getText();
  // A single value: its name is the only clue (socketPath vs port).
  if (/path|pipe|sock(et)?file|ipc/i.test(text)) return 'no';
  if (/port/i.test(text)) return 'yes';
  return 'maybe';
}

/** A string concatenation or template whose literal parts hold a path separator. */
function isBuiltPath(e: ts.Expression): boolean {
  const parts: ts.Node[] = [];
  const collect = (n: ts.Node): void => {
    const x = ts.isExpression(n) ? skipOuterExpressions(n) : n;
    if (ts.isBinaryExpression(x) && x.operatorToken.kind === ts.SyntaxKind.PlusToken) {
      collect(x.left);
      collect(x.right);
    } else parts.push(x);
  };
  if (ts.isTemplateExpression(e)) return [e.head.text, ...e.templateSpans.map((t) => t.literal.text)].some((t) => t.includes('/'));
  if (!ts.isBinaryExpression(e) || e.operatorToken.kind !== ts.SyntaxKind.PlusToken) return false;
  collect(e);
  return parts.some((p) => ts.isStringLiteralLike(p) && /^[^:]*\//.test(p.text) && !/^\w+:\/\//.test(p.text));
}

/**
 * The destination arguments are parameters of the enclosing function (`connect(port, host) {
 * this.stream.connect(port, host) }`): each caller's arguments in their place, classes merged.
 * Null when the first is no parameter, or the callers are none or too many to tell.
 */
function callerDestinations(args: readonly ts.Expression[], project: FileIndex, depth: number): TcpClass | null {
  const first = skipOuterExpressions(args[0]!);
  if (!ts.isIdentifier(first)) return null;
  const decl = project.declarationOf(first);
  if (!decl || !ts.isParameter(decl) || !isFunctionLike(decl.parent)) return null;
  const fn = decl.parent;
  const calls = functionNames(fn).flatMap((name) => (name.startsWith('new ') ? [] : project.callsNamed(name, fn)));
  if (calls.length === 0 || calls.length > MAX_DESTINATION_CALLERS) return null;
  const classes: TcpClass[] = [];
  for (const call of calls) {
    const given = call.arguments ?? [];
    if (given.some((a) => ts.isSpreadElement(a))) return null;
    const mapped: ts.Expression[] = [];
    for (const a of args) {
      const x = skipOuterExpressions(a);
      const d = ts.isIdentifier(x) ? project.declarationOf(x) : null;
      if (d && ts.isParameter(d) && d.parent === fn) {
        const arg = given[fn.parameters.indexOf(d)];
        if (!arg) break; // not passed: the call ends its arguments here (an optional host)
        mapped.push(arg);
      } else mapped.push(a);
    }
    classes.push(destinationClass(mapped, project, depth + 1));
  }
  return mergeTcp(classes);
}

/** `a || socketPath`, `x ? port : path` (directly or as a variable's initializer): one alternative names a path. */
function mayBePath(e: ts.Expression, project: FileIndex): boolean {
  let x = skipOuterExpressions(e);
  if (ts.isIdentifier(x)) {
    const d = project.declarationOf(x);
    if (!d || !ts.isVariableDeclaration(d) || !d.initializer) return false;
    x = skipOuterExpressions(d.initializer);
  }
  const alternatives = ts.isConditionalExpression(x) ? [x.whenTrue, x.whenFalse] : ts.isBinaryExpression(x) && [ts.SyntaxKind.BarBarToken, ts.SyntaxKind.QuestionQuestionToken].includes(x.operatorToken.kind) ? [x.left, x.right] : [];
  return alternatives.some((a) => PATH_NAME.test(a.getText())) && alternatives.some((a) => !PATH_NAME.test(a.getText()));
}

const PATH_NAME = /path|pipe|sock(et)?file|ipc/i;

function isUndefined(e: ts.Expression): boolean {
  const x = skipOuterExpressions(e);
  return ts.isIdentifier(x) && x.text === 'undefined';
}

export function mergeTcp(classes: readonly TcpClass[]): TcpClass {
  if (classes.length === 0) return 'maybe';
  if (classes.every((c) => c === 'yes')) return 'yes';
  if (classes.every((c) => c === 'no')) return 'no';
  return 'maybe';
}

/** Is the node in the branch of an `if ('path' in options)` / `if (options.path)` test (a unix socket branch)? */
export function inIpcBranch(node: ts.Node): boolean {
  let child: ts.Node = node;
  for (let n = node.parent; n; child = n, n = n.parent) {
    if (ts.isIfStatement(n) && n.thenStatement === child && isIpcTest(n.expression)) return true;
    if (ts.isConditionalExpression(n) && n.whenTrue === child && isIpcTest(n.condition)) return true;
  }
  return false;
}

/** `'path' in o`, `o.path`, `o.socketPath` (possibly && with others). */
export function isIpcTest(e: ts.Expression): boolean {
  const x = skipOuterExpressions(e);
  if (ts.isBinaryExpression(x)) {
    if (x.operatorToken.kind === ts.SyntaxKind.InKeyword) return /^(path|socketPath)$/.test(stringValue(x.left) ?? '');
    if (x.operatorToken.kind === ts.SyntaxKind.AmpersandAmpersandToken) return isIpcTest(x.left) || isIpcTest(x.right);
    return false;
  }
  if (ts.isPropertyAccessExpression(x)) return /^(path|socketPath)$/.test(x.name.text);
  return false;
}

export function errorHandlerState(flow: SocketFlow): ErrorHandlerState {
  if (flow.errorListeners.length > 0) return 'yes';
  return flow.escaped ? 'unknown' : 'no';
}

/** "when `opts.keepAlive`", "in a catch block", … (short: long tests are cut). */
/** `typeof x.setKeepAlive === 'function'`, `x.setKeepAlive`, or such tests joined with &&. */
export function isCapabilityTest(n: ts.Node): boolean {
  if (!ts.isExpression(n)) return false;
  const e = skipOuterExpressions(n);
  if (ts.isPropertyAccessExpression(e)) return e.name.text === 'setKeepAlive';
  if (!ts.isBinaryExpression(e)) return false;
  const op = e.operatorToken.kind;
  if (op === ts.SyntaxKind.AmpersandAmpersandToken) return isCapabilityTest(e.left) && isCapabilityTest(e.right);
  if (op !== ts.SyntaxKind.EqualsEqualsEqualsToken && op !== ts.SyntaxKind.EqualsEqualsToken) return false;
  const [a, b] = [skipOuterExpressions(e.left), skipOuterExpressions(e.right)];
  const typeofMethod = (x: ts.Expression) => ts.isTypeOfExpression(x) && isCapabilityTest(x.expression);
  return (typeofMethod(a) && stringValue(b) === 'function') || (typeofMethod(b) && stringValue(a) === 'function');
}

/** A test that only asks whether the setKeepAlive call's receiver exists: `s`, `s != null`, `s !== undefined`. */
export function isExistenceTest(n: ts.Node, call: ts.CallExpression): boolean {
  if (!ts.isExpression(n) || !ts.isPropertyAccessExpression(call.expression)) return false;
  const receiver = pathText(call.expression.expression);
  const e = skipOuterExpressions(n);
  if (ts.isIdentifier(e) || ts.isPropertyAccessExpression(e)) return pathText(e) === receiver;
  if (!ts.isBinaryExpression(e)) return false;
  const op = e.operatorToken.kind;
  if (op === ts.SyntaxKind.AmpersandAmpersandToken) return isExistenceTest(e.left, call) && (isExistenceTest(e.right, call) || isCapabilityTest(e.right));
  if (![ts.SyntaxKind.ExclamationEqualsToken, ts.SyntaxKind.ExclamationEqualsEqualsToken].includes(op)) return false;
  const nothing = (x: ts.Expression) => x.kind === ts.SyntaxKind.NullKeyword || (ts.isIdentifier(x) && x.text === 'undefined');
  const [a, b] = [skipOuterExpressions(e.left), skipOuterExpressions(e.right)];
  return (nothing(b) && pathText(a) === receiver) || (nothing(a) && pathText(b) === receiver);
}

function pathText(e: ts.Expression): string {
  return skipOuterExpressions(e).getText().replace(/\s+/g, '').replace(/^(self|that|_this|_self|me)(?=\.|$)/, 'this');
}

function shortText(n: ts.Node): string {
  const text = n.getText().replace(/\s+/g, ' ');
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

function describeCondition(guard: ts.Node): string {
  if (ts.isCatchClause(guard)) return 'in a catch block';
  if (ts.isDefaultClause(guard)) return 'in the default case of a switch';
  const short = shortText(guard);
  return ts.isCaseClause(guard.parent) && guard.parent.expression === guard ? `in case ${short}` : `under the condition ${short}`;
}

/**
 * Keepalive Node's HTTP agent gives a socket returned from the agent's socket method (node-api.ts,
 * AGENT_CLASSES): on when the agent's options say keepAlive: true, the caller's to decide when the
 * options come from the caller, none otherwise.
 */
export function agentEvidence(agent: ts.ClassLikeDeclaration, project: FileIndex): Evidence | null {
  const name = agent.name?.text ?? 'the';
  const kept = `Node's http.Agent calls setKeepAlive(true, ${AGENT_DELAY_OPTION}) on each socket the ${name} agent keeps for reuse`;
  const args = agentConstructorArguments(agent);
  if (args === null) return { state: 'conditional', delay: null, callerDecides: true, sentence: `${kept}, only if the agent is made with ${AGENT_KEEPALIVE_OPTION}: true (the caller's options)` };
  const opts = args.find((a) => isObjectLike(a, project)) ?? args.find((a) => !ts.isSpreadElement(a) && !ts.isLiteralExpression(skipOuterExpressions(a)));
  if (!opts) return null;
  const view = optionsView(opts, project);
  const value = view.props.get(AGENT_KEEPALIVE_OPTION);
  if (!value) return view.fromCaller ? { state: 'conditional', delay: null, callerDecides: true, sentence: `${kept}, only if the options the caller passes (${shortText(view.fromCaller)}) carry ${AGENT_KEEPALIVE_OPTION}: true` } : null;
  const on = booleanLiteral(constantOf(value, project));
  if (on === false) return null;
  const delayExpr = view.props.get(AGENT_DELAY_OPTION);
  const delay = delayExpr ? numericValue(constantOf(delayExpr, project)) ?? 'unknown' : AGENT_DEFAULT_DELAY_MS;
  if (on === true) return { state: 'on', delay, sentence: `${kept} (${AGENT_KEEPALIVE_OPTION}: true in its options)` };
  return { state: 'conditional', delay, sentence: `${kept}, when ${AGENT_KEEPALIVE_OPTION} (${value.getText()}) is true at run time` };
}
