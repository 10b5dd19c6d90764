/**
 * The three faces agree on the multi-file projects of fixtures/ts/project/: `ka-codemod` run on a
 * project (its JSON report, and `fix --dry-run` applied to a copy), the ESLint rule (with
 * `crossFile`) and the jscodeshift transform (as it runs by default), run one file at a time over
 * the same project. Same sites (line, column, verdict) and, per file, the same rewritten bytes.
 * The single-file faces see the other files of the package through the engine (analyzeTsSource
 * with `scope: 'package'`), never on their own.
 */
import { execFileSync } from 'node:child_process';
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Linter } from 'eslint';
import type { API } from 'jscodeshift';
import { afterAll, describe, expect, it } from 'vitest';
import { isFlagged, isUnknown, type Site } from '@ka-codemod/core';
import { TS_EXTENSIONS } from '@ka-codemod/ts/constants';
import { main } from '../packages/cli/src/index.js';
import { configFor } from '../rules/test/support/lint.js';
import transform from '../transforms/keepalive.js';
import { TS_FIXTURES } from './helpers/ts-fixtures.js';

const PROJECTS = path.join(TS_FIXTURES, 'project');
const projects = readdirSync(PROJECTS, { withFileTypes: true }).filter((e) => e.isDirectory()).map((e) => e.name).sort();

async function cli(argv: string[], cwd: string) {
  let stdout = '';
  let stderr = '';
  const code = await main(argv, { cwd, env: {}, stdout: { write: (s: string) => (stdout += s) }, stderr: { write: (s: string) => (stderr += s) } });
  return { code, stdout, stderr };
}

/** The project's source files, `/`-separated and relative to it (no package has node_modules or ignored files). */
function sourceFiles(root: string): string[] {
  return (readdirSync(root, { recursive: true, encoding: 'utf8' }) as string[])
    .filter((f) => TS_EXTENSIONS.some((e) => f.endsWith(e)))
    .map((f) => f.split(path.sep).join('/'))
    .sort();
}

/** A site as all three faces can state it: where, and the verdict. */
const brief = (s: Pick<Site, 'line' | 'column' | 'endLine' | 'endColumn' | 'call' | 'tcp' | 'keepalive'>) => `${s.line}:${s.column}-${s.endLine}:${s.endColumn} ${s.call} ${s.tcp}/${s.keepalive}`;

/** What the ESLint rule reports of a site (flagged ones, and unknown ones under reportUnknown). */
const reported = (s: Site) => `${s.line}:${s.column}-${s.endLine}:${s.endColumn} ${isUnknown(s) ? 'unknownKeepalive' : 'missingKeepalive'}`;

function fakeApi(): { api: API; counts: Map<string, number> } {
  const counts = new Map<string, number>();
  const j = createRequire(import.meta.url)('jscodeshift') as API['jscodeshift'];
  const stats = (name: string, quantity = 1) => counts.set(name, (counts.get(name) ?? 0) + quantity);
  return { api: { j, jscodeshift: j, stats, report: () => undefined }, counts };
}

const scratch = mkdtempSync(path.join(tmpdir(), 'ka-faces-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe('the CLI, the ESLint rule and the jscodeshift transform agree on fixtures/ts/project', () => {
  it('has multi-file projects with sites that only other files explain', () => {
    expect(projects).toEqual(expect.arrayContaining(['barrel', 'cross-file', 'field-across-files', 'promise-as-callback', 'reexport', 'typed']));
  });

  it.each(projects)('%s', async (name) => {
    const root = path.join(PROJECTS, name);
    const files = sourceFiles(root);

    // The CLI: its report, and its rewrite (the dry run's diff applied to a copy of the project).
    const audit = await cli(['audit', '--format', 'json', '.'], root);
    expect(audit.code, audit.stderr).toBe(0);
    const sites = (JSON.parse(audit.stdout) as { sites: Site[] }).sites.filter((s) => s.language === 'ts');
    const dry = await cli(['fix', '--dry-run', '.'], root);
    expect(dry.code, dry.stderr).toBe(0);
    const copy = path.join(scratch, name);
    cpSync(root, copy, { recursive: true });
    if (dry.stdout !== '') {
      writeFileSync(path.join(scratch, `${name}.patch`), dry.stdout);
      execFileSync('git', ['apply', '--unsafe-paths', `--directory=${name}`, path.join(scratch, `${name}.patch`)], { cwd: scratch, stdio: 'pipe' });
    }

    const linter = new Linter({ configType: 'flat', cwd: root });
    for (const rel of files) {
      const file = path.join(root, rel);
      const source = readFileSync(file, 'utf8');
      const cliAfter = readFileSync(path.join(copy, rel), 'utf8');
      const own = sites.filter((s) => s.file === rel);
      const where = `${name}/${rel}`;

      // ESLint: one report per flagged (and, asked for, unknown) site, at the CLI's span; `--fix` writes the CLI's bytes.
      const options = { fix: 'autofix' as const, reportUnknown: true, crossFile: true };
      const messages = linter.verify(source, configFor(file, options), file);
      expect(messages.filter((m) => m.ruleId === null), where).toEqual([]);
      const byRule = messages.map((m) => `${m.line}:${m.column}-${m.endLine}:${m.endColumn} ${m.messageId}`);
      expect(byRule, where).toEqual(own.filter((s) => isFlagged(s) || isUnknown(s)).map(reported));
      expect(linter.verifyAndFix(source, configFor(file, options), file).output, where).toBe(cliAfter);

      // jscodeshift: a site count per call, the CLI's rewrite counts, and the CLI's bytes.
      const { api, counts } = fakeApi();
      expect(transform({ path: file, source }, api, {}), where).toBe(cliAfter);
      const perCall = new Map<string, number>();
      for (const s of own) perCall.set(`site ${s.call}`, (perCall.get(`site ${s.call}`) ?? 0) + 1);
      expect(new Map([...counts].filter(([k]) => k.startsWith('site '))), where).toEqual(perCall);
      expect(counts.get('rewritten') ?? 0, where).toBe(cliAfter === source ? 0 : own.filter((s) => isFlagged(s) && s.fix).length);
    }
    // Every verdict, as the faces' engine call states it for each file, is the CLI's.
    const { analyzeTsSource } = await import('@ka-codemod/ts');
    const { DEFAULT_OPTIONS } = await import('@ka-codemod/core');
    const faces = files.flatMap((rel) => {
      const file = path.join(root, rel);
      return analyzeTsSource({ fileName: file, text: readFileSync(file, 'utf8'), options: DEFAULT_OPTIONS, scope: 'package', edits: false }).sites.map((s) => `${rel} ${brief(s)} error:${s.errorHandler}`);
    });
    expect(faces).toEqual(sites.map((s) => `${s.file} ${brief(s)} error:${s.errorHandler}`));
    // typed/ builds a type checker (with @types/node) for each face's call.
  }, 300_000);
});
