/** With type information (a tsconfig, or typescript-eslint's Program) the checker sharpens sites. */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { DEFAULT_OPTIONS } from '@ka-codemod/core';
import { analyzeTsSource, tsEngine } from '@ka-codemod/ts';
import { TS_FIXTURES as FIXTURES } from '../../../test/helpers/ts-fixtures.js';

const typed = path.join(FIXTURES, 'project/typed');
const files = ['pool.ts', 'upgrade.ts', 'hub.ts'].map((f) => path.join(typed, 'src', f));
const brief = (s: { file: string; line: number; call: string; tcp: string; keepalive: string }) => `${s.file}:${s.line} ${s.call} ${s.tcp}/${s.keepalive}`;

describe('type information', () => {
  it('project mode with a tsconfig: sockets and servers of any origin', async () => {
    const r = await tsEngine.analyze({ root: typed, files, options: DEFAULT_OPTIONS });
    expect(r.sites.map(brief)).toEqual([
      "src/hub.ts:15 server.on('connection') maybe/no",
      'src/pool.ts:5 socket.connect yes/no',
      'src/upgrade.ts:6 tls.connect maybe/no',
    ]);
  });

  it('finds the tsconfig.json nearest to each file under the root', async () => {
    const root = path.join(FIXTURES, 'project');
    const r = await tsEngine.analyze({ root, files, options: DEFAULT_OPTIONS });
    expect(r.sites.map(brief)).toEqual([
      "typed/src/hub.ts:15 server.on('connection') maybe/no",
      'typed/src/pool.ts:5 socket.connect yes/no',
      'typed/src/upgrade.ts:6 tls.connect maybe/no',
    ]);
  });

  it('project mode without a tsconfig works syntactically', async () => {
    const root = path.join(typed, 'src');
    const r = await tsEngine.analyze({ root, files, options: DEFAULT_OPTIONS });
    // No checker: a param of unknown type is not known to be a socket; the wrapped stream may be one
    // (it is no in-memory stream we can see), whose keepalive is out of sight: maybe/unknown;
    // the Hub's listener uses setNoDelay, so by syntax alone it looks like a socket server.
    expect(r.sites.map(brief)).toEqual(["hub.ts:11 server.on('connection') maybe/no", 'upgrade.ts:6 tls.connect maybe/unknown']);
  });

  it("analyzeTsSource uses typescript-eslint's Program when given one", () => {
    const options: ts.CompilerOptions = { strict: true, noEmit: true, module: ts.ModuleKind.NodeNext, moduleResolution: ts.ModuleResolutionKind.NodeNext, types: ['node'], typeRoots: [path.resolve(FIXTURES, '../../node_modules/@types')], skipLibCheck: true };
    const program = ts.createProgram({ rootNames: files, options });
    const file = files[0]!;
    const r = analyzeTsSource({ fileName: file, text: readFileSync(file, 'utf8'), options: DEFAULT_OPTIONS, program });
    expect(r.sites.map((s) => [s.line, s.call, s.tcp, s.keepalive, s.errorHandler])).toEqual([[5, 'socket.connect', 'yes', 'no', 'unknown']]);
    expect(r.edits).toEqual([{ start: expect.any(Number), end: expect.any(Number), text: '.setKeepAlive(true, 60000)' }]);
    // Without the program, the same file has no site.
    expect(analyzeTsSource({ fileName: file, text: readFileSync(file, 'utf8'), options: DEFAULT_OPTIONS }).sites).toEqual([]);
  });
});
