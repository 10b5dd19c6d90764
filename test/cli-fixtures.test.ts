/**
 * The CLI end to end on the shared fixtures, with the real engines: `ka-codemod fix` must write
 * exactly what the engine planned (whether that matches each case's expected output is the
 * engine's own test; here the CLI's reading, option passing and writing are on trial);
 * `--dry-run` must print a diff that `git apply` turns into the same bytes; and `audit fixtures`
 * (the README's front door) must print the whole contract.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { cEngine } from '@ka-codemod/c';
import { tsEngine } from '@ka-codemod/ts';
import { DEFAULT_OPTIONS, type KeepaliveOptions } from '@ka-codemod/core';
import { main } from '../packages/cli/src/index.js';
import { sarifValidator } from './sarif-schema.js';
import { skipWithout } from './helpers/system-tools.js';
import { cliFlags, engineOptions, fixtureCases, TS_FIXTURES } from './helpers/ts-fixtures.js';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const C_CASES = path.join(repo, 'fixtures/c/rewrite');

async function cli(argv: string[], cwd: string) {
  let stdout = '';
  let stderr = '';
  const code = await main(argv, { cwd, env: {}, stdout: { write: (s: string) => (stdout += s) }, stderr: { write: (s: string) => (stderr += s) } });
  return { code, stdout, stderr };
}

/** C engine options of a case (fixtures/c/rewrite/<case>/case.json), as the command-line flags a user would type. */
function flags(options: Record<string, unknown> | undefined): string[] {
  const map: Record<string, string> = {
    idleSeconds: '--idle',
    intervalSeconds: '--interval',
    count: '--count',
    userTimeoutMs: '--user-timeout',
    onError: '--on-error',
    toggle: '--toggle',
  };
  return Object.entries(options ?? {}).flatMap(([k, v]) => {
    if (!map[k]) throw new Error(`fixture option ${k} has no command-line flag`);
    return [map[k], String(v)];
  });
}

const cCases = existsSync(C_CASES) ? readdirSync(C_CASES).filter((d) => existsSync(path.join(C_CASES, d, 'expected.c'))) : [];
const tsCases = fixtureCases(path.join(TS_FIXTURES, 'rewrite')).filter((c) => !c.noTransform);

describe('ka-codemod fix on fixtures/c/rewrite', () => {
  it.each(cCases)('%s', async (name) => {
    const dir = mkdtempSync(path.join(tmpdir(), `ka-fix-c-${name}-`));
    copyFileSync(path.join(C_CASES, name, 'input.c'), path.join(dir, 'input.c'));
    // the case's own project headers travel with it
    const headers = readdirSync(path.join(C_CASES, name)).filter((f) => f.endsWith('.h'));
    for (const h of headers) copyFileSync(path.join(C_CASES, name, h), path.join(dir, h));
    const spec = JSON.parse(readFileSync(path.join(C_CASES, name, 'case.json'), 'utf8')) as { options?: Record<string, unknown> };
    const dry = await cli(['fix', '--dry-run', ...flags(spec.options), '.'], dir);
    expect(dry.code, dry.stderr).toBe(0);
    const r = await cli(['fix', '--force', ...flags(spec.options), '.'], dir);
    expect(r.code, r.stderr).toBe(0);
    const before = readFileSync(path.join(C_CASES, name, 'input.c'));
    const options = { ...DEFAULT_OPTIONS, ...(spec.options as Partial<KeepaliveOptions>) };
    const plan = await cEngine.plan({ root: path.join(C_CASES, name), files: [path.join(C_CASES, name, 'input.c')], options });
    const expected = plan.files[0]?.after ?? before;
    expect(readFileSync(path.join(dir, 'input.c')).toString('latin1')).toBe(expected.toString('latin1'));
    expect(r.stdout).toMatch(plan.files.length ? /1 file changed/ : /0 files changed/);
    // the dry run's diff, applied to the input, gives the same bytes
    const fresh = mkdtempSync(path.join(tmpdir(), `ka-apply-${name}-`));
    copyFileSync(path.join(C_CASES, name, 'input.c'), path.join(fresh, 'input.c'));
    for (const h of headers) copyFileSync(path.join(C_CASES, name, h), path.join(fresh, h));
    writeFileSync(path.join(fresh, 'k.patch'), dry.stdout);
    if (dry.stdout) execFileSync('git', ['apply', 'k.patch'], { cwd: fresh, stdio: 'pipe' });
    expect(readFileSync(path.join(fresh, 'input.c')).equals(expected)).toBe(true);
  });
});

describe('ka-codemod fix on fixtures/ts/rewrite', () => {
  it.each(tsCases.map((c) => [c.name, c] as const))('%s', async (_name, c) => {
    const file = path.basename(c.input);
    const dir = mkdtempSync(path.join(tmpdir(), `ka-fix-ts-${file}-`));
    copyFileSync(path.join(TS_FIXTURES, 'package.json'), path.join(dir, 'package.json'));
    copyFileSync(c.input, path.join(dir, file));
    const planned = await tsEngine.plan({ root: dir, files: [path.join(dir, file)], options: engineOptions(c.options) });
    const r = await cli(['fix', '--force', ...cliFlags(c.options), '.'], dir);
    expect(r.code, r.stderr).toBe(0);
    // exactly the engine's plan (whether it matches the case's .output file is the TS engine's own test)
    expect(readFileSync(path.join(dir, file), 'utf8')).toBe((planned.files[0]?.after ?? readFileSync(c.input)).toString('utf8'));
    expect(planned.files.length).toBe(1);
  });
});

