import { execFile } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { analyzeTsSource } from '@ka-codemod/ts';
import { DEFAULT_OPTIONS, isFlagged } from '@ka-codemod/core';
import { fixtureCases, TS_FIXTURES } from '../../test/helpers/ts-fixtures.js';

const run = promisify(execFile);
/** Real binaries on a shared 2-core machine: allow for load. */
const SLOW = 180_000;
const repo = fileURLToPath(new URL('../../', import.meta.url));
/** A small tree with one file per extension, which the jscodeshift command-line test rewrites too. */
const mixed = join(TS_FIXTURES, 'mixed');
const eslintBin = join(repo, 'node_modules/.bin/eslint');
const pluginUrl = pathToFileURL(join(repo, 'rules/dist/index.js')).href;
const parserUrl = pathToFileURL(createRequire(import.meta.url).resolve('@typescript-eslint/parser')).href;

interface JsonMessage {
  ruleId: string | null;
  messageId?: string;
  message: string;
  line: number;
  fatal?: boolean;
  fix?: unknown;
  suggestions?: { desc: string; fix: { range: [number, number]; text: string } }[];
}
interface JsonResult {
  filePath: string;
  messages: JsonMessage[];
}

/** Flagged sites per file, as the engine counts them (the rule must report each once). */
const EXPECTED_REPORTS: Record<string, number> = Object.fromEntries(
  fixtureCases(mixed).map((c) => [c.name.slice('mixed/'.length), analyzeTsSource({ fileName: c.input, text: readFileSync(c.input, 'utf8'), options: DEFAULT_OPTIONS }).sites.filter(isFlagged).length]),
);

function config(ruleOptions: Record<string, unknown>): string {
  return `import keepalive from ${JSON.stringify(pluginUrl)};
import tsParser from ${JSON.stringify(parserUrl)};

const rule = { 'keepalive/require-keepalive': ['error', ${JSON.stringify(ruleOptions)}] };
export default [
  // Plain JS through espree, ESLint's default parser.
  { files: ['**/*.js', '**/*.mjs', '**/*.cjs'], plugins: { keepalive }, rules: rule },
  // TS with type information through the project service.
  {
    files: ['**/*.ts', '**/*.tsx', '**/*.mts', '**/*.cts'],
    languageOptions: {
      parser: tsParser,
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname, ecmaFeatures: { jsx: true } },
    },
    plugins: { keepalive },
    rules: rule,
  },
];
`;
}

/** The real `eslint` binary with a flat config on fixture files, as CI runs it. `npm test` builds dist/ first. */
describe('eslint binary with keepalive/require-keepalive', () => {
  const work = mkdtempSync(join(tmpdir(), 'ka-eslint-'));
  afterAll(() => rmSync(work, { recursive: true, force: true }));
  cpSync(mixed, join(work, 'src'), { recursive: true, filter: (from) => !from.endsWith('.json') && !/\.output\./u.test(from) });
  writeFileSync(join(work, 'package.json'), JSON.stringify({ name: 'app', private: true, type: 'module', engines: { node: '>=20' } }));
  writeFileSync(
    join(work, 'tsconfig.json'),
    JSON.stringify({
      compilerOptions: { target: 'ES2022', module: 'NodeNext', strict: true, jsx: 'react-jsx', noEmit: true, types: ['node'], typeRoots: [join(repo, 'node_modules/@types')] },
      include: ['src'],
    }),
  );

  async function eslint(args: string[]): Promise<JsonResult[]> {
    // ESLint exits 1 when it reports errors; the JSON is on stdout either way.
    const result = await run(eslintBin, ['--format', 'json', ...args, 'src'], { cwd: work, timeout: 120_000 }).catch(
      (err: { code?: number; stdout?: string; stderr?: string }) => {
        if (err.code !== 1) throw new Error(`eslint failed: ${err.stderr ?? ''}`);
        return { stdout: err.stdout ?? '' };
      },
    );
    return JSON.parse(result.stdout) as JsonResult[];
  }

  it('reports one error per flagged site, each with the engine fix as a suggestion', async () => {
    writeFileSync(join(work, 'eslint.config.js'), config({}));
    const results = await eslint([]);
    const counts = Object.fromEntries(results.map((r) => [r.filePath.slice(join(work, 'src').length + 1), r.messages.length]));
    expect(counts).toEqual(EXPECTED_REPORTS);
    for (const message of results.flatMap((r) => r.messages)) {
      expect(message.fatal).toBeFalsy();
      expect(message.ruleId).toBe('keepalive/require-keepalive');
      expect(message.messageId).toBe('missingKeepalive');
      expect(message.message).toMatch(/get no TCP keepalive/u);
      expect(message.fix).toBeUndefined();
      expect(message.suggestions).toHaveLength(1);
    }
  }, SLOW);

  it("with fix: 'autofix', eslint --fix writes the same rewrite as the jscodeshift transform", async () => {
    writeFileSync(join(work, 'eslint.config.js'), config({ fix: 'autofix' }));
    const results = await eslint(['--fix']);
    expect(results.flatMap((r) => r.messages)).toEqual([]);
    for (const name of Object.keys(EXPECTED_REPORTS).filter((n) => n.includes('.input.') && !n.startsWith('initial-delay'))) {
      const expected = readFileSync(join(mixed, name.replace('.input.', '.output.')), 'utf8');
      expect(readFileSync(join(work, 'src', name), 'utf8'), name).toBe(expected);
    }
  }, SLOW);
});
