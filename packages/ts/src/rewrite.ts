/**
 * The edits that give one flagged site keepalive (and an 'error' listener when it has none), as
 * minimal text insertions: quotes, semicolons, indentation, comments and line endings of the file
 * are kept, nothing is reprinted.
 */
import { ts } from './typescript.js';
import { isFlagged, type Edit, type KeepaliveOptions, type SiteFix } from '@ka-codemod/core';
import { availableOn, CONNECT_EVENT, CONNECTION_EVENTS, CONNECTION_LISTENER_LABEL, ERROR_EVENT, KEEPALIVE_DELAY_OPTION, KEEPALIVE_OPTION, SET_KEEPALIVE, SOCKET_TYPE } from './node-api.js';
import type { AnalyzedSite } from './model.js';
import { siteArguments } from './sites.js';
import type { FileIndex } from './file-index.js';
import { isObjectLike } from './options.js';
import { booleanLiteral, isChainableSocketMethod, accessedName, isFunctionLike, isKeepAliveOption, optionName, skipOuterExpressions } from './syntax.js';
import type { FileStyle } from './file-style.js';

/** `logger.error` when the file evidently logs errors through a logger in scope, else `console.error`. */
export function errorReporter(node: ts.Node, project: FileIndex): string {
  const ctx = project.fileOf(node);
  for (const call of ctx.calls.get(ERROR_EVENT) ?? []) {
    if (!ts.isCallExpression(call)) continue;
    const callee = skipOuterExpressions(call.expression);
    if (!ts.isPropertyAccessExpression(callee)) continue;
    const receiver = callee.expression;
    const text = receiver.getText();
    if (!/^(this\.)?_?(log|logger)$/i.test(text)) continue;
    if (ts.isIdentifier(receiver)) {
      if (project.declarationOf(receiver) && sameScopeVisible(receiver, node, project)) return `${text}.error`;
    } else if (receiver.kind === ts.SyntaxKind.PropertyAccessExpression && enclosingClass(receiver) && enclosingClass(receiver) === enclosingClass(node)) {
      return `${text}.error`;
    }
  }
  return 'console.error';
}

function sameScopeVisible(id: ts.Identifier, at: ts.Node, project: FileIndex): boolean {
  const decl = project.declarationOf(id);
  if (!decl) return false;
  // Visible at `at` when the declaration's enclosing function (or the file) contains it.
  for (let n: ts.Node | undefined = decl.parent; n; n = n.parent) {
    if (isFunctionLike(n) || ts.isSourceFile(n)) return n.pos <= at.pos && at.end <= n.end;
  }
  return false;
}

function enclosingClass(n: ts.Node): ts.ClassLikeDeclaration | null {
  for (let p = n.parent; p; p = p.parent) if (ts.isClassLike(p)) return p;
  return null;
}

function indentOf(text: string, pos: number): string {
  const lineStart = text.lastIndexOf('\n', pos - 1) + 1;
  return /^[ \t]*/.exec(text.slice(lineStart))![0];
}

/** Offset right after a statement and any comment that trails it on the same line. */
function afterStatement(stmt: ts.Statement, text: string): number {
  // Leading-semicolon style (`foo()\n;[a].forEach…`): the `;` belongs to the next line; insert before it.
  if (text.charAt(stmt.end - 1) === ';') {
    let k = stmt.end - 1;
    while (k > stmt.pos && /\s/.test(text.charAt(k - 1))) k--;
    if (text.slice(k, stmt.end - 1).includes('\n')) return k;
  }
  let end = stmt.end;
  for (const c of ts.getTrailingCommentRanges(text, end) ?? []) {
    if (text.slice(end, c.pos).includes('\n')) break;
    end = c.end;
  }
  return end;
}

function canInsertAfter(stmt: ts.Node): stmt is ts.Statement {
  const p = stmt.parent;
  return !!p && (ts.isBlock(p) || ts.isSourceFile(p) || ts.isCaseClause(p) || ts.isDefaultClause(p) || ts.isModuleBlock(p));
}

/** The outermost expression that still denotes the socket: `net.connect(o).on(...).setNoDelay()`. */
function chainTop(node: ts.Expression): ts.Expression {
  let n: ts.Expression = node;
  for (;;) {
    const p = n.parent;
    if (p && ts.isParenthesizedExpression(p)) {
      n = p;
      continue;
    }
    if (p && (ts.isPropertyAccessExpression(p)) && p.expression === n) {
      const call = p.parent;
      const m = accessedName(p);
      if (call && ts.isCallExpression(call) && call.expression === p && m !== null && isChainableSocketMethod(m) && m !== 'listen') {
        n = call;
        continue;
      }
    }
    return n;
  }
}

