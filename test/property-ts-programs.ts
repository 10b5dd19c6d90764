/**
 * fast-check generators of small TS/JS modules that create sockets in many shapes: net.connect /
 * net.createConnection with arguments or an options object, new net.Socket().connect, servers with
 * a handler, with options, or with a 'connection' listener, tls.connect, UNIX-socket paths (not
 * TCP), sockets that already have keepalive; at top level, returned from a function or stored in a
 * class field; with or without an 'error' listener; through default, namespace, named or require
 * imports; with different engines.node ranges; nested and overlapping shapes (a proxy server whose
 * listener creates a client, several sockets declared in one statement, a client in a client's
 * callback). Each snippet knows what the analysis should say.
 */
import fc from 'fast-check';

export type Tcp = 'yes' | 'no' | 'maybe';
export type ImportStyle = 'default' | 'namespace' | 'named' | 'require';

export interface TsSnippet {
  /** Renders with the local names of the net and tls bindings (named imports: null). */
  render: (ids: Ids, n: number, ts: boolean) => string;
  sites: { call: string; tcp: Tcp }[];
  keepalive: boolean;
  /** The keepalive comes from the keepAlive option, which Node honours only since v16.15 / v17.7. */
  keepaliveByOption?: boolean;
  usesTls: boolean;
}

export interface TsProgram {
  fileName: string;
  text: string;
  /** engines.node for a package.json beside the file, or null for none. */
  nodeRange: string | null;
  snippets: TsSnippet[];
}

interface Ids {
  /** Expression for a member of node:net, e.g. `net.connect` or `connect`. */
  net: (member: 'connect' | 'createConnection' | 'createServer' | 'Socket') => string;
  tls: (member: 'connect') => string;
}

type Placement = 'top' | 'function' | 'class';

const host = fc.constantFrom("'db.internal'", "'127.0.0.1'", 'process.env.HOST');
const port = fc.constantFrom('5432', '6379', 'Number(process.env.PORT)');

/** Wraps a client-socket expression where it lives; `errorListener` adds `.on('error', ...)`. */
function place(expr: string, where: Placement, errorListener: boolean, n: number, ts: boolean): string {
  const onError = (v: string) => (errorListener ? `${v}.on('error', (err) => console.error('socket', err));\n` : '');
  switch (where) {
    case 'top':
      return `export const socket${n} = ${expr};\n${onError(`socket${n}`)}`;
    case 'function':
      return `export function open${n}() {\n  const s = ${expr};\n  ${onError('s')}  return s;\n}\n`;
    case 'class':
      return `export class Client${n} {\n  ${ts ? 'sock: any;\n  ' : ''}open() {\n    this.sock = ${expr};\n    ${onError('this.sock')}  }\n}\n`;
  }
}

const placement = fc.constantFrom<Placement>('top', 'function', 'class');

const connectArgs = fc
  .record({ member: fc.constantFrom('connect', 'createConnection' as const), where: placement, onError: fc.boolean(), host, port, withHost: fc.boolean() })
  .map(({ member, where, onError, host: h, port: p, withHost }): TsSnippet => ({
    render: (ids, n, ts) => place(`${ids.net(member)}(${p}${withHost ? `, ${h}` : ''})`, where, onError, n, ts),
    sites: [{ call: `net.${member}`, tcp: 'yes' }],
    keepalive: false,
    usesTls: false,
  }));

const connectOptions = fc
  .record({ member: fc.constantFrom('connect', 'createConnection' as const), where: placement, onError: fc.boolean(), host, port, extra: fc.constantFrom('', ' timeout: 5000,', ' noDelay: true,') })
  .map(({ member, where, onError, host: h, port: p, extra }): TsSnippet => ({
    render: (ids, n, ts) => place(`${ids.net(member)}({ host: ${h}, port: ${p},${extra} })`, where, onError, n, ts),
    sites: [{ call: `net.${member}`, tcp: 'yes' }],
    keepalive: false,
    usesTls: false,
  }));

const newSocket = fc.record({ onError: fc.boolean(), host, port }).map(({ onError, host: h, port: p }): TsSnippet => ({
  render: (ids, n) =>
    `export function dial${n}() {\n  const sock = new ${ids.net('Socket')}();\n  ${onError ? "sock.on('error', () => sock.destroy());\n  " : ''}sock.connect(${p}, ${h});\n  return sock;\n}\n`,
  sites: [{ call: 'new net.Socket', tcp: 'yes' }],
  keepalive: false,
  usesTls: false,
}));

