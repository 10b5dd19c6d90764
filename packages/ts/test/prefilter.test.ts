/** The single-file prefilter (ESLint, jscodeshift): which texts are worth parsing when analysed alone. */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFAULT_OPTIONS } from '@ka-codemod/core';
import { analyzeSources, analyzeTsSource, mayHoldSites } from '@ka-codemod/ts';
import { fixtureCases, TS_FIXTURES } from '../../../test/helpers/ts-fixtures.js';
import { importsSocketModule } from '../src/imports.js';
import { callPattern } from '../src/file-index.js';
import { canHoldSiteAlone, mayHoldSite, type SourceInput } from '../src/analyze-sources.js';

describe('canHoldSiteAlone', () => {
  it.each([
    ["import net from 'node:net';\nnet.connect(80);", true],
    ["const tls = require('tls');\ntls.connect(443, 'h');", true],
    ["server.on('connection', (s) => s.setNoDelay(true));", true],
    // Not used as a socket (s.pipe is any stream's): the analysis takes no site there either.
    ["server.on('connection', (s) => s.pipe(s));", false],
    ["sock.on('error', log); sock.setKeepAlive(true, 1000);", false],
    ['export const x = 1;', false],
    ["const net = require('net');\nnet.createConnection(port);", true],
    ["import tls from 'node:tls';\nexport const open = () => tls.connect(443, 'h');", true],
    ["server.on('connection', (socket) => socket.setNoDelay(true));", true],
    ['this._srv\n  .once(`secureConnection`, (s) => log(s.remoteAddress));', true],
    ["httpServer['prependListener']('connection', track);\nfunction track(s) { s.setKeepAlive(true, 1000); }", true],
    ["getServer(port).addListener( \"connection\" , (c) => count(c.bytesRead));", true],
    // ssh2's, ws's and socket.io's servers emit 'connection' with other objects: no socket member used.
    ["server.on('connection', (client) => client.on('authentication', (ctx) => ctx.accept()));", false],
    // A connection listener on something not named like a server: the analysis would not take it either.
    ["pool.on('connection', (conn) => conn.query('SET NAMES utf8'));", false],
    // 'connection' in the same file, but not as the event of a server-named receiver's listener.
    ["const server = start(); pool.on('connection', setup);", false],
    ["const kind = 'connection';", false],
    ["socket.on('error', onError); socket.setKeepAlive(true, 1000);", false],
  ])('%j → %s', (text, expected) => {
    expect(canHoldSiteAlone(text)).toBe(expected);
  });

  it('a helper that only attaches listeners yields nothing alone, and the same as before with a socket module', () => {
    const helper = "export function guard(s) { s.on('error', () => {}); s.setKeepAlive(true, 60000); }";
    expect(analyzeTsSource({ fileName: 'helper.js', text: helper, options: DEFAULT_OPTIONS, nodeRange: '>=20' }).sites).toEqual([]);
    const client = "import net from 'node:net';\nexport const s = net.connect(80, 'example.test');\n";
    const sites = analyzeTsSource({ fileName: 'client.js', text: client, options: DEFAULT_OPTIONS, nodeRange: '>=20' }).sites;
    expect(sites.map((s) => [s.call, s.keepalive])).toEqual([['net.connect', 'no']]);
  });

  it('lets through every file where the analysis finds a connection-listener site of unknown origin', () => {
    const text = "export function track(server) {\n  server.on('connection', (socket) => {\n    socket.on('data', () => {});\n    socket.setNoDelay(true);\n  });\n}\n";
    expect(canHoldSiteAlone(text)).toBe(true);
    const r = analyzeTsSource({ fileName: 'track.js', text, options: DEFAULT_OPTIONS, nodeRange: '>=20' });
    expect(r.sites.map((s) => [s.line, s.call, s.keepalive])).toEqual([[2, "server.on('connection')", 'no']]);
  });
});

// What the ESLint rule asks in create(): files it answers false for get no listener at all.
describe('mayHoldSites', () => {
  const dial = "const net = require('net');\nnet.connect(80);";
  it.each([
    ['a file that dials', { fileName: 'a.js', text: dial }, true],
    ['a declaration file, whatever its text', { fileName: 'a.d.ts', text: dial }, false],
    ['a file without a socket module', { fileName: 'a.js', text: 'export const x = 1;' }, false],
    // A type-checked program may link the file to sockets made elsewhere: the text tests do not decide.
    ['any file of a type-checked program', { fileName: 'a.ts', text: 'export const x = 1;', program: {} }, true],
  ])('%s: %s', (_, input, expected) => {
    expect(mayHoldSites(input)).toBe(expected);
  });
  it('is what analyzeTsSource answers nothing for', () => {
    expect(analyzeTsSource({ fileName: 'a.d.ts', text: dial, options: DEFAULT_OPTIONS }).sites).toEqual([]);
    expect(analyzeTsSource({ fileName: 'a.js', text: dial, options: DEFAULT_OPTIONS }).sites).toHaveLength(1);
  });
});

