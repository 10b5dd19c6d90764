/** Project mode (tsEngine): flows across files, BOM and line endings kept, only changed files planned. */
import { mkdtempSync, readFileSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DEFAULT_OPTIONS } from '@ka-codemod/core';
import { tsEngine } from '@ka-codemod/ts';
import { TS_FIXTURES as FIXTURES } from '../../../test/helpers/ts-fixtures.js';
import { exportTargets } from '../src/module-graph.js';

const crossFile = path.join(FIXTURES, 'project/cross-file');
const files = ['factory.js', 'helpers.js', 'client.js', 'unrelated.js'].map((f) => path.join(crossFile, 'src', f));

describe('tsEngine over a project', () => {
  it('links creators re-exported under other names by the import graph, not by name', async () => {
    const root = path.join(FIXTURES, 'project/reexport');
    const all = ['src/transports.js', 'src/table.js', 'src/client.js', 'src/dial.ts', 'src/index.ts', 'src/user.ts', 'other/socket.js', 'other/use.js'].map((f) => path.join(root, f));
    const r = await tsEngine.analyze({ root, files: all, options: DEFAULT_OPTIONS });
    expect(r.problems).toEqual([]);
    expect(r.sites.map((s) => `${s.file}:${s.line} ${s.call} ${s.tcp}/${s.keepalive}`)).toEqual([
      // const fn = secure ? createSecureSocket : createSocket (exports.x = net.connect / tls.connect)
      'src/client.js:8 tls.connect yes/no',
      // transports[kind](…) and transports.tcp(…) on module.exports = { tcp, tls }
      'src/client.js:14 tls.connect yes/no',
      'src/client.js:15 net.createConnection yes/yes',
      // connectFn(options)(port, host): a function that returns net.connect or tls.connect
      'src/table.js:13 tls.connect yes/no',
      // export const dial = net.connect, re-exported by a barrel as connectTo
      'src/user.ts:4 net.connect yes/no',
    ]);
    // other/ exports its own createSocket: another package, no link by name.
    expect(r.sites.some((s) => s.file.startsWith('other/'))).toBe(false);
    const plan = await tsEngine.plan({ root, files: all, options: DEFAULT_OPTIONS });
    const user = plan.files.find((f) => f.path.endsWith('user.ts'))!.after.toString('utf8');
    expect(user).toContain('s.setKeepAlive(true, 60000);');
  });

  it('keeps two builds of one package apart and links calls of a default export by the import', async () => {
    const root = path.join(FIXTURES, 'project/two-builds');
    const all = ['cjs/tunnel.js', 'cjs/client.js', 'esm/tunnel.js', 'esm/client.js'].map((f) => path.join(root, 'dist', f));
    const r = await tsEngine.analyze({ root, files: all, options: DEFAULT_OPTIONS });
    expect(r.problems).toEqual([]);
    expect(r.sites.map((s) => `${s.file}:${s.line} ${s.call} ${s.keepalive}`)).toEqual(['dist/cjs/tunnel.js:9 net.connect yes', 'dist/esm/tunnel.js:4 net.connect yes']);
    // The CommonJS build calls its default export as (0, tunnel_js_1.default)(…): found through the
    // require, and the ES build's same-named function and its caller are no evidence for it.
    expect(r.sites[0]!.how).toContain('dist/cjs/client.js:10');
    expect(r.sites[0]!.how).not.toContain('esm');
    expect(r.sites[1]!.how).toContain('dist/esm/client.js:5');
    expect(r.sites[1]!.how).not.toContain('cjs');
  });

  it('links the packages of a workspace by their package.json names (exports, main, index.js), never by name alone', async () => {
    const root = path.join(FIXTURES, 'project/workspace');
    const all = ['app/src/client.js', 'app/src/esm.mjs', 'dialer/lib/index.js', 'dialer/lib/creators.js', 'dialer/lib/pool.js', 'legacy/src/main.js', 'plain/index.js', 'twin/lib/index.js', 'twin/lib/pool.js'].map((f) => path.join(root, 'packages', f));
    const r = await tsEngine.analyze({ root, files: all, options: DEFAULT_OPTIONS });
    expect(r.problems).toEqual([]);
    expect(r.sites.map((s) => `${s.file}:${s.line} ${s.call} ${s.tcp}/${s.keepalive}`)).toEqual([
      // exports.dial = net.createConnection in @ws/dialer/creators (a subpath of exports)
      'packages/app/src/client.js:9 net.createConnection yes/no',
      // a factory behind nested conditions ("node": { "require" }), keepalive set by its caller in app
      'packages/dialer/lib/index.js:6 net.connect yes/yes',
      // reached through a subpath pattern ("./pools/*"): app's import makes it a neighbour, nothing more
      'packages/dialer/lib/pool.js:6 net.connect yes/yes',
      // "main": "src/main" (no extension), imported by an ES module
      'packages/legacy/src/main.js:5 net.connect yes/yes',
      // neither exports nor main: index.js, whose module.exports is the factory
      'packages/plain/index.js:6 net.createConnection yes/yes',
      // the same function and field names as @ws/dialer, imported by nobody: app's keepalive is not theirs
      'packages/twin/lib/index.js:6 net.connect yes/no',
      'packages/twin/lib/pool.js:7 net.connect yes/no',
    ]);
    expect(r.sites[1]!.how).toContain('packages/app/src/client.js:7');
    expect(r.sites[4]!.how).toContain('packages/app/src/client.js:13');
  });

  it('leaves packages side by side apart when no workspace holds them: a bare specifier loads the copy the importer installed', async () => {
    const root = path.join(FIXTURES, 'project/side-by-side');
    const r = await tsEngine.analyze({ root, files: [path.join(root, 'side-lib/index.js'), path.join(root, 'side-user/index.js')], options: DEFAULT_OPTIONS });
    expect(r.sites.map((s) => `${s.file}:${s.line} ${s.call} ${s.tcp}/${s.keepalive}`)).toEqual(['side-lib/index.js:5 net.connect yes/no']);
  });

  it('follows TLS over a relay stream of another module to the dependency event that delivers its socket, and says so', async () => {
    const root = path.join(FIXTURES, 'project/relay');
    const r = await tsEngine.analyze({ root, files: ['tls.js', 'socks.js'].map((f) => path.join(root, 'lib/connect', f)), options: DEFAULT_OPTIONS });
    expect(r.sites.map((s) => `${s.file}:${s.line} ${s.call} ${s.tcp}/${s.keepalive}`)).toEqual(['lib/connect/tls.js:11 tls.connect maybe/unknown']);
    // Not "made where the analysed code does not show": the stream is the project's; its socket is the dependency's.
    expect(r.sites[0]!.how).toContain('Wraps a TunnelStream (a Duplex of the project relaying to its field _socket, lib/connect/socks.js:11)');
    expect(r.sites[0]!.how).toContain("the 'established' event of a TunnelClient from package '@acme/tunnel-kit', outside the audited tree (at dialTunnel (lib/connect/socks.js:33))");
  });

  it('reads package exports as Node does: a string, subpaths, patterns, nested conditions, arrays', () => {
    expect(exportTargets('./main.js', '.')).toEqual(['./main.js']);
    expect(exportTargets('./main.js', './sub')).toEqual([]);
    expect(exportTargets({ import: './esm/index.js', require: './cjs/index.js', types: './index.d.ts' }, '.')).toEqual(['./esm/index.js', './cjs/index.js']);
    const nested = { '.': { types: './x.d.ts', node: { require: './node.cjs', import: './node.mjs' }, default: './browser.js' }, './sub': ['./sub.js', './sub-fallback.js'], './feature/*': './src/feature/*.js', './feature/internal/*': './src/internal/*.js', './private/*': null };
    expect(exportTargets(nested, '.')).toEqual(['./node.cjs', './node.mjs', './browser.js']);
    expect(exportTargets(nested, './sub')).toEqual(['./sub.js', './sub-fallback.js']);
    expect(exportTargets(nested, './feature/a/b')).toEqual(['./src/feature/a/b.js']);
    expect(exportTargets(nested, './feature/internal/c')).toEqual(['./src/internal/c.js']);
    expect(exportTargets(nested, './private/x')).toEqual([]);
    expect(exportTargets(nested, './missing')).toEqual([]);
  });

  it('follows a socket returned by a factory into a helper of another file', async () => {
    const r = await tsEngine.analyze({ root: crossFile, files, options: DEFAULT_OPTIONS });
    expect(r.problems).toEqual([]);
    expect(r.sites.map((s) => [s.file, s.line, s.call, s.keepalive, s.errorHandler])).toEqual([
      ['src/factory.js', 5, 'net.connect', 'yes', 'yes'],
      ['src/factory.js', 9, 'net.createConnection', 'no', 'no'],
    ]);
    expect(r.sites[0]!.how).toContain('harden (src/helpers.js:2)');
    // unrelated.js mentions no socket module, keepalive or listeners: never parsed.
    expect(r.stats['filesParsed']).toBe(3);
  });

  it('plans only the files that change, with per-site change lines', async () => {
    const r = await tsEngine.plan({ root: crossFile, files, options: DEFAULT_OPTIONS });
    expect(r.files.map((f) => path.relative(crossFile, f.path))).toEqual(['src/factory.js']);
    const after = r.files[0]!.after.toString('utf8');
    expect(after).toContain("return net.createConnection(port, 'bare.local').setKeepAlive(true, 60000).on('error', (err) => console.error(err));");
    expect(r.files[0]!.before.equals(readFileSync(files[0]!))).toBe(true);
    expect(r.files[0]!.changes).toEqual([expect.stringMatching(/^src\/factory\.js:9: chain \.setKeepAlive\(true, 60000\)/)]);
  });

  it('follows a field of an object that travels to another module (its reads in imported files)', async () => {
    const root = path.join(FIXTURES, 'project/field-across-files');
    const lib = ['connector.js', 'client.js', 'handlers.js'].map((f) => path.join(root, 'lib', f));
    const r = await tsEngine.analyze({ root, files: lib, options: DEFAULT_OPTIONS });
    expect(r.sites.map((s) => [s.file, s.line, s.call, s.tcp, s.keepalive, s.errorHandler])).toEqual([
      ['lib/connector.js', 6, 'net.createConnection', 'maybe', 'conditional', 'yes'],
    ]);
    expect(r.sites[0]!.how).toContain('lib/handlers.js:5');
  });

  it('follows a promise of the socket through a barrel index.js into .then()', async () => {
    const root = path.join(FIXTURES, 'project/barrel');
    const lib = ['connectors/standalone.js', 'connectors/index.js', 'client.js'].map((f) => path.join(root, 'lib', f));
    const r = await tsEngine.analyze({ root, files: lib, options: DEFAULT_OPTIONS });
    expect(r.sites.map((s) => [s.file, s.line, s.call, s.tcp, s.keepalive])).toEqual([['lib/connectors/standalone.js', 6, 'net.createConnection', 'yes', 'conditional']]);
    expect(r.sites[0]!.how).toContain("lib/client.js:13");
  });

  it('follows a promise of the socket handed with a node-style callback to a library (asCallback), also in compiled code', async () => {
    const root = path.join(FIXTURES, 'project/promise-as-callback');
    const lib = ['connector.js', 'client.js'].map((f) => path.join(root, 'lib', f));
    const r = await tsEngine.analyze({ root, files: lib, options: DEFAULT_OPTIONS });
    expect(r.sites.map((s) => [s.file, s.line, s.call, s.tcp, s.keepalive, s.errorHandler])).toEqual([['lib/connector.js', 11, 'net.createConnection', 'yes', 'conditional', 'yes']]);
    expect(r.sites[0]!.how).toContain('lib/client.js:17');
  });

  it('keeps name links inside the modules of a bundle, and between modules that require each other (also through a barrel)', async () => {
    const root = path.join(FIXTURES, 'project/bundle');
    const r = await tsEngine.analyze({ root, files: [path.join(root, 'build/bundle.js')], options: DEFAULT_OPTIONS });
    expect(r.sites.map((s) => [s.line, s.call, s.function, s.keepalive])).toEqual([
      [13, 'net.createConnection', 'Connector.open', 'conditional'],
      [51, 'net.connect', 'Driver.open', 'yes'],
    ]);
    expect(r.sites[0]!.how).toContain('Client.start (line 39)');
    expect(r.sites[0]!.how).not.toContain('Driver');
  });

  const tmp = mkdtempSync(path.join(tmpdir(), 'ka-ts-'));
  afterAll(() => rmSync(tmp, { recursive: true, force: true }));

  it('names the package outside the tree whose object the wrapped stream is a property of', async () => {
    mkdirSync(path.join(tmp, 'pair'));
    const file = path.join(tmp, 'pair', 'secure.js');
    writeFileSync(file, "const tls = require('tls');\nconst kit_1 = require('duplex-kit');\nfunction secure(host) {\n  const pair = new kit_1.default();\n  return tls.connect({ socket: pair.socket1, host }).on('error', () => {});\n}\nmodule.exports = { secure };\n");
    const r = await tsEngine.analyze({ root: tmp, files: [file], options: DEFAULT_OPTIONS });
    expect(r.sites.map((s) => `${s.line} ${s.tcp}/${s.keepalive}`)).toEqual(['5 maybe/unknown']);
    expect(r.sites[0]!.how).toContain("Wraps a stream that comes from the socket1 of an object made by package 'duplex-kit', outside the audited tree (at secure (line 5))");
  });

  it('keeps a BOM and CRLF line endings byte for byte, and reports syntax errors', async () => {
    mkdirSync(path.join(tmp, 'p'));
    const bomFile = path.join(tmp, 'p', 'bom.ts');
    const broken = path.join(tmp, 'p', 'broken.mjs');
    writeFileSync(bomFile, "\uFEFFimport net from 'node:net';\r\nexport const s = net.connect(1, 'h');\r\ns.on('error', () => s.destroy());\r\n");
    writeFileSync(broken, "import net from 'node:net';\nnet.connect(1, 'h'\n");
    const r = await tsEngine.plan({ root: tmp, files: [bomFile, broken], options: { ...DEFAULT_OPTIONS, initialDelayMs: 20000 } });
    expect(r.problems).toEqual([expect.objectContaining({ file: 'p/broken.mjs', kind: 'parse-error' })]);
    expect(r.files).toHaveLength(1);
    expect(r.files[0]!.after.toString('utf8')).toBe("\uFEFFimport net from 'node:net';\r\nexport const s = net.connect(1, 'h');\r\ns.setKeepAlive(true, 20000);\r\ns.on('error', () => s.destroy());\r\n");
    // A second plan over the rewritten file changes nothing.
    writeFileSync(bomFile, r.files[0]!.after);
    const again = await tsEngine.plan({ root: tmp, files: [bomFile], options: DEFAULT_OPTIONS });
    expect(again.files).toEqual([]);
    expect(again.sites[0]).toMatchObject({ keepalive: 'yes', tuningValues: { idleSeconds: 20 } });
  });
});