describe('ka-codemod audit fixtures (the README front door)', () => {
  it('--format json: every site of both languages in the DESIGN.md vocabulary, exit 0', async () => {
    const r = await cli(['audit', 'fixtures', '--format', 'json'], repo);
    expect(r.code, r.stderr).toBe(0);
    const report = JSON.parse(r.stdout);
    expect(report).toMatchObject({ version: 1, root: '.' });
    const langs = new Set(report.sites.map((s: { language: string }) => s.language));
    expect([...langs].sort()).toEqual(['c', 'ts']);
    for (const s of report.sites) {
      expect(s.file).not.toMatch(/^\/|\\/);
      expect(s.line).toBeGreaterThan(0);
      expect(s.column).toBeGreaterThan(0);
      expect(['yes', 'no', 'maybe']).toContain(s.tcp);
      expect(['yes', 'no', 'conditional', 'unknown', 'n/a']).toContain(s.keepalive);
      expect(typeof s.how).toBe('string');
      expect(Array.isArray(s.tuning)).toBe(true);
      expect(typeof s.fixable).toBe('boolean');
    }
    expect(report.summary.sites).toBe(report.sites.length);
    expect(report.summary.timeToNotice.sites).toHaveLength(report.sites.length);
  });

  it('--format sarif on the real engines\' output is valid SARIF 2.1.0 with fixes', async () => {
    const r = await cli(['audit', 'fixtures', '--format', 'sarif'], repo);
    expect(r.code, r.stderr).toBe(0);
    const log = JSON.parse(r.stdout);
    const validate = sarifValidator();
    validate(log);
    expect(validate.errors ?? []).toEqual([]);
    const results = log.runs[0].results as { fixes?: unknown[]; locations: { physicalLocation: { artifactLocation: { uri: string } } }[] }[];
    expect(results.length).toBeGreaterThan(0);
    expect(results.some((x) => x.fixes?.length)).toBe(true);
    for (const x of results) expect(x.locations[0]!.physicalLocation.artifactLocation.uri).toMatch(/^fixtures\//);
  });

  const bundle = path.join(repo, 'packages/cli/bundle/ka-codemod.js');
  it.skipIf(skipWithout(existsSync(bundle), 'the CLI bundle (npm run build)'))('the README quick start: the built binary audits the bundled example in one screen', () => {
    const readme = readFileSync(path.join(repo, 'README.md'), 'utf8');
    const quickStart = /## Quick start[\s\S]*?```sh\n(.*)\n```/.exec(readme)?.[1];
    expect(quickStart).toBe('npm ci && npx ka-codemod audit examples/chat');
    const r = spawnSync(process.execPath, [path.join(repo, 'packages/cli/bin/ka-codemod.js'), 'audit', 'examples/chat'], { cwd: repo, encoding: 'utf8', timeout: 120_000, env: { ...process.env, NO_COLOR: '1' } });
    expect(r.status, r.stderr).toBe(0);
    expect(r.stderr).toBe('');
    expect(r.stdout).toMatch(/^ka-codemod audit — 6 socket creation sites in 3 files under examples\/chat\n/);
    expect(r.stdout).toMatch(/\nSummary\n/);
    expect(r.stdout).toMatch(/\nRecommendation\n/);
    // every verdict a newcomer should meet: with, without, not TCP; C and JS
    expect(r.stdout).toMatch(/c\/client\.c:\d+:\d+ +socket in dial +yes +no +never/);
    expect(r.stdout).toMatch(/c\/server\.c:\d+:\d+ +accept in main +yes +yes/);
    expect(r.stdout).toMatch(/c\/server\.c:\d+:\d+ +socket in listen_control +no +n\/a/);
    expect(r.stdout).toMatch(/node\/server\.js:\d+:\d+ +net\.createConnection +yes +no +never/);
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines.length).toBeLessThanOrEqual(42);
    for (const line of lines) expect(line.length, line).toBeLessThanOrEqual(80);
    const help = spawnSync(process.execPath, [path.join(repo, 'packages/cli/bin/ka-codemod.js'), '--help'], { encoding: 'utf8' });
    expect(help.status).toBe(0);
    expect(help.stdout).toMatch(/Exit codes:/);
  });

  it.skipIf(skipWithout(existsSync(bundle), 'the CLI bundle (npm run build)'))('the bin (the bundle) answers exactly as the modules it is built from, worker thread included', () => {
    // a stale or mis-bundled bin would differ here: same JSON report, with the C engine on two
    // threads. Both engines and the worker are in play with two fixture folders; every fixture
    // again would only repeat what the fixture suites pin, at four times the cost.
    const run = (entry: string) => spawnSync(process.execPath, [entry, 'audit', '--format', 'json', '--jobs', '2', 'fixtures/c/audit', 'fixtures/ts/mixed'], { cwd: repo, encoding: 'utf8', timeout: 120_000 });
    const fromBin = run(path.join(repo, 'packages/cli/bin/ka-codemod.js'));
    const fromModules = run(path.join(repo, 'packages/cli/dist/bin.js'));
    expect(fromBin.status, fromBin.stderr).toBe(0);
    expect(fromModules.status, fromModules.stderr).toBe(0);
    const report = (out: string) => {
      const r = JSON.parse(out) as { stats?: unknown };
      delete r.stats;
      return r;
    };
    expect(report(fromBin.stdout)).toEqual(report(fromModules.stdout));
    const sites = (JSON.parse(fromBin.stdout) as { sites: { language: string }[] }).sites;
    expect(sites.length).toBeGreaterThan(100);
    expect(new Set(sites.map((s) => s.language))).toEqual(new Set(['c', 'ts']));
  });
});
