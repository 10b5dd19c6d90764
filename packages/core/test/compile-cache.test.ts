/** The CLI's code cache for large CommonJS modules (compile-cache.ts), on a module of its own, one process per run as in use. */
import { execFileSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const tmp = mkdtempSync(path.join(tmpdir(), 'ka-compile-cache-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
const core = pathToFileURL(createRequire(import.meta.url).resolve('@ka-codemod/core')).href;
const moduleFile = path.join(tmp, 'lib', 'mod.js');
mkdirSync(path.dirname(moduleFile));
writeFileSync(moduleFile, "const path = require('node:path');\nmodule.exports = { answer: 42, dir: path.basename(__dirname) };\n");

/** A process that turns the cache on in `cache`, loads the module twice and prints what it got. */
function run(cache: string): { answer: number; dir: string; same: boolean } {
  const script = `import { createRequire } from 'node:module';
import { enableCompileCache, requireCompiled } from ${JSON.stringify(core)};
enableCompileCache(${JSON.stringify(cache)});
const req = createRequire(${JSON.stringify(path.join(tmp, 'lib', 'index.js'))});
const m = requireCompiled(req, './mod.js');
console.log(JSON.stringify({ ...m, same: req('./mod.js') === m }));`;
  const env = { ...process.env };
  delete env['NODE_DISABLE_COMPILE_CACHE'];
  return JSON.parse(execFileSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8', env }));
}

describe('requireCompiled with the cache on', () => {
  const cache = path.join(tmp, 'cache');
  const files = () => readdirSync(cache).filter((f) => f.endsWith('.bin'));

  it('runs the module as Node would, registers it, and writes its cache at exit', () => {
    expect(run(cache)).toEqual({ answer: 42, dir: 'lib', same: true });
    expect(statSync(cache).mode & 0o777).toBe(0o700);
    expect(files()).toHaveLength(1);
  });

  it('uses the cache it wrote (leaves it alone), and rewrites one V8 rejects', () => {
    const written = path.join(cache, files()[0]!);
    const bytes = readFileSync(written);
    expect(run(cache).answer).toBe(42);
    expect(readFileSync(written).equals(bytes)).toBe(true);
    writeFileSync(written, 'not a code cache');
    expect(run(cache).answer).toBe(42);
    expect(readFileSync(written).length).toBeGreaterThan(100);
  });
});

describe.skipIf(process.platform === 'win32' || process.getuid?.() === undefined)('a cache directory others can write', () => {
  it('is not used: requireCompiled is a plain require', () => {
    const open = path.join(tmp, 'open');
    mkdirSync(open, { mode: 0o777 });
    chmodSync(open, 0o777);
    expect(run(open)).toEqual({ answer: 42, dir: 'lib', same: true });
    expect(readdirSync(open)).toEqual([]);
  });
});