const serverHandler = fc
  .record({ arrowBody: fc.constantFrom('block', 'expression', 'function'), options: fc.boolean(), inFunction: fc.boolean(), port })
  .map(({ arrowBody, options, inFunction, port: p }): TsSnippet => {
    const handler =
      arrowBody === 'block' ? '(conn) => {\n    conn.end();\n  }' : arrowBody === 'expression' ? '(conn) => conn.pipe(conn)' : 'function (conn) {\n    conn.end();\n  }';
    return {
      render: (ids, n) => {
        const create = `${ids.net('createServer')}(${options ? '{ pauseOnConnect: false }, ' : ''}${handler})`;
        return inFunction
          ? `export function serve${n}() {\n  const server = ${create};\n  server.listen(${p});\n  return server;\n}\n`
          : `export const server${n} = ${create};\nserver${n}.listen(${p});\n`;
      },
      sites: [{ call: 'net.createServer', tcp: 'yes' }],
      keepalive: false,
      usesTls: false,
    };
  });

const connectionListener = fc.record({ port, onError: fc.boolean() }).map(({ port: p, onError }): TsSnippet => ({
  render: (ids, n) =>
    `const srv${n} = ${ids.net('createServer')}();\nsrv${n}.on('connection', (conn) => {\n  ${onError ? "conn.on('error', () => conn.destroy());\n  " : ''}conn.write('hello');\n});\nsrv${n}.listen(${p});\n`,
  sites: [{ call: 'net.createServer', tcp: 'yes' }],
  keepalive: false,
  usesTls: false,
}));

const tlsConnect = fc.record({ where: placement, onError: fc.boolean(), host }).map(({ where, onError, host: h }): TsSnippet => ({
  render: (ids, n, ts) => place(`${ids.tls('connect')}({ host: ${h}, port: 443, servername: 'db.internal' })`, where, onError, n, ts),
  sites: [{ call: 'tls.connect', tcp: 'yes' }],
  keepalive: false,
  usesTls: true,
}));

const unixPath = fc
  .record({ where: placement, form: fc.constantFrom('options', 'string') })
  .map(({ where, form }): TsSnippet => ({
    render: (ids, n, ts) => place(`${ids.net('connect')}(${form === 'options' ? "{ path: '/run/app.sock' }" : "'/run/app.sock'"})`, where, true, n, ts),
    sites: [{ call: 'net.connect', tcp: 'no' }],
    keepalive: false,
    usesTls: false,
  }));

const alreadyKeepalive = fc
  .record({ form: fc.constantFrom('options', 'setKeepAlive'), where: fc.constantFrom<Placement>('top', 'function'), port })
  .map(({ form, where, port: p }): TsSnippet => ({
    render: (ids, n, ts) =>
      form === 'options'
        ? place(`${ids.net('connect')}({ port: ${p}, keepAlive: true, keepAliveInitialDelay: 30000 })`, where, true, n, ts)
        : `export function keep${n}() {\n  const s = ${ids.net('connect')}(${p});\n  s.setKeepAlive(true, 30000);\n  s.on('error', () => s.destroy());\n  return s;\n}\n`,
    sites: [{ call: 'net.connect', tcp: 'yes' }],
    keepalive: true,
    keepaliveByOption: form === 'options',
    usesTls: false,
  }));

/*
 * Nested and overlapping shapes: sites whose fixes touch the same text (a wrapped expression-bodied
 * listener and the client it returns, two declarators of one statement, a client in a client's
 * callback). One fix run must fix them all.
 */
type ClientForm = 'args' | 'options';
const clientForm = fc.constantFrom<ClientForm>('args', 'options');
const innerClient = (ids: Ids, form: ClientForm, p: string, h: string) =>
  form === 'args' ? `${ids.net('connect')}(${p}, ${h})` : `${ids.net('createConnection')}({ host: ${h}, port: ${p} })`;
const innerSite = (form: ClientForm) => ({ call: form === 'args' ? 'net.connect' : 'net.createConnection', tcp: 'yes' as const });

const proxyServer = fc
  .record({ body: fc.constantFrom('returns', 'void', 'piped', 'block'), form: clientForm, viaListener: fc.boolean(), host, port })
  .map(({ body, form, viaListener, host: h, port: p }): TsSnippet => ({
    render: (ids, n) => {
      const client = innerClient(ids, form, p, h);
      const listener =
        body === 'returns' ? `(conn) => ${client}`
        : body === 'void' ? `(conn) => void ${client}`
        : body === 'piped' ? `(conn) => conn.pipe(${client}).pipe(conn)`
        : `(conn) => {\n  const upstream = ${client};\n  conn.pipe(upstream).pipe(conn);\n}`;
      return viaListener
        ? `export const proxy${n} = ${ids.net('createServer')}();\nproxy${n}.on('connection', ${listener});\nproxy${n}.listen(${p});\n`
        : `export const proxy${n} = ${ids.net('createServer')}(${listener});\nproxy${n}.listen(${p});\n`;
    },
    sites: [{ call: 'net.createServer', tcp: 'yes' }, innerSite(form)],
    keepalive: false,
    usesTls: false,
  }));

