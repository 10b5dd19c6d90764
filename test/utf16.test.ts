/**
 * UTF-16 sources (with their byte order mark, as Windows editors save them): the TS/JS engine
 * decodes them and finds their sites; the C engine reads bytes, so a UTF-16 C file is one line,
 * skipped, never a silent "0 sites".
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { main } from '../packages/cli/src/index.js';

const dir = mkdtempSync(path.join(tmpdir(), 'ka-utf16-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function utf16le(text: string): Buffer {
  return Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]);
}

async function run(argv: string[]) {
  let out = '';
  let err = '';
  const io = { cwd: dir, env: {}, stdout: { write: (s: string) => ((out += s), true), isTTY: false }, stderr: { write: (s: string) => ((err += s), true), isTTY: false } };
  const code = await main(argv, io);
  return { code, out, err };
}

describe('UTF-16 sources', () => {
  writeFileSync(path.join(dir, 'client.js'), utf16le("const net = require('net');\nconst s = net.connect(80, 'h');\ns.on('error', () => {});\n"));
  writeFileSync(path.join(dir, 'server.c'), utf16le('#include <sys/socket.h>\nint f(void) { return socket(AF_INET, SOCK_STREAM, 0); }\n'));

  it('JS: decoded and analysed; C: skipped in one line that says why', async () => {
    const r = await run(['audit', '.', '--format', 'json']);
    expect(r.code).toBe(0);
    const json = JSON.parse(r.out);
    expect(json.sites.map((s: { file: string; line: number; keepalive: string }) => `${s.file}:${s.line}:${s.keepalive}`)).toEqual(['client.js:2:no']);
    expect(json.problems).toEqual([{ file: 'server.c', kind: 'encoding', message: 'server.c: UTF-16 text (LE byte order mark); convert it to UTF-8 to audit it; skipped' }]);
    expect(r.err).toBe('server.c: error: UTF-16 text (LE byte order mark); convert it to UTF-8 to audit it; skipped [encoding]\n');
  });

  it('JS: the rewrite keeps the file UTF-16 with its byte order mark', async () => {
    const r = await run(['fix', 'client.js']);
    expect(r.code, r.err).toBe(0);
    const after = readFileSync(path.join(dir, 'client.js'));
    expect([...after.subarray(0, 2)]).toEqual([0xff, 0xfe]);
    expect(after.subarray(2).toString('utf16le')).toMatch(/s\.setKeepAlive\(true, 60000\);/);
  });
});