interface Holder {
  /** Text naming the socket after the statement (`socket`, `this.socket`). */
  name: string;
  stmt: ts.Statement;
}

function holderOf(top: ts.Expression, project?: FileIndex): Holder | null {
  const p = top.parent;
  if (p && ts.isVariableDeclaration(p) && p.initializer === top && ts.isIdentifier(p.name)) {
    const stmt = p.parent?.parent;
    if (stmt && ts.isVariableStatement(stmt) && canInsertAfter(stmt) && socketTyped(p.type)) return { name: p.name.text, stmt };
  }
  if (p && ts.isBinaryExpression(p) && p.operatorToken.kind === ts.SyntaxKind.EqualsToken && p.right === top) {
    const stmt = p.parent;
    const left = skipOuterExpressions(p.left);
    if (stmt && ts.isExpressionStatement(stmt) && canInsertAfter(stmt) && (ts.isIdentifier(left) || ts.isPropertyAccessExpression(left)) && socketTyped(declaredTypeOf(left, project))) return { name: left.getText(), stmt };
  }
  return null;
}

/**
 * Can `x.setKeepAlive(…)` be written on a holder with this declared type? No annotation (JS,
 * inference) or one naming a Socket: yes. A wider type (`Duplex`, `NodeJS.ReadWriteStream`) would
 * reject the call in TS, so the rewrite chains onto the call instead (the chain returns the socket).
 */
function socketTyped(type: ts.TypeNode | undefined): boolean {
  return !type || /\bSocket\b|\bTLSSocket\b/.test(type.getText());
}

/** The annotation of the variable or class field an assignment target names, when visible. */
function declaredTypeOf(left: ts.Expression, project?: FileIndex): ts.TypeNode | undefined {
  if (ts.isIdentifier(left)) {
    const d = project?.declarationOf(left);
    return d && ts.isVariableDeclaration(d) ? d.type : undefined;
  }
  if (ts.isPropertyAccessExpression(left) && left.expression.kind === ts.SyntaxKind.ThisKeyword) {
    for (let n: ts.Node | undefined = left.parent; n; n = n.parent) {
      if (!ts.isClassLike(n)) continue;
      const field = n.members.find((m): m is ts.PropertyDeclaration => ts.isPropertyDeclaration(m) && m.name.getText() === left.name.getText());
      return field?.type;
    }
  }
  return undefined;
}

/**
 * The fix of one flagged site, as new data (the site is not touched). `fixOf` gives the fix already
 * planned for another site: a TLS socket over a flagged socket reuses that socket's fix.
 */
