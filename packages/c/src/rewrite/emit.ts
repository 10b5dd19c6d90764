import type { KeepaliveOptions } from '@ka-codemod/core';
import type { Creation } from './creation.js';
import type { BranchLine, FittedBranch } from './error-path.js';
import { KEEPALIVE_OPERATION, TOGGLE_ENV } from '../libc.js';
import type { CodeStyle } from './style.js';
import { hasWord, reindent } from '../text.js';

/** Everything that shapes the generated text besides the site itself. */
export interface EmitContext {
  style: CodeStyle;
  options: KeepaliveOptions;
  /** `< 0`, `== -1` or `== SOCKET_ERROR`: how this file tests socket calls for failure. */
  failTest: string;
  /** `fd >= 0`-style test for an fd nobody checked, built by {@link validTest}. */
  invalid: '-1' | 'INVALID_SOCKET' | null;
  /** The close call the file uses on sockets. */
  closeCall: string;
}

type Body = (indent: string) => string[];

/** An `if` in the file's brace style; `braceless` copies a model that had none (one statement only). */
export function ifStatement(cond: string, body: Body, indent: string, style: CodeStyle, braceless = false): string[] {
  const head = `${indent}if${style.ifSpace}(${cond})`;
  if (braceless) return [head, ...body(indent + style.unit)];
  if (style.braces === 'kr') return [`${head} {`, ...body(indent + style.unit), `${indent}}`];
  if (style.braces === 'allman') return [head, `${indent}{`, ...body(indent + style.unit), `${indent}}`];
  const b = indent + style.braceOffset;
  return [head, `${b}{`, ...body(b + style.unit), `${b}}`];
}

/** A bare block: C89 lets declarations open only a block. */
export function bareBlock(body: Body, indent: string, style: CodeStyle): string[] {
  return [`${indent}{`, ...body(indent + style.unit), `${indent}}`];
}

export function validTest(fd: string, ctx: EmitContext): string {
  if (ctx.invalid) return `${fd} != ${ctx.invalid}`;
  return `${fd} >= 0`;
}

function lines(list: readonly BranchLine[]): Body {
  return (indent) => list.flatMap((l) => reindent(l.text, l.from, indent));
}

/** What the branch of the new call does under --on-error. */
function chosen(branch: FittedBranch, ctx: EmitContext): BranchLine[] {
  if (ctx.options.onError === 'ignore') return [];
  if (ctx.options.onError === 'log') {
    return branch.logging.length ? branch.logging : [{ text: `perror${ctx.style.callSpace}("${KEEPALIVE_OPERATION}");`, from: '' }];
  }
  return branch.statements;
}

/** `if (<call> < 0) { <branch> }`, or `(void)<call>;` when failures are ignored. */
function checked(call: string, branch: FittedBranch, indent: string, ctx: EmitContext, guard: string | null): string[] {
  const body = chosen(branch, ctx);
  if (body.length === 0) {
    if (guard) return ifStatement(guard, (i) => [`${i}(void)${call};`], indent, ctx.style, true);
    return [`${indent}(void)${call};`];
  }
  const cond = `${guard ? `${guard} && ` : ''}${call} ${ctx.failTest}`;
  return ifStatement(cond, lines(body), indent, ctx.style, branch.braceless && body.length === 1);
}

export function optval(name: string, style: CodeStyle): string {
  return style.windows ? `(const char *)&${name}` : `&${name}`;
}

/** A name for the option variable that shadows nothing the copied code reads. */
export function optName(fnText: string): string {
  return hasWord(fnText, 'on') ? 'keepalive_on' : 'on';
}

