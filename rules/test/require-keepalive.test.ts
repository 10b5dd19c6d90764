import { requireKeepalive } from '../src/rules/require-keepalive.js';
import { espree, fixtureProject, RuleTester } from './support/rule-tester.js';

/**
 * Hand-written cases per site kind and verdict, with the exact location (the engine's span of the
 * call's name) and suggestion each must offer; suggestion mode must never autofix (`output: null`). The fixture project
 * (rules/test/fixture-project) has engines.node >=20, so verdicts are Node 20's unless `nodeVersion` says otherwise.
 */
const js = `${fixtureProject}file.js`;
const ts = `${fixtureProject}file.ts`;

const MISSING = 'missingKeepalive' as const;
/** The socket is handed inside an object to a callback the caller chose, then out of sight: keepalive unknown. */
const UNKNOWN_CODE = "const net = require('net');\nfunction dial(port, host, callback) {\n  const socket = net.connect(port, host);\n  socket.once('error', callback);\n  socket.once('connect', () => callback(null, { connection: socket }));\n}\ndial(25, 'mx', (err, options) => module.exports.open(options));\n";
const ENABLE = 'enableKeepalive' as const;

/** A client with an options literal and an 'error' listener, and its rewrite with a delay. */
const CONNECT = "const net = require('net');\nconst s = net.connect({ port: 80 });\ns.on('error', () => {});\n";
/** The same client without an 'error' listener. */
const UNGUARDED = CONNECT.replace("s.on('error', () => {});", "s.write('x');");
const connectWithKeepalive = (delay: number, code = CONNECT) => code.replace('{ port: 80 }', `{ port: 80, keepAlive: true, keepAliveInitialDelay: ${delay} }`);

/** The report on `const s = net.connect(...)` in line 2: the name `connect` underlined, one suggestion. */
const connectOnLine2 = (suggested: string) => ({ messageId: MISSING, line: 2, column: 15, endLine: 2, endColumn: 22, suggestions: [{ messageId: ENABLE, output: suggested }] });

// Plain JavaScript through espree, ESLint's default parser.
const espreeTester = new RuleTester({ languageOptions: { parser: espree, sourceType: 'commonjs' } });