export function planFix(a: AnalyzedSite, options: KeepaliveOptions, project: FileIndex, styleOf: (sf: ts.SourceFile) => FileStyle, fixOf: (other: AnalyzedSite) => SiteFix | null = () => null): SiteFix | null {
  if (!isFlagged(a.site)) return null;
  const c = a.candidate;
  const sf = c.ctx.sf;
  const text = sf.text;
  const style = styleOf(sf);
  const delay = options.initialDelayMs;
  const semi = style.semicolons ? ';' : '';
  const q = style.quote;
  const edits: Edit[] = [];
  const wantErrorListener = a.site.errorHandler === 'no';
  const report = wantErrorListener ? errorReporter(c.node, project) : 'console.error';
  // An ES5-only file gets `function` listeners; `report` is then never `this.…` (that needs a class).
  const listenerFn = (param: string, body: string) => (style.arrows ? `(${param}) => ${body}` : `function (${param}) { ${body}${semi} }`);
  const errorListenerArgs = `${q}${ERROR_EVENT}${q}, ${listenerFn('err', `${report}(err)`)}`;
  const args = siteArguments(c);
  const gateOk = c.api.keepAliveOption === 'honoured' && (!c.api.keepAliveSince || availableOn(c.api.keepAliveSince, a.minNode));
  let description: string;

  const firstArg = args[0] ? skipOuterExpressions(args[0]) : undefined;
  const literal = firstArg && ts.isObjectLiteralExpression(firstArg) ? firstArg : null;
  if (literal && literal.properties.some((p) => isKeepAliveOption(p) && ts.isPropertyAssignment(p) && booleanLiteral(p.initializer) === false)) {
    return null; // keepAlive: false written on purpose: leave the decision to people
  }

  if ((c.api.role === 'client' || c.api.role === 'server') && gateOk && literal) {
    edits.push(...addOptionsEdit(literal, text, delay, style));
    description = `add keepAlive: true, keepAliveInitialDelay: ${delay} to the ${c.api.label} options`;
    if (wantErrorListener && c.api.role === 'client') {
      const top = chainTop(c.node);
      const holder = holderOf(top, project);
      if (holder) {
        const at = afterStatement(holder.stmt, text);
        edits.push({ start: at, end: at, text: `${lineBreak(text, at, holder.stmt, style)}${holder.name}.on(${errorListenerArgs})${semi}${asiGuard(text, at, semi)}` });
      } else edits.push({ start: top.end, end: top.end, text: `.on(${errorListenerArgs})` });
    }
  } else if (c.api.role === 'server' && gateOk && c.api.label !== CONNECTION_LISTENER_LABEL && (!firstArg || isFunctionLike(firstArg) || (args.length === 1 && namesFunction(firstArg, project)))) {
    const own = c.node.arguments;
    if (!own) return null;
    const options = `{ ${KEEPALIVE_OPTION}: true, ${KEEPALIVE_DELAY_OPTION}: ${delay} }`;
    // `net.Server.call(this)`: the options go after `this`.
    const after = args.length === 0 && own.length > 0 ? own[own.length - 1]!.end : -1;
    const open = after >= 0 ? after : args.length ? args[0]!.getStart(sf) : own.pos;
    edits.push({ start: open, end: open, text: after >= 0 ? `, ${options}` : `${options}${args.length ? ', ' : ''}` });
    description = `pass { keepAlive: true, keepAliveInitialDelay: ${delay} } to ${c.api.label}`;
  } else if (c.api.role === 'server' && gateOk && c.api.label !== CONNECTION_LISTENER_LABEL && firstArg && isOptionsLike(firstArg) && (args.length > 1 || isObjectLike(firstArg, project))) {
    // Options held elsewhere (a parameter, a variable): spread them into a literal, never mutate them.
    const at = args[0]!;
    edits.push({ start: at.getStart(sf), end: at.getStart(sf), text: '{ ...' });
    edits.push({ start: at.end, end: at.end, text: `, ${KEEPALIVE_OPTION}: true, ${KEEPALIVE_DELAY_OPTION}: ${delay} }` });
    description = `pass keepAlive: true, keepAliveInitialDelay: ${delay} along with the ${c.api.label} options`;
  } else if (c.api.role === 'server') {
    const inline = a.listeners.find((l) => !l.only && l.param && ts.isIdentifier(l.param.name) && l.fn.body && ts.isBlock(l.fn.body) && l.fn.getSourceFile() === sf);
    if (inline) {
      const body = inline.fn.body as ts.Block;
      const name = (inline.param!.name as ts.Identifier).text;
      const lines = [`${name}.${SET_KEEPALIVE}(true, ${delay})${semi}`];
      if (wantErrorListener && inline.flow.errorListeners.length === 0) lines.push(`${name}.on(${errorListenerArgs})${semi}`);
      edits.push(blockStartEdit(body, lines, style));
      description = `call ${name}.setKeepAlive(true, ${delay}) on every accepted socket in the connection listener`;
    } else {
      if (c.api.label === CONNECTION_LISTENER_LABEL) return null;
      const top = chainTop(c.node);
      // A server subclass's super(…) / net.Server.call(this, …) returns no server: the instance is `this`.
      const stmt = top.parent;
      const holder = c.subclass ? (stmt && ts.isExpressionStatement(stmt) && canInsertAfter(stmt) ? { name: 'this', stmt } : null) : holderOf(top, project);
      if (c.subclass && !holder) return null;
      // @types/node types an http(s) server's 'connection' socket as a Duplex: name its real type in TS.
      const isTs = /\.(ts|tsx|mts|cts)$/i.test(sf.fileName);
      const param = isTs && (c.api.module === 'http' || c.api.module === 'https') ? `socket: import(${q}${SOCKET_TYPE.module}${q}).${SOCKET_TYPE.name}` : 'socket';
      const listener = `${q}${CONNECTION_EVENTS[0]}${q}, ${listenerFn(param, `socket.${SET_KEEPALIVE}(true, ${delay})`)}`;
      if (holder) {
        const at = afterStatement(holder.stmt, text);
        edits.push({ start: at, end: at, text: `${lineBreak(text, at, holder.stmt, style)}${holder.name}.on(${listener})${semi}${asiGuard(text, at, semi)}` });
      } else edits.push({ start: top.end, end: top.end, text: `.on(${listener})` });
      description = `set keepalive on every accepted socket from a 'connection' listener`;
    }
  } else {
    const underFix = a.underlying ? fixOf(a.underlying) : null;
    if (underFix && isFlagged(a.underlying!.site)) {
      return { ...underFix, description: `${underFix.description} (the socket this TLS socket wraps)` };
    }
    let top = chainTop(c.node);
    if (ts.isNewExpression(top) && !top.arguments) {
      edits.push({ start: top.end, end: top.end, text: '()' });
    }
    const holder = holderOf(top, project);
    if (holder) {
      const at = afterStatement(holder.stmt, text);
      const indent = lineBreak(text, at, holder.stmt, style);
      // Before v16.15 / v17.7 setKeepAlive on a socket not yet connected was dropped: wait for 'connect'.
      const early = c.api.role === 'socket' && c.api.keepAliveSince && !availableOn(c.api.keepAliveSince, a.minNode);
      const call = `${holder.name}.${SET_KEEPALIVE}(true, ${delay})`;
      // In a `function` listener `this` is the socket that emits 'connect' (the holder may be `this.x`).
      const onConnect = style.arrows ? `() => ${call}` : `function () { this.${SET_KEEPALIVE}(true, ${delay})${semi} }`;
      let insert = `${indent}${early ? `${holder.name}.once(${q}${CONNECT_EVENT}${q}, ${onConnect})` : call}${semi}`;
      if (wantErrorListener) insert += `${indent}${holder.name}.on(${errorListenerArgs})${semi}`;
      edits.push({ start: at, end: at, text: insert + asiGuard(text, at, semi) });
      description = `call ${holder.name}.setKeepAlive(true, ${delay}) right after the socket is created`;
    } else {
      top = chainTop(c.node);
      let insert = `.${SET_KEEPALIVE}(true, ${delay})`;
      if (wantErrorListener) insert += `.on(${errorListenerArgs})`;
      edits.push({ start: top.end, end: top.end, text: insert });
      description = `chain .setKeepAlive(true, ${delay}) on the ${c.api.label} call`;
    }
  }
  if (wantErrorListener && c.api.role === 'server' && !edits.some((e) => e.text.includes(`${q}${ERROR_EVENT}${q}`))) {
    // Accepted sockets without an 'error' listener: add one at the top of the connection listener.
    const inline = a.listeners.find((l) => !l.only && l.param && ts.isIdentifier(l.param.name) && l.fn.body && ts.isBlock(l.fn.body) && l.fn.getSourceFile() === sf && l.flow.errorListeners.length === 0);
    if (inline) {
      const body = inline.fn.body as ts.Block;
      const name = (inline.param!.name as ts.Identifier).text;
      edits.push(blockStartEdit(body, [`${name}.on(${errorListenerArgs})${semi}`], style));
    } else {
      // An expression-bodied listener, `(conn) => conn.pipe(conn)`: give it a block that adds the listener, then returns the expression.
      const arrow = a.listeners.find((l) => !l.only && l.param && ts.isIdentifier(l.param.name) && l.fn.body && !ts.isBlock(l.fn.body) && l.fn.getSourceFile() === sf && l.flow.errorListeners.length === 0);
      if (arrow) {
        const body = arrow.fn.body as ts.Expression;
        const name = (arrow.param!.name as ts.Identifier).text;
        edits.push({ start: body.getStart(sf), end: body.getStart(sf), text: `{ ${name}.on(${errorListenerArgs}); return ` });
        edits.push({ start: body.end, end: body.end, text: '; }' });
      }
    }
  }
  const addsErrorListener = wantErrorListener && edits.some((e) => e.text.includes(`${q}${ERROR_EVENT}${q}`));
  if (addsErrorListener) description += ` and add an '${ERROR_EVENT}' listener`;
  // An added 'error' listener changes what an error does (a crash becomes a log line): see FixKind.
  return { description, path: c.ctx.path, unit: 'utf16', edits, kind: addsErrorListener ? 'unsafe' : 'safe', addsErrorListener };
}