const sharedStatement = fc.record({ count: fc.integer({ min: 2, max: 3 }), form: clientForm, host, port }).map(({ count, form, host: h, port: p }): TsSnippet => ({
  render: (ids, n) => {
    const names = ['primary', 'replica', 'standby'].slice(0, count);
    return `export function pool${n}() {\n  const ${names.map((v) => `${v} = ${innerClient(ids, form, p, h)}`).join(', ')};\n  return [${names.join(', ')}];\n}\n`;
  },
  sites: Array.from({ length: count }, () => innerSite(form)),
  keepalive: false,
  usesTls: false,
}));

const clientInCallback = fc.record({ form: clientForm, onError: fc.boolean(), host, port }).map(({ form, onError, host: h, port: p }): TsSnippet => ({
  render: (ids, n) =>
    `export const outer${n} = ${ids.net('connect')}(${p}, ${h}, () => {\n  const inner = ${innerClient(ids, form, p, h)};\n  ${onError ? "inner.on('error', () => inner.destroy());\n  " : ''}inner.pipe(outer${n});\n});\n`,
  sites: [{ call: 'net.connect', tcp: 'yes' }, innerSite(form)],
  keepalive: false,
  usesTls: false,
}));

export const tsSnippet = fc.oneof(connectArgs, connectOptions, newSocket, serverHandler, connectionListener, tlsConnect, unixPath, alreadyKeepalive, proxyServer, sharedStatement, clientInCallback);

const IMPORTS: Record<ImportStyle, { net: string; tls: string; ids: Ids; exts: string[] }> = {
  default: { net: "import net from 'node:net';", tls: "import tls from 'node:tls';", ids: { net: (m) => `net.${m}`, tls: (m) => `tls.${m}` }, exts: ['.ts', '.mjs', '.mts'] },
  namespace: { net: "import * as net from 'net';", tls: "import * as tls from 'tls';", ids: { net: (m) => `net.${m}`, tls: (m) => `tls.${m}` }, exts: ['.ts', '.mts', '.mjs'] },
  named: {
    net: "import { connect, createConnection, createServer, Socket } from 'node:net';",
    tls: "import { connect as tlsConnect } from 'node:tls';",
    ids: { net: (m) => m, tls: () => 'tlsConnect' },
    exts: ['.ts', '.mjs'],
  },
  require: { net: "const net = require('net');", tls: "const tls = require('tls');", ids: { net: (m) => `net.${m}`, tls: (m) => `tls.${m}` }, exts: ['.js', '.cjs'] },
};

export const tsProgram: fc.Arbitrary<TsProgram> = fc
  .record({
    style: fc.constantFrom<ImportStyle>('default', 'namespace', 'named', 'require'),
    extPick: fc.nat(),
    snippets: fc.array(tsSnippet, { minLength: 1, maxLength: 3 }),
    nodeRange: fc.constantFrom(null, '>=18', '>=20.19', '>=12'),
    crlf: fc.boolean(),
  })
  .map(({ style, extPick, snippets, nodeRange, crlf }) => {
    const imp = IMPORTS[style];
    const ext = imp.exts[extPick % imp.exts.length]!;
    const isTs = ext.endsWith('ts');
    const head = [imp.net, ...(snippets.some((s) => s.usesTls) ? [imp.tls] : [])].join('\n');
    // CommonJS modules export with `exports.x = x`; the snippets' `export` keyword becomes that form.
    let body = snippets.map((s, i) => s.render(imp.ids, i, isTs)).join('\n');
    if (style === 'require') {
      const names: string[] = [];
      body = body.replace(/^export (const|function|class) (\w+)/gm, (_m, kind: string, name: string) => {
        names.push(name);
        return `${kind} ${name}`;
      });
      body += `\nmodule.exports = { ${names.join(', ')} };\n`;
    }
    const text = `${head}\n\n${body}`;
    return { fileName: `mod${ext}`, text: crlf ? text.replace(/\n/g, '\r\n') : text, nodeRange, snippets };
  });
