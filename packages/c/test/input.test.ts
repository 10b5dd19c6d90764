/** Input as it comes: bytes that are not UTF-8, CRLF, unreadable files, files that cannot matter. */
import { mkdtempSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFAULT_OPTIONS } from '@ka-codemod/core';
import { analyzeC } from '@ka-codemod/c';

function project(files: Record<string, string | Buffer>): { root: string; files: string[] } {
  const root = mkdtempSync(path.join(tmpdir(), 'ka-c-'));
  for (const [name, content] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(root, name)), { recursive: true });
    writeFileSync(path.join(root, name), content);
  }
  return { root, files: Object.keys(files).map((f) => path.join(root, f)).sort() };
}

describe('input as it comes', () => {
  it('keeps byte offsets exact after non-UTF-8 bytes and CRLF', async () => {
    const before = Buffer.from('/* \xe9\xe8\xff */\r\nint f(void) {\r\n  return socket(AF_INET, SOCK_STREAM, 0);\r\n}\r\n', 'latin1');
    const { root, files } = project({ 'a.c': before });
    const a = await analyzeC({ root, files, options: DEFAULT_OPTIONS });
    expect(a.result.sites).toHaveLength(1);
    const site = a.result.sites[0]!;
    expect([site.line, site.column]).toEqual([3, 10]);
    const target = a.targets[0]!;
    expect(before.subarray(target.callStartByte, target.callEndByte).toString('latin1')).toBe('socket(AF_INET, SOCK_STREAM, 0)');
  });

  it('reads past a UTF-8 byte order mark without a parse error, offsets unchanged', async () => {
    const bytes = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('int f(void) { return socket(AF_INET, SOCK_STREAM, 0); }\n')]);
    const { root, files } = project({ 'bom.c': bytes });
    const a = await analyzeC({ root, files, options: DEFAULT_OPTIONS });
    expect(a.result.problems).toEqual([]);
    const t = a.targets[0]!;
    expect(bytes.subarray(t.callStartByte, t.callEndByte).toString('latin1')).toBe('socket(AF_INET, SOCK_STREAM, 0)');
  });

  it('reports an unreadable file and goes on', async () => {
    const { root, files } = project({ 'ok.c': 'int f(void) { return socket(AF_INET, SOCK_STREAM, 0); }\n' });
    const missing = path.join(root, 'gone.c');
    mkdirSync(path.join(root, 'dir.c'));
    const a = await analyzeC({ root, files: [...files, missing, path.join(root, 'dir.c')], options: DEFAULT_OPTIONS });
    expect(a.result.sites).toHaveLength(1);
    expect(a.result.problems.map((p) => [p.file, p.kind])).toEqual([
      ['dir.c', 'unreadable'],
      ['gone.c', 'unreadable'],
    ]);
  });

  it('skips a binary file with a C name and says so', async () => {
    const { root, files } = project({
      'blob.c': Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0, 0, 0x73, 0x6f, 0x63, 0x6b, 0x65, 0x74, 0x28]),
      'ok.c': 'int f(void) { return socket(AF_INET, SOCK_STREAM, 0); }\n',
    });
    const a = await analyzeC({ root, files, options: DEFAULT_OPTIONS });
    expect(a.result.sites.map((s) => s.file)).toEqual(['ok.c']);
    expect(a.result.problems.map((p) => [p.file, p.kind])).toEqual([['blob.c', 'binary']]);
  });

  it('reports progress as files are read', async () => {
    const { root, files } = project({ 'a.c': 'int a;\n', 'b.c': 'int b;\n', 'c.c': 'int c;\n' });
    const seen: Array<[number, number]> = [];
    await analyzeC({ root, files, options: DEFAULT_OPTIONS, onProgress: (done, total) => seen.push([done, total]) });
    expect(seen.at(-1)).toEqual([3, 3]);
  });

  it('parses only the files that can matter', async () => {
    const { root, files } = project({
      'net.c': 'int f(void) { return socket(AF_INET, SOCK_STREAM, 0); }\n',
      'math.c': 'int add(int a, int b) { return a + b; }\n',
      'notes.c': '/* we accept patches */ int g(void) { return 1; }\n',
    });
    const a = await analyzeC({ root, files, options: DEFAULT_OPTIONS });
    expect(a.result.stats.filesRead).toBe(3);
    expect(a.result.stats.filesParsed).toBe(1);
  });

  it('reads callers in other files when a helper needs them, and nothing else', async () => {
    const { root, files } = project({
      'sock.c': 'int open_sock(int family) { return socket(family, SOCK_STREAM, 0); }\n',
      'main.c': 'int main(void) { return open_sock(AF_UNIX); }\n',
      'other.c': 'int unrelated(void) { return 3; }\n',
    });
    const a = await analyzeC({ root, files, options: DEFAULT_OPTIONS });
    expect(a.result.sites.map((s) => [s.tcp, s.keepalive])).toEqual([['no', 'n/a']]);
    expect(a.result.stats.filesParsed).toBe(2);
  });
});