describe('analyzeTsSource without file-level edits', () => {
  const text = "const net = require('net');\nconst s = net.connect(80, 'h');\n";
  it('returns the same sites, each with its own fix, and no composed edit list', () => {
    const full = analyzeTsSource({ fileName: 'c.js', text, options: DEFAULT_OPTIONS, nodeRange: '>=20' });
    const perSite = analyzeTsSource({ fileName: 'c.js', text, options: DEFAULT_OPTIONS, nodeRange: '>=20', edits: false });
    expect(full.edits.length).toBeGreaterThan(0);
    expect(perSite.edits).toEqual([]);
    expect(perSite.sites).toEqual(full.sites);
    expect(perSite.sites[0]!.fix).toBeDefined();
  });
});

describe('importsSocketModule (what canHoldSiteAlone asks first)', () => {
  it.each([
    ["const net = require('net');", true],
    ['import * as tls from"node:tls";', true],
    ["const { request } = require (\n  'https'\n);", true],
    ['const h = await import(`http`);', true],
    ["import net = require('net');", true],
    ["const net = require(/* webpackIgnore: true */ 'node:net');", true],
    ['import { connect } from /* the socket module */ "tls";', true],
    // Mentions without a load: a URL scheme, a list of builtins, a helper of another name.
    ["if (url.protocol === 'https') port = 443;", false],
    ["const builtins = ['fs', 'http', 'net'];", false],
    ["const n = __require('net');", false],
  ])('%j → %s', (text, expected) => {
    expect(importsSocketModule(text)).toBe(expected);
  });
});

describe('canHoldSiteAlone: a loaded socket module is not enough', () => {
  it.each([
    ["const { STATUS_CODES } = require('http');\nexport const text = (code) => STATUS_CODES[code];", false],
    ["import { isIP } from 'node:net';\nexport const literal = (h) => isIP(h) !== 0;", false],
    ["const { connect: dial } = require('net');\ndial(80, 'h');", true],
    ["import * as net from 'net';\nexport const s = net['Socket']();", true],
    ["const https = require('https');\nhttps.createServer(opts, app).listen(443);", true],
    ["const net = require('net');\nconst make = net // the module\n  ['Socket'];", true],
    ["import {\n  Socket as Raw,\n} from 'node:net';\nexport const s = new Raw();", true],
    // The name only in a comment or a string: no callee can name it.
    ["const { STATUS_CODES } = require('node:http');\n// Server-Timing header\nconst header = 'Server';", false],
  ])('%j → %s', (text, expected) => {
    expect(canHoldSiteAlone(text)).toBe(expected);
  });
});

describe('canHoldSiteAlone never drops a file the analysis finds a site in', () => {
  // Every shared fixture, analysed alone without the prefilter: where sites are found, the prefilter must pass the file.
  it.each(fixtureCases().map((c) => [c.name, c.input] as const))('%s', (_name, input) => {
    const text = readFileSync(input, 'utf8').replace(/^\uFEFF/u, '');
    const r = analyzeSources([{ path: input, relFile: input, text, nodeRange: '>=20' }], DEFAULT_OPTIONS, {}, false);
    if (r.sites.length > 0) expect(canHoldSiteAlone(text)).toBe(true);
  });
});

describe('the prefilter patterns stay linear', () => {
  it('a word "from" before a run of block comments is answered at once (no backtracking blow-up)', () => {
    // With a block-comment pattern that can run over a comment's end, 40 comments take hours.
    const text = `// where the data comes from\n${'/** a note */\n'.repeat(40)}export const x = 1;\n`;
    expect(importsSocketModule(text)).toBe(false);
    expect(canHoldSiteAlone(text)).toBe(false);
  });
});