/** Adds `keepAlive: true, keepAliveInitialDelay: N` to an object literal, in its own layout. */
function addOptionsEdit(literal: ts.ObjectLiteralExpression, text: string, delay: number, style: FileStyle): Edit[] {
  const sf = literal.getSourceFile();
  const props = literal.properties;
  const hasDelay = props.some((p) => optionName(p) === KEEPALIVE_DELAY_OPTION);
  const hasKeepAlive = props.some(isKeepAliveOption);
  const parts = [...(hasKeepAlive ? [] : [`${KEEPALIVE_OPTION}: true`]), ...(hasDelay ? [] : [`${KEEPALIVE_DELAY_OPTION}: ${delay}`])];
  const open = literal.getStart(sf);
  const close = literal.end - 1;
  if (props.length === 0) {
    return [{ start: open + 1, end: close, text: ` ${parts.join(', ')} ` }];
  }
  const last = props[props.length - 1]!;
  const multiline = text.slice(open, close).includes('\n');
  const trailingComma = props.hasTrailingComma;
  if (multiline) {
    const indent = indentOf(text, last.getStart(sf));
    // New lines go after any comment that ends the last property's line, so the comment stays with it.
    if (trailingComma) {
      const comma = text.indexOf(',', last.end);
      const at = afterSameLineComments(text, comma + 1);
      return [{ start: at, end: at, text: parts.map((p) => `${style.eol}${indent}${p},`).join('') }];
    }
    const at = afterSameLineComments(text, last.end);
    const lines = parts.map((p) => `${style.eol}${indent}${p}`).join(',');
    return at === last.end ? [{ start: at, end: at, text: ',' + lines }] : [{ start: last.end, end: last.end, text: ',' }, { start: at, end: at, text: lines }];
  }
  if (trailingComma) {
    const comma = text.indexOf(',', last.end);
    return [{ start: comma + 1, end: comma + 1, text: ` ${parts.join(', ')},` }];
  }
  return [{ start: last.end, end: last.end, text: `, ${parts.join(', ')}` }];
}