/** The inline form for a file with one site (HOWTO 4.2's snippet in the file's own style). */
export function inlineBlock(c: Creation, branch: FittedBranch, ctx: EmitContext): string[] {
  const on = optName(c.fn.text);
  const call = `setsockopt${ctx.style.callSpace}(${c.fd}, SOL_SOCKET, SO_KEEPALIVE, ${optval(on, ctx.style)}, sizeof ${on})`;
  const body: Body = (i) => [`${i}int ${on} = 1;`, '', ...checked(call, branch, i, ctx, null)];
  if (!c.checked) return ifStatement(validTest(c.fd, ctx), body, c.indent, ctx.style);
  return bareBlock(body, c.indent, ctx.style);
}

/** The call of a keepalive helper (the project's own, or the one added to the file). */
export function helperCall(c: Creation, helper: string, returns: 'int' | 'void' | 'unknown', branch: FittedBranch, ctx: EmitContext): string[] {
  const guard = c.checked ? null : validTest(c.fd, ctx);
  const call = `${helper}${ctx.style.callSpace}(${c.fd})`;
  if (returns !== 'int') {
    if (guard) return ifStatement(guard, (i) => [`${i}${call};`], c.indent, ctx.style, true);
    return [`${c.indent}${call};`];
  }
  return checked(call, branch, c.indent, { ...ctx, failTest: '< 0' }, guard);
}

interface Tuning {
  option: string;
  /** macOS spells TCP_KEEPIDLE as TCP_KEEPALIVE. */
  fallback?: string;
  variable: string;
  type: string;
  value: number | undefined;
  env?: string;
}

export function tunings(o: KeepaliveOptions): Tuning[] {
  const env = o.toggle === 'env';
  const all: Tuning[] = [
    { option: 'TCP_KEEPIDLE', fallback: 'TCP_KEEPALIVE', variable: 'idle', type: 'int', value: o.idleSeconds, env: TOGGLE_ENV.idle },
    { option: 'TCP_KEEPINTVL', variable: 'interval', type: 'int', value: o.intervalSeconds, env: TOGGLE_ENV.interval },
    { option: 'TCP_KEEPCNT', variable: 'count', type: 'int', value: o.count, env: TOGGLE_ENV.count },
    { option: 'TCP_USER_TIMEOUT', variable: 'timeout', type: 'unsigned int', value: o.userTimeoutMs },
  ];
  return all.filter((t) => t.value !== undefined || (env && t.env));
}

/** Whether the inserted code needs the per-file helper even for one site (tuning and the env switch are long). */
export function needsHelper(o: KeepaliveOptions): boolean {
  return o.toggle === 'env' || tunings(o).length > 0;
}

/**
 * The per-file `static` helper: SO_KEEPALIVE, then each tuning option under its own #ifdef.
 * `fatalTuning` is false when some site's family is only known at run time (AF_UNIX rejects TCP_KEEPIDLE).
 */