espreeTester.run('require-keepalive (espree)', requireKeepalive, {
  valid: [
    // Verdicts are the fixtures' (rules/test/fixtures.test.ts runs the rule over fixtures/ts); here: options.
    {
      filename: js,
      code: "const net = require('net');\nfunction open(opts) {\n  const s = net.connect(opts);\n  s.on('error', () => {});\n  return s;\n}\nmodule.exports = open;\n",
      name: 'options a public function takes whole from the application: conditional (the caller decides), not reported',
    },
    {
      filename: js,
      code: UNKNOWN_CODE,
      name: 'a socket handed inside an object to the caller\'s callback is unknown, not reported by default',
    },
    {
      filename: js,
      code: "const net = require('net');\nconst server = net.createServer((c) => { c.on('error', () => {}); });\nserver.listen(8080);\n",
      options: [{ ignoreCalls: ['net.createServer'] }],
      name: 'ignoreCalls',
    },
    {
      filename: js,
      code: "const net = require('net');\nfunction openLocalDebug() {\n  const s = net.connect(9229, '127.0.0.1');\n  s.on('error', () => {});\n  return s;\n}\nmodule.exports = openLocalDebug;\n",
      options: [{ ignoreFunctions: ['^openLocal'] }],
      name: 'ignoreFunctions',
    },
  ],
  invalid: [
    {
      filename: js,
      code: UNKNOWN_CODE,
      output: null,
      options: [{ reportUnknown: true }],
      errors: [{ messageId: 'unknownKeepalive', line: 3, column: 22, endLine: 3, endColumn: 29, suggestions: [] }],
      name: 'reportUnknown: true reports the unknown verdict, with no fix',
    },
    {
      filename: js,
      code: "const net = require('net');\nconst s = net.connect({ port: 80, host: 'example.com' });\ns.on('error', () => {});\n",
      output: null,
      errors: [connectOnLine2("const net = require('net');\nconst s = net.connect({ port: 80, host: 'example.com', keepAlive: true, keepAliveInitialDelay: 60000 });\ns.on('error', () => {});\n")],
      name: 'net.connect with an options literal',
    },
    {
      filename: js,
      code: "const { createConnection } = require('node:net');\nconst s = createConnection(80, 'example.com');\ns.write('x');\n",
      output: null,
      errors: [
        {
          messageId: MISSING,
          line: 2,
          column: 11,
          endLine: 2,
          endColumn: 27,
          suggestions: [{ messageId: ENABLE, output: "const { createConnection } = require('node:net');\nconst s = createConnection(80, 'example.com');\ns.setKeepAlive(true, 60000);\ns.on('error', (err) => console.error(err));\ns.write('x');\n" }],
        },
      ],
      name: 'createConnection without an \'error\' listener: the report and the fix both say so',
    },
    {
      filename: js,
      code: "const net = require('net');\nconst s = new net.Socket();\ns.on('error', () => {});\ns.connect({ port: 80, keepAlive: true });\n",
      output: null,
      errors: [
        {
          messageId: MISSING,
          line: 2,
          column: 11,
          endLine: 2,
          endColumn: 25,
          suggestions: [{ messageId: ENABLE, output: "const net = require('net');\nconst s = new net.Socket();\ns.setKeepAlive(true, 60000);\ns.on('error', () => {});\ns.connect({ port: 80, keepAlive: true });\n" }],
        },
      ],
      name: 'new net.Socket().connect({ keepAlive }) is ignored by Node',
    },
    {
      filename: js,
      code: "const net = require('net');\nconst server = net.createServer((c) => { c.on('error', () => {}); });\nserver.listen(8080);\n",
      output: null,
      errors: [
        {
          messageId: MISSING,
          line: 2,
          column: 20,
          endLine: 2,
          endColumn: 32,
          suggestions: [{ messageId: ENABLE, output: "const net = require('net');\nconst server = net.createServer({ keepAlive: true, keepAliveInitialDelay: 60000 }, (c) => { c.on('error', () => {}); });\nserver.listen(8080);\n" }],
        },
      ],
      name: 'net.createServer: accepted sockets',
    },
    {
      filename: js,
      code: "const net = require('net');\nconst server = new net.Server();\nserver.on('connection', (c) => { c.on('error', () => {}); });\nserver.listen(9000);\n",
      output: null,
      errors: [
        {
          messageId: MISSING,
          line: 2,
          column: 16,
          endLine: 2,
          endColumn: 30,
          suggestions: [{ messageId: ENABLE, output: "const net = require('net');\nconst server = new net.Server({ keepAlive: true, keepAliveInitialDelay: 60000 });\nserver.on('connection', (c) => { c.on('error', () => {}); });\nserver.listen(9000);\n" }],
        },
      ],
      name: 'new net.Server with a \'connection\' listener is one site',
    },
    {
      filename: js,
      code: "const net = require('net');\nfunction open(opts) {\n  const s = net.connect(opts);\n  s.on('error', () => {});\n  return s;\n}\nmodule.exports = open(config);\n",
      output: null,
      errors: [
        {
          messageId: MISSING,
          line: 3,
          column: 17,
          endLine: 3,
          endColumn: 24,
          suggestions: [{ messageId: ENABLE, output: "const net = require('net');\nfunction open(opts) {\n  const s = net.connect(opts);\n  s.setKeepAlive(true, 60000);\n  s.on('error', () => {});\n  return s;\n}\nmodule.exports = open(config);\n" }],
        },
      ],
      name: 'options from a parameter its callers fill with what we cannot see: maybe TCP, still flagged',
    },
    {
      filename: js,
      code: "module.exports = function attach(server) {\n  server.on('connection', (socket) => {\n    socket.setNoDelay(true);\n    socket.on('error', () => {});\n  });\n};\n",
      output: null,
      errors: [
        {
          messageId: MISSING,
          line: 2,
          column: 13,
          endLine: 2,
          endColumn: 25,
          suggestions: [{ messageId: ENABLE, output: "module.exports = function attach(server) {\n  server.on('connection', (socket) => {\n    socket.setKeepAlive(true, 60000);\n    socket.setNoDelay(true);\n    socket.on('error', () => {});\n  });\n};\n" }],
        },
      ],
      name: "server.on('connection') on a server made elsewhere",
    },
    {
      filename: js,
      code: CONNECT,
      output: connectWithKeepalive(15000),
      options: [{ fix: 'autofix', initialDelay: 15000 }],
      errors: [connectOnLine2(connectWithKeepalive(15000))],
      name: 'fix: \'autofix\' with initialDelay applies the rewrite on --fix',
    },
    {
      filename: js,
      code: "const net = require('net');\nnet.createServer({ keepAlive: true, keepAliveInitialDelay: 30000 }, (c) => {\n  c.on('error', () => {});\n  c.end();\n}).listen(1);\n",
      output: null,
      options: [{ nodeVersion: '>=16.0.0' }],
      errors: [
        {
          messageId: MISSING,
          line: 2,
          column: 5,
          endLine: 2,
          endColumn: 17,
          suggestions: [{ messageId: ENABLE, output: "const net = require('net');\nnet.createServer({ keepAlive: true, keepAliveInitialDelay: 30000 }, (c) => {\n  c.setKeepAlive(true, 60000);\n  c.on('error', () => {});\n  c.end();\n}).listen(1);\n" }],
        },
      ],
      name: 'nodeVersion: before Node 16.17 server keepAlive options are ignored',
    },
    {
      filename: js,
      code: CONNECT,
      output: connectWithKeepalive(60000),
      options: [{ fix: 'autofix-safe' }],
      errors: [connectOnLine2(connectWithKeepalive(60000))],
      name: "fix: 'autofix-safe' applies a fix that only turns keepalive on",
    },
    {
      filename: js,
      code: UNGUARDED,
      output: null,
      options: [{ fix: 'autofix-safe' }],
      errors: [connectOnLine2(connectWithKeepalive(60000, UNGUARDED).replace("\ns.write", "\ns.on('error', (err) => console.error(err));\ns.write"))],
      name: "fix: 'autofix-safe' leaves a fix that also adds an 'error' listener (unsafe) as a suggestion",
    },
  ],
});