/**
 * Without semicolons, a line that starts with ( [ ` + - / continues the previous statement: end the
 * inserted statement with a semicolon then, so the following code keeps its meaning.
 */
function asiGuard(text: string, at: number, semi: string): string {
  if (semi) return '';
  const rest = text.slice(at).replace(/^(?:\s|\/\/[^\n]*|\/\*[\s\S]*?\*\/)*/, '');
  return /^[([`+\-/]/.test(rest) ? ';' : '';
}

/**
 * What goes before a statement inserted at `at` after `stmt`: a line break and the statement's
 * indentation, or a space when more code follows on the same line (`{ const s = …; s.on(…) }`).
 */
function lineBreak(text: string, at: number, stmt: ts.Statement, style: FileStyle): string {
  const eol = text.indexOf('\n', at);
  const rest = text.slice(at, eol === -1 ? text.length : eol);
  if (rest.trim() !== '') return ' ';
  return `${style.eol}${indentOf(text, stmt.getStart(stmt.getSourceFile()))}`;
}

/** Inserts statements at the top of a block, on their own lines — or inline when the block is on one line. */
function blockStartEdit(body: ts.Block, lines: readonly string[], style: FileStyle): Edit {
  const sf = body.getSourceFile();
  const text = sf.text;
  const open = body.getStart(sf) + 1;
  const first = body.statements[0];
  const oneLine = first ? !text.slice(open, first.getStart(sf)).includes('\n') : !text.slice(open, body.end).includes('\n');
  if (oneLine) return { start: open, end: open, text: lines.map((l) => ` ${l}`).join('') };
  const indent = first ? indentOf(text, first.getStart(sf)) : indentOf(text, body.getStart(sf)) + style.indentUnit;
  return { start: open, end: open, text: lines.map((l) => `${style.eol}${indent}${l}`).join('') };
}

/** Offset after the comments that follow `pos` on the same line (block comments may be several). */
function afterSameLineComments(text: string, pos: number): number {
  let end = pos;
  for (const c of ts.getTrailingCommentRanges(text, pos) ?? []) {
    if (text.slice(end, c.pos).includes('\n')) break;
    end = c.end;
  }
  return end;
}

/** An options argument that is not a literal or a function: an identifier, a property, a call result. */
function isOptionsLike(e: ts.Expression): boolean {
  return ts.isIdentifier(e) || ts.isPropertyAccessExpression(e) || ts.isElementAccessExpression(e) || ts.isCallExpression(e);
}

/** Does the expression name a function (a declaration, a function-valued variable, a method)? */
function namesFunction(e: ts.Expression, project: FileIndex): boolean {
  if (ts.isIdentifier(e)) {
    const d = project.declarationOf(e);
    if (d && ts.isFunctionDeclaration(d)) return true;
    if (d && ts.isVariableDeclaration(d) && d.initializer && isFunctionLike(skipOuterExpressions(d.initializer))) return true;
    return false;
  }
  if (ts.isPropertyAccessExpression(e)) return project.functionsNamed(e.name.text, e).length > 0;
  return false;
}