export function helperDefinition(name: string, fdType: string, fatalTuning: boolean, ctx: EmitContext): string[] {
  const { style, options } = ctx;
  const u = style.unit;
  const env = options.toggle === 'env';
  const test = style.windows && ctx.failTest === '== SOCKET_ERROR' ? '== SOCKET_ERROR' : ctx.failTest;
  const out: string[] = [];
  out.push('/*');
  out.push(' * Added by ka-codemod: turn on TCP keepalive so a dead peer or a silently dropped');
  out.push(' * connection is noticed (TCP Keepalive HOWTO, section 4). Returns 0, or -1 with errno set.');
  if (env) out.push(` * ${TOGGLE_ENV.off}=off disables it; ${TOGGLE_ENV.idle}, ${TOGGLE_ENV.interval} and ${TOGGLE_ENV.count} override the timing.`);
  out.push(' */');
  if (style.returnTypeOwnLine) out.push('static int', `${name}(${fdType} fd)`);
  else out.push(`static int ${name}(${fdType} fd)${style.functionBraceOwnLine ? '' : ' {'}`);
  if (style.returnTypeOwnLine || style.functionBraceOwnLine) out.push('{');
  if (env) out.push(`${u}const char *env = getenv("${TOGGLE_ENV.off}");`);
  out.push(`${u}int on = 1;`, '');
  if (env) out.push(...ifStatement(`env != NULL && strcmp(env, "off") == 0`, (i) => [`${i}return 0;`], u, style, true));
  out.push(...ifStatement(`setsockopt(fd, SOL_SOCKET, SO_KEEPALIVE, ${optval('on', style)}, sizeof on) ${test}`, (i) => [`${i}return -1;`], u, style, true));
  for (const t of tunings(options)) {
    const body = (i: string, option: string): string[] => {
      const call = `setsockopt(fd, IPPROTO_TCP, ${option}, ${optval(t.variable, style)}, sizeof ${t.variable})`;
      const useEnv = env && t.env !== undefined;
      const init = useEnv ? `env != NULL ? atoi(env) : ${t.value ?? 0}` : `${t.value}`;
      const decl = [`${i}${t.type} ${t.variable} = ${init};`, ''];
      // With the env switch and no default, the option is only set when the variable is.
      const guard = useEnv && t.value === undefined ? `${t.variable} > 0` : null;
      const stmt = fatalTuning
        ? ifStatement(`${guard ? `${guard} && ` : ''}${call} ${test}`, (j) => [`${j}return -1;`], i, style, true)
        : guard
          ? ifStatement(guard, (j) => [`${j}(void)${call};`], i, style, true)
          : [`${i}(void)${call};`];
      return [...(useEnv ? [] : []), ...decl, ...stmt];
    };
    const block = (option: string): string[] => [
      ...(env && t.env ? [`${u}env = getenv("${t.env}");`] : []),
      ...bareBlock((i) => body(i, option), u, style),
    ];
    out.push(`#ifdef ${t.option}`, ...block(t.option));
    if (t.fallback) out.push(`#elif defined(${t.fallback})`, ...block(t.fallback));
    out.push('#endif');
  }
  out.push(`${u}return 0;`, '}');
  if (!style.callSpace) return out;
  // GNU style puts a space before every argument list.
  return out.map((l) => (l.startsWith(' *') || l.startsWith('/*') ? l : l.replace(/\b(setsockopt|getenv|strcmp|atoi|sizeof|[a-z_]+keepalive)\(/g, `$1${style.callSpace}(`)));
}

/**
 * `return socket(...);` becomes a block: the fd gets a name, keepalive, and is returned. The
 * failure branch is the function's own contract: close and return the invalid value.
 */
export function returnedBlock(c: Creation, enable: ((i: string) => string[]) | null, ctx: EmitContext): string[] {
  const r = c.returned!;
  const on = optName(c.fn.text);
  const u = ctx.style.unit;
  return bareBlock(
    (i) => [
      `${i}${r.type} ${c.fd} = ${r.expr};`,
      ...(enable ? [] : [`${i}int ${on} = 1;`]),
      '',
      ...(enable ? enable(i) : checkedInline(c, on, i, ctx)),
      `${i}return ${c.fd};`,
    ],
    c.indent,
    { ...ctx.style, unit: u },
  );
}

function checkedInline(c: Creation, on: string, indent: string, ctx: EmitContext): string[] {
  const call = `setsockopt${ctx.style.callSpace}(${c.fd}, SOL_SOCKET, SO_KEEPALIVE, ${optval(on, ctx.style)}, sizeof ${on})`;
  return checked(call, returnedBranch(c, ctx), indent, ctx, validTest(c.fd, ctx));
}

/** The branch for a returned fd: close it and return the invalid value, as the function's callers expect. */
export function returnedBranch(c: Creation, ctx: EmitContext): FittedBranch {
  const invalid = ctx.invalid === 'INVALID_SOCKET' ? 'INVALID_SOCKET' : '-1';
  const log: BranchLine[] = [];
  return {
    statements: [...log, { text: `${ctx.closeCall}${ctx.style.callSpace}(${c.fd});`, from: '' }, { text: `return ${invalid};`, from: '' }],
    logging: log,
    braceless: false,
    model: 'close and return the invalid fd (the function returns it)',
  };
}