// TypeScript through @typescript-eslint/parser, without type information.
const tsTester = new RuleTester();

tsTester.run('require-keepalive (typescript-eslint, no types)', requireKeepalive, {
  valid: [
    {
      filename: ts,
      code: "import * as tls from 'node:tls';\nexport const s: tls.TLSSocket = tls.connect(443, 'h').setKeepAlive(true, 30000);\ns.on('error', (e: Error) => console.error(e));\n",
      name: 'tls.connect with setKeepAlive',
    },
    {
      filename: ts,
      code: "import type { Socket } from 'node:net';\nexport function reconnect(socket: Socket, port: number): void {\n  socket.on('error', (e) => console.error(e));\n  socket.connect(port, 'db.internal');\n}\n",
      name: 'socket.connect on a parameter: without type information nothing says it is a net.Socket (see the typed suite)',
    },
  ],
  invalid: [
    {
      filename: ts,
      code: "import tls from 'node:tls';\nconst s = tls.connect({ port: 443, host: 'example.com', keepAlive: true });\ns.on('error', console.error);\n",
      output: null,
      errors: [connectOnLine2("import tls from 'node:tls';\nconst s = tls.connect({ port: 443, host: 'example.com', keepAlive: true });\ns.setKeepAlive(true, 60000);\ns.on('error', console.error);\n")],
      name: 'tls.connect({ keepAlive }) is ignored by Node 20',
    },
    {
      filename: ts,
      code: "import https from 'node:https';\nconst server = https.createServer({}, (req, res) => res.end());\nserver.listen(8443);\n",
      output: null,
      errors: [
        {
          messageId: MISSING,
          line: 2,
          column: 22,
          endLine: 2,
          endColumn: 34,
          suggestions: [{ messageId: ENABLE, output: "import https from 'node:https';\nconst server = https.createServer({ keepAlive: true, keepAliveInitialDelay: 60000 }, (req, res) => res.end());\nserver.listen(8443);\n" }],
        },
      ],
      name: 'https.createServer',
    },
    {
      filename: ts,
      code: "import http from 'node:http';\nhttp.createServer((req, res) => res.end('ok')).listen(8080);\n",
      output: null,
      errors: [
        {
          messageId: MISSING,
          line: 2,
          column: 6,
          endLine: 2,
          endColumn: 18,
          suggestions: [{ messageId: ENABLE, output: "import http from 'node:http';\nhttp.createServer({ keepAlive: true, keepAliveInitialDelay: 60000 }, (req, res) => res.end('ok')).listen(8080);\n" }],
        },
      ],
      name: 'http.createServer, unassigned',
    },
  ],
});

