import { describe, expect, it } from 'vitest';
import { DEFAULT_OPTIONS, type Site } from '@ka-codemod/core';
import { analyzeTsSource } from '@ka-codemod/ts';

/** The text a site's span covers: from line/column to endLine/endColumn (1-based, end exclusive). */
function spanText(text: string, site: Site): string {
  const lines = text.split('\n');
  const offset = (line: number, column: number) => lines.slice(0, line - 1).reduce((n, l) => n + l.length + 1, 0) + column - 1;
  return text.slice(offset(site.line, site.column), offset(site.endLine, site.endColumn));
}

function spans(text: string): string[] {
  const sites = analyzeTsSource({ fileName: '/virtual/a.js', text, options: DEFAULT_OPTIONS, nodeRange: '>=20' }).sites;
  return sites.map((s) => spanText(text, s));
}

describe('Site.endLine/endColumn: the span of the call\'s name', () => {
  it('is the called name, not the receiver or the arguments', () => {
    expect(spans("const net = require('net');\nconst s = net.connect({\n  port: 1,\n});\n")).toEqual(['connect']);
    expect(spans("const { createConnection: dial } = require('net');\ndial(1);\n")).toEqual(['dial']);
  });
  it('is `new X` for a construction, without its arguments', () => {
    expect(spans("const net = require('net');\nconst s = new net.Socket({ allowHalfOpen: true });\ns.connect(1);\n")).toEqual(['new net.Socket']);
    expect(spans("const net = require('net');\nconst s = new net.Socket;\ns.connect(1);\n")).toEqual(['new net.Socket']);
  });
  it("is the event name of server.on('connection')", () => {
    expect(spans("module.exports = function attach(server) {\n  server.on('connection', (socket) => {\n    socket.setNoDelay(true);\n  });\n};\n")).toEqual(["'connection'"]);
  });
  it('stays on the line of the name when a chain is split over lines', () => {
    const text = "const net = require('net');\nnet\n  .createServer((c) => c.end())\n  .listen(1);\n";
    const [site] = analyzeTsSource({ fileName: '/virtual/a.js', text, options: DEFAULT_OPTIONS, nodeRange: '>=20' }).sites;
    expect(site).toMatchObject({ line: 3, column: 4, endLine: 3, endColumn: 16 });
  });
  it('is the name inside compiler interop, `(0, net.connect)(...)`', () => {
    expect(spans("const net = require('net');\n(0, net.connect)(1);\n")).toEqual(['connect']);
  });
});
