/**
 * Rewritten TypeScript still type-checks with @types/node 20 (the repo's), strict: the engine must
 * never emit a keepAlive option where the types reject it (new net.Socket({ keepAlive }),
 * tls.connect({ keepAlive })).
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { fixtureCases } from '../../../test/helpers/ts-fixtures.js';

const repo = fileURLToPath(new URL('../../../', import.meta.url));
const JSX_SHIM = path.join(repo, 'fixtures/ts/__jsx-shim__.d.ts');

describe('rewritten TS fixtures type-check with @types/node 20', () => {
  const outputs = fixtureCases().map((c) => c.output).filter((f) => /\.(ts|mts|cts|tsx)$/.test(f) && !f.includes('syntax-error'));

  it('uses @types/node 20', () => {
    const pkg = JSON.parse(readFileSync(path.join(repo, 'node_modules/@types/node/package.json'), 'utf8')) as { version: string };
    expect(pkg.version.startsWith('20.')).toBe(true);
  });

  it('has TS outputs to check', () => {
    expect(outputs.length).toBeGreaterThan(8);
  });

  it('reports no type errors', () => {
    const options: ts.CompilerOptions = {
      strict: true,
      noEmit: true,
      target: ts.ScriptTarget.ES2022,
      module: ts.ModuleKind.NodeNext,
      moduleResolution: ts.ModuleResolutionKind.NodeNext,
      esModuleInterop: true,
      skipLibCheck: true,
      jsx: ts.JsxEmit.Preserve,
      types: ['node'],
      typeRoots: [path.join(repo, 'node_modules/@types')],
    };
    const host = ts.createCompilerHost(options);
    const readFile = host.readFile.bind(host);
    // JSX without React: intrinsic elements typed loosely, so only the socket code is judged.
    host.readFile = (f) => (f === JSX_SHIM ? 'declare namespace JSX { interface IntrinsicElements { [name: string]: unknown } type Element = unknown; }' : readFile(f));
    const fileExists = host.fileExists.bind(host);
    host.fileExists = (f) => f === JSX_SHIM || fileExists(f);
    const program = ts.createProgram({ rootNames: [...outputs, JSX_SHIM], options, host });
    const diagnostics = ts.getPreEmitDiagnostics(program).map((d) => {
      const where = d.file ? `${path.relative(repo, d.file.fileName)}:${d.file.getLineAndCharacterOfPosition(d.start ?? 0).line + 1}` : '';
      return `${where} ${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`;
    });
    expect(diagnostics).toEqual([]);
    expect(existsSync(JSX_SHIM)).toBe(false);
  });
});