// TypeScript with type information (projectService on the fixture project): types only sharpen the verdicts.
const typedTester = new RuleTester({
  languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: fixtureProject } },
});

typedTester.run('require-keepalive (typescript-eslint, projectService)', requireKeepalive, {
  valid: [
    {
      code: "import net from 'node:net';\nexport const s = net.connect({ port: 6379, keepAlive: true, keepAliveInitialDelay: 30000 });\ns.on('error', (err) => console.error(err));\n",
      name: 'keepAlive options with type information',
    },
  ],
  invalid: [
    {
      code: "import * as tls from 'node:tls';\nexport const server = tls.createServer({ key: '', cert: '' }, (c) => { c.on('error', () => {}); });\n",
      output: null,
      errors: [
        {
          messageId: MISSING,
          line: 2,
          column: 27,
          endLine: 2,
          endColumn: 39,
          suggestions: [{ messageId: ENABLE, output: "import * as tls from 'node:tls';\nexport const server = tls.createServer({ key: '', cert: '', keepAlive: true, keepAliveInitialDelay: 60000 }, (c) => { c.on('error', () => {}); });\n" }],
        },
      ],
      name: 'tls.createServer',
    },
    {
      code: "import net from 'node:net';\nexport function open(): net.Socket {\n  const s = net.createConnection(5432, 'db');\n  s.on('error', (e) => console.error(e));\n  return s;\n}\n",
      output: null,
      errors: [
        {
          messageId: MISSING,
          line: 3,
          column: 17,
          endLine: 3,
          endColumn: 33,
          suggestions: [{ messageId: ENABLE, output: "import net from 'node:net';\nexport function open(): net.Socket {\n  const s = net.createConnection(5432, 'db');\n  s.setKeepAlive(true, 60000);\n  s.on('error', (e) => console.error(e));\n  return s;\n}\n" }],
        },
      ],
      name: 'a socket returned with its type, from a factory',
    },
    {
      code: "import type { Socket } from 'node:net';\nexport function reconnect(socket: Socket, port: number): void {\n  socket.on('error', (e) => console.error(e));\n  socket.connect(port, 'db.internal');\n}\n",
      output: null,
      errors: [
        {
          messageId: MISSING,
          line: 4,
          column: 10,
          endLine: 4,
          endColumn: 17,
          suggestions: [{ messageId: ENABLE, output: "import type { Socket } from 'node:net';\nexport function reconnect(socket: Socket, port: number): void {\n  socket.on('error', (e) => console.error(e));\n  socket.connect(port, 'db.internal').setKeepAlive(true, 60000);\n}\n" }],
        },
      ],
      name: 'socket.connect on a net.Socket of any origin: only the type checker can tell',
    },
  ],
});
