#!/usr/bin/env node
// What keepalive/require-keepalive costs inside a real lint run: the rule's time (ESLint's TIMING=all)
// as a share of the whole lint (wall clock of the eslint process, and the per-file parse+rules+fix
// time from --stats). Target: under 2 %.
//
//   node scripts/bench/eslint-share.mjs [--set base|npm|both] [--runs N] [--js-parser espree|typescript-eslint] [--keep] [--top-files] [DIR ...]
//
// Tree sets (default: both, one eslint run each, both figures printed):
//   base  the public JS corpus (../corpus/js beside the repository) and ESLint's own lib/ (a big
//         real JS code base): 1,860 files.
//   npm   the same plus the npm CLI that ships with Node (`npm root -g`/npm, with its bundled
//         dependencies: undici, agents, socks, real network code), about 1,150 files more.
// DIR arguments replace the sets with one set of those trees.
// --runs N lints each set N times and reports the run with the median share (TIMING is wall clock:
// on a shared machine one run can be off by a third), with every run's share.
// --js-parser typescript-eslint lints JS files with @typescript-eslint/parser too (default: espree,
// ESLint's own): the rule then analyses typescript-eslint's tree instead of parsing the file again.
//
// Trees are copied into a scratch directory (ESLint 10 only lints files under the config's base
// path); only lintable files and package.json (the engine reads engines.node) are copied, and a
// node_modules folder is copied as node_modules_ (ESLint always ignores node_modules).
// --top-files also times the engine alone (analyzeTsSource, as the rule calls it) on every file of
// the last set and prints the ten slowest: where the rule's time goes.
// Needs the built plugin: `npx tsc -b` first.
import { execFile, execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { promisify } from 'node:util';

const run = promisify(execFile);
const repo = fileURLToPath(new URL('../../', import.meta.url));
const require = createRequire(join(repo, 'package.json'));
const RULE = 'keepalive/require-keepalive';
const TARGET_SHARE = 0.02;
const LINTED = /\.(?:[cm]?[jt]s|[jt]sx)$/u;

const args = process.argv.slice(2);
const keep = args.includes('--keep');
const topFiles = args.includes('--top-files');
const valueOf = (flag, fallback) => (args.includes(flag) ? args[args.indexOf(flag) + 1] : fallback);
const setArg = valueOf('--set', 'both');
const jsParser = valueOf('--js-parser', 'espree');
const runs = Math.max(1, Number(valueOf('--runs', '1')) || 1);
const dirs = args.filter((a, i) => !a.startsWith('--') && !['--set', '--js-parser', '--runs'].includes(args[i - 1]));

const corpus = join(repo, '../corpus/js');
const eslintLib = join(repo, 'node_modules/eslint/lib');
const base = { name: 'corpus + eslint/lib', trees: [corpus, eslintLib] };
const withNpm = { name: 'corpus + npm + eslint/lib', trees: [corpus, npmCli(), eslintLib].filter(Boolean) };
const sets = dirs.length > 0 ? [{ name: dirs.join(' + '), trees: dirs }] : setArg === 'base' ? [base] : setArg === 'npm' ? [withNpm] : [base, withNpm];

const pluginPath = join(repo, 'rules/dist/index.js');
if (!existsSync(pluginPath)) {
  console.error('rules/dist/index.js is missing: build first with `npx tsc -b`');
  process.exit(2);
}

const work = mkdtempSync(join(tmpdir(), 'ka-eslint-bench-'));
try {
  const copied = new Map();
  const copyOnce = (tree) => {
    if (!copied.has(tree)) {
      const name = `${copied.size}-${basename(tree)}`;
      copyTree(tree, join(work, name));
      copied.set(tree, name);
    }
    return copied.get(tree);
  };
  writeFileSync(join(work, 'eslint.config.mjs'), configText());
  const shares = [];
  for (const set of sets) {
    const names = [];
    for (const tree of set.trees) {
      if (existsSync(tree)) names.push(copyOnce(tree));
      else console.error(`skipping ${tree}: not found`);
    }
    const all = [];
    for (let i = 0; i < runs; i++) all.push(await lintOnce(names));
    all.sort((a, b) => a.share - b.share);
    const r = all[Math.floor((all.length - 1) / 2)];
    shares.push([set.name, r.share]);
    console.log(`== ${set.name}${jsParser === 'espree' ? '' : ` (JS parsed by ${jsParser})`}${runs > 1 ? ` (median of ${runs} runs: ${all.map((x) => pct(x.share)).join(', ')})` : ''}`);
    console.log(`trees:            ${set.trees.join(', ')}`);
    console.log(`files linted:     ${r.files} (${r.unparsed} with parse errors: no rule ran on them)`);
    console.log(`${RULE} reports: ${r.reports} (${r.notAnalysed} of them: file not analysed, e.g. minified)`);
    console.log(`rule time:        ${r.ruleMs.toFixed(1)} ms (TIMING=all)`);
    console.log(`all rules:        ${r.allRulesMs.toFixed(1)} ms; rule's share of rule time ${pct(r.ruleMs / r.allRulesMs)}`);
    console.log(`lint time:        ${r.lintMs.toFixed(1)} ms (sum of per-file parse+rules+fix, --stats)`);
    console.log(`wall clock:       ${r.wallMs.toFixed(1)} ms (whole eslint process)`);
    console.log(`rule share:       ${pct(r.share)} of lint time, ${pct(r.ruleMs / r.wallMs)} of wall clock (target < ${pct(TARGET_SHARE)})`);
  }
  if (shares.length > 1) console.log(`== shares: ${shares.map(([n, s]) => `${n} ${pct(s)}`).join('; ')}`);
  if (topFiles) await printTopFiles(work, sets[sets.length - 1].trees.filter((t) => copied.has(t)).map((t) => copied.get(t)));
  process.exitCode = shares.every(([, s]) => s < TARGET_SHARE) ? 0 : 1;
} finally {
  if (keep) console.log(`kept ${work}`);
  else rmSync(work, { recursive: true, force: true });
}

/** One eslint process over these folders of the scratch directory. */
async function lintOnce(names) {
  const started = process.hrtime.bigint();
  const result = await run(
    join(repo, 'node_modules/.bin/eslint'),
    ['-c', 'eslint.config.mjs', '--stats', '--format', 'json', '--output-file', 'report.json', '--no-warn-ignored', ...names],
    { cwd: work, env: { ...process.env, TIMING: 'all' }, maxBuffer: 64 * 1024 * 1024 },
  ).catch((err) => {
    // Exit code 1 only means problems were found.
    if (err.code !== 1) throw err;
    return err;
  });
  const wallMs = Number(process.hrtime.bigint() - started) / 1e6;
  const timing = parseTiming(result.stdout);
  const ruleMs = timing.get(RULE) ?? 0;
  const allRulesMs = [...timing.values()].reduce((a, b) => a + b, 0);
  const report = JSON.parse(readFileSync(join(work, 'report.json'), 'utf8'));
  let lintMs = 0;
  let reports = 0;
  let notAnalysed = 0;
  let unparsed = 0;
  for (const file of report) {
    if (file.messages.some((m) => m.fatal)) unparsed++;
    for (const pass of file.stats?.times?.passes ?? []) lintMs += pass.total ?? 0;
    const ours = file.messages.filter((m) => m.ruleId === RULE);
    reports += ours.length;
    notAnalysed += ours.filter((m) => m.messageId === 'notAnalysed').length;
  }
  return { files: report.length, unparsed, reports, notAnalysed, ruleMs, allRulesMs, lintMs, wallMs, share: ruleMs / lintMs };
}

/** The npm CLI that ships with Node: `npm root -g`/npm, else beside the node binary. */
function npmCli() {
  try {
    const root = execFileSync('npm', ['root', '-g'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
    if (existsSync(join(root, 'npm'))) return join(root, 'npm');
  } catch {
    // no npm on PATH: try the prefix of this node
  }
  const beside = join(dirname(dirname(process.execPath)), 'lib/node_modules/npm');
  return existsSync(beside) ? beside : null;
}

/** Lintable files and package.json files of a tree; node_modules becomes node_modules_; symlinks skipped. */
function copyTree(from, to) {
  for (const entry of readdirSync(from, { withFileTypes: true })) {
    const src = join(from, entry.name);
    if (entry.isDirectory()) copyTree(src, join(to, entry.name === 'node_modules' ? 'node_modules_' : entry.name));
    else if (entry.isFile() && (LINTED.test(entry.name) || entry.name === 'package.json')) {
      mkdirSync(to, { recursive: true });
      copyFileSync(src, join(to, entry.name));
    }
  }
}

/** The engine alone, file by file, the way the rule calls it: a first pass, then a timed warm pass. */
async function printTopFiles(root, dirs) {
  const { analyzeTsSource } = await import(pathToFileURL(join(repo, 'packages/ts/dist/index.js')).href);
  const { DEFAULT_OPTIONS } = await import(pathToFileURL(join(repo, 'packages/core/dist/index.js')).href);
  const files = [];
  for (const dir of dirs) {
    for (const entry of readdirSync(join(root, dir), { recursive: true, withFileTypes: true })) {
      if (entry.isFile() && /\.[cm]?[jt]sx?$/u.test(entry.name)) files.push(join(entry.parentPath, entry.name));
    }
  }
  const texts = files.map((f) => readFileSync(f, 'utf8').replace(/^\uFEFF/u, ''));
  const once = (i) => analyzeTsSource({ fileName: files[i], text: texts[i], options: DEFAULT_OPTIONS });
  const coldStart = performance.now();
  for (let i = 0; i < files.length; i++) once(i);
  const coldMs = performance.now() - coldStart;
  const rows = [];
  let total = 0;
  for (let i = 0; i < files.length; i++) {
    const t = performance.now();
    once(i);
    const ms = performance.now() - t;
    total += ms;
    rows.push([ms, files[i].slice(root.length + 1), texts[i].length]);
  }
  rows.sort((a, b) => b[0] - a[0]);
  console.log(`engine alone:     ${coldMs.toFixed(1)} ms first pass (as in a lint run), ${total.toFixed(1)} ms warm, ${files.length} files; slowest (warm):`);
  for (const [ms, file, size] of rows.slice(0, 10)) console.log(`  ${ms.toFixed(1).padStart(8)} ms  ${String(size).padStart(8)} chars  ${file}`);
}

function pct(x) {
  return `${(100 * x).toFixed(2)} %`;
}

/** ESLint's TIMING table: `rule | time (ms) | relative` rows. */
function parseTiming(stdout) {
  const times = new Map();
  for (const line of stdout.split('\n')) {
    const m = /^\s*(\S+)\s*\|\s*([\d.]+)\s*\|\s*[\d.]+%\s*$/u.exec(line);
    if (m) times.set(m[1], Number(m[2]));
  }
  return times;
}

/**
 * A realistic lint: ESLint's recommended core rules everywhere, typescript-eslint's recommended
 * rules on TS, and the plugin's recommended config.
 */
function configText() {
  const url = (p) => JSON.stringify(pathToFileURL(p).href);
  return `import keepalive from ${url(pluginPath)};
import tseslint from ${url(require.resolve('typescript-eslint'))};
import { builtinRules } from ${url(require.resolve('eslint/use-at-your-own-risk'))};

const recommended = Object.fromEntries(
  [...builtinRules].filter(([, rule]) => rule.meta?.docs?.recommended && !rule.meta.deprecated).map(([name]) => [name, 'error']),
);

export default [
  { linterOptions: { reportUnusedDisableDirectives: 'off' } },
  { files: ['**/*.js', '**/*.mjs', '**/*.cjs', '**/*.jsx'], rules: recommended },${
    jsParser === 'typescript-eslint' ? "\n  { files: ['**/*.js', '**/*.mjs', '**/*.cjs', '**/*.jsx'], languageOptions: { parser: tseslint.parser } }," : ''
  }
  ...tseslint.configs.recommended.map((c) => ({ ...c, files: ['**/*.ts', '**/*.tsx', '**/*.mts', '**/*.cts'] })),
  { files: ['**/*.js', '**/*.mjs', '**/*.cjs', '**/*.jsx', '**/*.ts', '**/*.tsx', '**/*.mts', '**/*.cts'], ...keepalive.configs.recommended },
];
`;
}
