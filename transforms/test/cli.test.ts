import { execFile } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { fixtureCases, transformFlags, TS_FIXTURES } from '../../test/helpers/ts-fixtures.js';

const run = promisify(execFile);
/** Real binaries on a shared 2-core machine: allow for load. */
const SLOW = 180_000;
const repo = fileURLToPath(new URL('../../', import.meta.url));
/** A small tree with one file per extension (the ESLint command-line test lints it too). */
const mixed = join(TS_FIXTURES, 'mixed');
const EXTENSIONS = 'js,jsx,mjs,cjs,ts,tsx,mts,cts';

/**
 * The transform as users run it: the real jscodeshift binary, which loads keepalive.ts through babel
 * and the engine from packages/ts/dist through require(esm). `npm test` builds dist/ first.
 */
describe('npx jscodeshift -t transforms/keepalive.ts src/', () => {
  const work = mkdtempSync(join(tmpdir(), 'ka-jscodeshift-'));
  afterAll(() => rmSync(work, { recursive: true, force: true }));

  const cases = fixtureCases(mixed);
  const src = join(work, 'src');
  cpSync(mixed, src, { recursive: true, filter: (from) => !from.endsWith('.json') && !/\.output\./u.test(from) });
  writeFileSync(join(work, 'package.json'), JSON.stringify({ name: 'app', private: true, engines: { node: '>=20' } }));

  // jscodeshift's Babel cache: it shows which files Babel compiled.
  const babelCache = join(work, 'babel-cache.json');

  async function jscodeshift(args: string[]): Promise<string> {
    const { stdout } = await run(
      process.execPath,
      [join(repo, 'node_modules/jscodeshift/bin/jscodeshift.js'), '-t', join(repo, 'transforms/keepalive.ts'), `--extensions=${EXTENSIONS}`, '--cpus=1', ...args, 'src/'],
      { cwd: work, timeout: 120_000, env: { ...process.env, BABEL_CACHE_PATH: babelCache } },
    );
    return stdout;
  }

  it('reports the rewrite with --dry and stats, writing nothing', async () => {
    const before = readdirSync(src).map((f) => readFileSync(join(src, f), 'utf8'));
    const out = await jscodeshift(['--dry']);
    expect(out).toMatch(/0 errors/u);
    expect(out).toMatch(/rewritten: \d+/u);
    expect(readdirSync(src).map((f) => readFileSync(join(src, f), 'utf8'))).toEqual(before);
    // Babel compiled the transform, and not the engine's dependencies (TypeScript: a minute cold).
    const compiled = readFileSync(babelCache, 'utf8');
    expect(compiled).toContain('transforms/keepalive.ts');
    expect(compiled).not.toContain('node_modules/typescript/');
    expect(compiled).not.toContain('packages/ts/dist/');
  }, SLOW);

  it('rewrites every file to its expected output, and a second run changes nothing', async () => {
    const first = await jscodeshift([]);
    expect(first).toMatch(/0 errors/u);
    // Options that differ per case are exercised by the applyTransform suite; here: the defaults.
    for (const c of cases.filter((x) => Object.keys(x.options).length === 0)) {
      const file = join(src, c.name.slice('mixed/'.length));
      expect(readFileSync(file, 'utf8'), c.name).toBe(readFileSync(c.output, 'utf8'));
    }
    const second = await jscodeshift([]);
    expect(second).toMatch(/0 ok/u);
    expect(second).toMatch(/0 errors/u);
  }, SLOW);

  it("passes a case's options through as command-line flags", async () => {
    const c = cases.find((x) => Object.keys(x.options).length > 0)!;
    const file = join(src, c.name.slice('mixed/'.length));
    writeFileSync(file, readFileSync(c.input));
    await jscodeshift(transformFlags(c.options));
    expect(readFileSync(file, 'utf8')).toBe(readFileSync(c.output, 'utf8'));
  }, SLOW);
});