// Project mode parses a file of the second pass (linked to socket files by a name or an import)
// before the analysis only when a site may be in it; the others when a lookup reaches them.
describe('mayHoldSite (parsed before the analysis asks)', () => {
  const source = (text: string): SourceInput => ({ path: '/p/src/a.js', relFile: 'src/a.js', text });
  it.each([
    ["const net = require('net');", [], true],
    ['const h = await import(`node:https`);', [], true],
    ["srv.on('secureConnection', onSocket);", [], true],
    ['client.connect(port, host);', [], true],
    // A relative import of a file that may export a creator links it in (module-graph.ts).
    ["const { open } = require('./dial');\nopen();", ['/p/src/dial.js'], true],
    ["import { open } from './dial.js';", ['/p/src/dial.ts'], true],
    ["export * from '../lib';", ['/p/lib/index.js'], true],
    ["const { open } = require('./dial');\nopen();", [], false],
    ["socket.on('error', onError); this.reconnect();", [], false],
    // The word alone (a comment, an option name) calls nothing.
    ["// connect later: see options.connect\nsocket.on('error', onError);", [], false],
    ['sock.conn\\u0065ct(port, host);', [], true],
    ["const kind = 'connections';", [], false],
  ])('%j with creators %j → %s', (text, creators, expected) => {
    expect(mayHoldSite(source(text), new Set(creators))).toBe(expected);
  });

  it.each(fixtureCases().map((c) => [c.name, c.input] as const))('lets through %s when the analysis finds a site in it', (_name, input) => {
    const text = readFileSync(input, 'utf8').replace(/^\uFEFF/u, '');
    const r = analyzeSources([{ path: input, relFile: input, text, nodeRange: '>=20' }], DEFAULT_OPTIONS, {}, false);
    if (r.sites.length > 0) expect(mayHoldSite({ path: input, relFile: input, text }, new Set())).toBe(true);
  });
});

describe('the lazy parse answers as parsing every file at once', () => {
  const projects = path.join(TS_FIXTURES, 'project');
  const sourcesOf = (dir: string): SourceInput[] =>
    readdirSync(dir, { recursive: true, encoding: 'utf8' })
      .filter((f) => /\.[cm]?[jt]sx?$/.test(f))
      .sort()
      .map((f) => ({ path: path.join(dir, f), relFile: f, text: readFileSync(path.join(dir, f), 'utf8') }));
  it.each(readdirSync(projects))('%s', (name) => {
    const sources = sourcesOf(path.join(projects, name));
    const lazy = analyzeSources(sources, DEFAULT_OPTIONS, {}, true);
    const all = analyzeSources(sources, DEFAULT_OPTIONS, { parseAll: true }, true);
    expect(lazy.sites).toEqual(all.sites);
    expect(lazy.problems).toEqual(all.problems);
    expect(lazy.editsByPath).toEqual(all.editsByPath);
    expect(lazy.stats['filesParsed']).toBeLessThanOrEqual(all.stats['filesParsed']!);
  });

  it('parses a file linked by name when the socket goes there, and never one it does not', () => {
    const sources = sourcesOf(path.join(projects, 'lazy-parse'));
    const r = analyzeSources(sources, DEFAULT_OPTIONS, {}, false);
    // socket.js before the analysis, main.js when openLine's callers are looked up, guard.js when
    // guardLine is; notes.js never.
    expect(r.stats['filesParsed']).toBe(3);
    expect(analyzeSources(sources, DEFAULT_OPTIONS, { parseAll: true }, false).stats['filesParsed']).toBe(4);
    expect(r.sites.map((s) => [s.file, s.line, s.call, s.keepalive, s.errorHandler])).toEqual([['src/socket.js', 4, 'net.connect', 'yes', 'yes']]);
  });
});

// A pending file is parsed for a lookup of calls by name only when its text may call the name.
describe('callPattern (text that may call a name: a superset of lastCalleeName)', () => {
  it.each([
    ['use', 'app.use(cors());', true],
    ['use', 'app.use?.(cors());', true],
    ['use', 'app.use /* mw */ (cors());', true],
    ['use', "app['use'](cors());", true],
    ['use', '(0, app.use)(cors());', true],
    ['use', 'app.use<Ctx>(cors());', true],
    ['use', 'app.use!(cors());', true],
    ['Conn', 'const c = new lib.Conn;', true],
    ['Conn', 'const c = new Conn();', true],
    ['use', "'use strict';", false],
    ['use', 'const use = 1;\nexport { use };', false],
    ['use', '// use it with care', false],
    ['use', 'const user = reuse(x);', false],
  ])('%s in %j → %s', (name, text, expected) => {
    expect(callPattern(name).test(text)).toBe(expected);
  });
});
