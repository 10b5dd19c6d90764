#!/usr/bin/env node
// `npm run bench`: one run, one table. For each tree (PostgreSQL 15's source, the public C corpora
// and each of their packages, the public JS corpora, a tree of Debian source packages with quilt's
// `.pc/` copies) it measures, as child processes under GNU time (wall time, peak RSS):
//   - ka-codemod's audit (the CLI when it works, else the engines from dist through the same
//     discovery: the `--drive` mode of this script),
//   - ast-grep 0.51.1 scanning for the same socket-creating calls,
//   - `grep -r` for the same names (LC_ALL=C: in a UTF-8 locale GNU grep's \b costs minutes here),
// then scores the corpus reports against their labels (sites must not be lost for speed), runs the
// helpers scripts/bench/c-audit.mjs and scripts/bench/eslint-share.mjs when they exist, and prints
// everything from this one run. Not a test: figures depend on the machine.
//
// The `.pc/` tree is audited three ways: as users run it (the copies skipped), with the copies
// (--include-copies) and without them (--exclude .pc); the target compares the first with the last.
// Then the scaling benchmark (scripts/bench/scaling.mjs): 1, 2, 4 and 8 copies of a generated
// network project in one project, with the time per flow fact.
//
// Then, unless --skip-safety, the rewrite's safety on a copy of each tree: `ka-codemod fix` run
// twice; files tried, files rewritten, crashes, characters of the original deleted (a rewrite
// only inserts), modes changed, files appearing or vanishing, and what the second run changed.
//
// usage: node scripts/bench.mjs [--only pg,c,c2,packages,js,js2,pc,scaling] [--skip-helpers] [--skip-safety] [--json FILE]
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, lstatSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const REPO = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const SHARED = path.resolve(REPO, '..', 'shared');
// the bin users run (`npx ka-codemod`): the bundle, see scripts/bundle-cli.mjs
const CLI = path.join(REPO, 'packages/cli/bin/ka-codemod.js');
const AST_GREP = path.join(REPO, 'node_modules/.bin/ast-grep');
const TIME = '/usr/bin/time';
const TIMEOUT_MS = 15 * 60 * 1000;

const C_EXTENSIONS = ['.c', '.h'];
const JS_EXTENSIONS = ['.ts', '.tsx', '.mts', '.cts', '.js', '.jsx', '.mjs', '.cjs'];
// The same names for every tool: what DESIGN.md calls socket creation sites.
const C_CALLS = ['socket', 'accept', 'accept4'];
const JS_MEMBERS = ['connect', 'createConnection', 'createServer', 'Socket'];

const AST_GREP_C_RULES = `id: c-socket-calls
language: c
rule:
  kind: call_expression
  has:
    field: function
    regex: ^(${C_CALLS.join('|')})$`;
// A call pattern like socket($$$) parses as a macro type in C, so the C rule matches by kind; JS patterns are fine.
const AST_GREP_JS_RULES = ['javascript', 'typescript', 'tsx']
  .map(
    (language) => `id: js-socket-calls-${language}
language: ${language}
rule:
  any:
    - pattern: $N.connect($$$)
    - pattern: $N.createConnection($$$)
    - pattern: $N.createServer($$$)
    - pattern: new $N.Socket($$$)
    - pattern: new Socket($$$)`,
  )
  .join('\n---\n');

// ---------------------------------------------------------------------------------------------
// --drive LANG DIR OUT: the audit through the engines' dist, for when the CLI cannot run yet.
if (process.argv[2] === '--drive') {
  const [, , , lang, dir, out] = process.argv;
  const core = await import(pathToFileURL(path.join(REPO, 'packages/core/dist/index.js')).href);
  const engine = lang === 'c'
    ? (await import(pathToFileURL(path.join(REPO, 'packages/c/dist/index.js')).href)).cEngine
    : (await import(pathToFileURL(path.join(REPO, 'packages/ts/dist/index.js')).href)).tsEngine;
  const found = await core.discoverFiles({ paths: [dir], cwd: dir, extensions: engine.extensions, probe: false }); // as the CLI
  const result = await engine.analyze({ root: found.root, files: found.files, options: core.DEFAULT_OPTIONS, jobs: cpus().length });
  writeFileSync(out, JSON.stringify({ version: 1, root: '.', sites: result.sites, problems: [...found.problems, ...result.problems], stats: result.stats }));
  process.exit(0);
}

// ---------------------------------------------------------------------------------------------
const argv = process.argv.slice(2);
const flag = (name) => argv.includes(name);
const option = (name) => (argv.includes(name) ? argv[argv.indexOf(name) + 1] : undefined);
const only = new Set((option('--only') ?? 'pg,c,c2,packages,js,js2,pc,scaling').split(','));
const scratch = mkdtempSync(path.join(tmpdir(), 'ka-bench-'));
process.on('exit', () => rmSync(scratch, { recursive: true, force: true }));

function log(line) {
  process.stderr.write(`bench: ${line}\n`);
}

/** Runs a command under GNU time; returns wall seconds, peak RSS in MB, stdout. */
function measure(cmd, args, { cwd = REPO, env = {} } = {}) {
  const timing = path.join(scratch, `time-${Math.random().toString(36).slice(2)}.txt`);
  const run = spawnSync(TIME, ['-f', '%e %M', '-o', timing, cmd, ...args], {
    cwd,
    env: { ...process.env, ...env },
    encoding: 'utf8',
    maxBuffer: 512 * 1024 * 1024,
    timeout: TIMEOUT_MS,
  });
  const [wall, kb] = existsSync(timing) ? readFileSync(timing, 'utf8').trim().split('\n').pop().split(' ').map(Number) : [NaN, NaN];
  return { wall, rssMB: kb / 1024, status: run.status, stdout: run.stdout ?? '', stderr: run.stderr ?? '' };
}

function run(cmd, args, opts = {}) {
  return spawnSync(cmd, args, { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024, timeout: TIMEOUT_MS, ...opts });
}

/** Source files and lines of a tree (what the issue's "2375 files, 1.77 M lines" counts). */
function census(dir, extensions) {
  let files = 0;
  let lines = 0;
  for (const entry of readdirSync(dir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile() || !extensions.some((e) => entry.name.endsWith(e))) continue;
    const parent = entry.parentPath ?? entry.path;
    if (parent.split(path.sep).includes('node_modules')) continue;
    files++;
    const buf = readFileSync(path.join(parent, entry.name));
    for (let i = buf.indexOf(10); i !== -1; i = buf.indexOf(10, i + 1)) lines++;
  }
  return { files, lines };
}

// ---------------------------------------------------------------------------------------------
// Trees: use what is on the machine, fetch into the scratch dir when missing.
function findPostgres() {
  const base = '/work/bench-src';
  const local = existsSync(base) ? readdirSync(base).filter((n) => n.startsWith('postgresql-15')).map((n) => path.join(base, n)) : [];
  const dir = local.find((d) => existsSync(path.join(d, 'src', 'backend')));
  if (dir) return dir;
  log('PostgreSQL 15 source not found under /work/bench-src; apt-get source into a temp dir');
  const dest = path.join(scratch, 'pg');
  run('mkdir', ['-p', dest]);
  const versions = (run('apt-cache', ['showsrc', 'postgresql-15']).stdout.match(/^Version: (.+)$/gm) ?? []).map((l) => l.slice(9));
  // The newest version listed may be missing from the mirror (a security update not yet synced): try each.
  for (const spec of ['postgresql-15', ...versions.reverse().map((v) => `postgresql-15=${v}`)]) {
    if (run('apt-get', ['source', '-qq', spec], { cwd: dest }).status === 0) break;
  }
  const got = readdirSync(dest).find((n) => n.startsWith('postgresql-15') && existsSync(path.join(dest, n, 'src')));
  return got ? path.join(dest, got) : null;
}

function findCorpus(kind) {
  const dir = `/work/corpus/${kind}`;
  if (existsSync(dir) && readdirSync(dir).length > 0) return dir;
  const script = path.join(SHARED, 'corpus', `get-${kind.replace(/\d$/, '')}-public${kind.match(/\d$/)?.[0] ?? ''}.sh`);
  if (!existsSync(script)) return null;
  log(`${dir} missing; fetching with ${script}`);
  const dest = path.join(scratch, `corpus-${kind}`);
  return run('bash', [script, dest], { stdio: ['ignore', 'ignore', 'inherit'] }).status === 0 ? dest : null;
}

/**
 * Debian source packages whose quilt state (`.pc/`) holds copies of the patched C files: the local
 * tree when there is one, else a few network servers fetched with `apt-get source`.
 */
function findQuiltTree() {
  const local = '/work/corpus/c-fresh';
  if (existsSync(local) && readdirSync(local).length > 0) return local;
  const dest = path.join(scratch, 'quilt');
  run('mkdir', ['-p', dest]);
  for (const pkg of ['dnsmasq', 'openvpn', 'dropbear', 'pgbouncer']) run('apt-get', ['source', '-qq', pkg], { cwd: dest });
  return readdirSync(dest).length > 0 ? dest : null;
}

/** Copies under `.pc/` with a C name: what the default audit skips. */
function quiltCopies(dir) {
  let n = 0;
  for (const entry of readdirSync(dir, { recursive: true, withFileTypes: true })) {
    const parent = entry.parentPath ?? entry.path;
    if (entry.isFile() && C_EXTENSIONS.some((e) => entry.name.endsWith(e)) && parent.split(path.sep).includes('.pc')) n++;
  }
  return n;
}

// ---------------------------------------------------------------------------------------------
const cliWorks = existsSync(CLI) && run(process.execPath, [CLI, 'audit', '--help']).status === 0;

function audit(lang, dir, extra = [], label = '') {
  const out = path.join(scratch, `report-${lang}-${path.basename(dir)}-${Math.random().toString(36).slice(2)}.json`);
  // The CLI is what users run; the driver measures the same engines and discovery when the CLI cannot run yet.
  const how = cliWorks ? 'ka-codemod audit' : 'engines (dist)';
  const m = cliWorks
    ? measure(process.execPath, [CLI, 'audit', dir, '--lang', lang, '--format', 'json', '--output', out, '--quiet', ...extra])
    : measure(process.execPath, [fileURLToPath(import.meta.url), '--drive', lang, dir, out]);
  let sites = NaN;
  let report = null;
  if (existsSync(out)) {
    try {
      report = JSON.parse(readFileSync(out, 'utf8'));
      sites = report.sites.length;
    } catch {
      report = null;
    }
  }
  if (!report) log(`${how} on ${dir} gave no report (exit ${m.status}): ${m.stderr.trim().split('\n').slice(-3).join(' | ')}`);
  return { tool: report ? `${how}${label}` : `${how}${label} (FAILED: no report)`, ...m, hits: sites, report: report ? out : null };
}

function astGrep(lang, dir) {
  const m = measure(AST_GREP, ['scan', '--inline-rules', lang === 'c' ? AST_GREP_C_RULES : AST_GREP_JS_RULES, '--json=stream', dir]);
  return { tool: 'ast-grep 0.51.1', ...m, hits: m.stdout.split('\n').filter((l) => l.trim()).length };
}

function grep(lang, dir) {
  const names = lang === 'c' ? C_CALLS : JS_MEMBERS;
  const includes = (lang === 'c' ? C_EXTENSIONS : JS_EXTENSIONS).map((e) => `--include=*${e}`);
  const m = measure('grep', ['-rEn', ...includes, '--exclude-dir=node_modules', `\\b(${names.join('|')})[[:space:]]*\\(`, dir], { env: { LC_ALL: 'C' } });
  return { tool: 'grep -r', ...m, hits: m.stdout.split('\n').filter((l) => l.trim()).length };
}

function score(labels, report) {
  if (!report || !existsSync(labels)) return null;
  const s = run(process.execPath, [path.join(SHARED, 'corpus', 'score.mjs'), labels, report, '--json']);
  try {
    return JSON.parse(s.stdout).metrics;
  } catch {
    return null;
  }
}


// ---------------------------------------------------------------------------------------------
// Rewrite safety on a copy of a real tree.
function hashes(dir) {
  const out = new Map();
  for (const entry of readdirSync(dir, { recursive: true, withFileTypes: true })) {
    const abs = path.join(entry.parentPath ?? entry.path, entry.name);
    const st = lstatSync(abs);
    if (st.isDirectory()) continue;
    const rel = path.relative(dir, abs);
    out.set(rel, { mode: st.mode, sha: st.isFile() ? createHash('sha256').update(readFileSync(abs)).digest('hex') : 'node' });
  }
  return out;
}

async function safety(tree, lang, dir) {
  const { diffChars, diffLines } = await import('diff');
  const copy = path.join(scratch, `safety-${lang}-${path.basename(dir)}`);
  run('cp', ['-a', dir, copy]);
  const before = hashes(copy);
  const fix = () => run(process.execPath, [CLI, 'fix', copy, '--lang', lang, '--force'], { cwd: scratch });
  const first = fix();
  const after = hashes(copy);
  const second = fix();
  const again = hashes(copy);
  const crashed = (r) => r.status === null || r.status === 2 || /internal error|Unhandled|^\s+at .+:\d+:\d+\)?$/m.test(r.stderr ?? '');
  let deleted = 0;
  const deletions = [];
  let modes = 0;
  const changed = [];
  for (const [rel, b] of before) {
    const a = after.get(rel);
    if (!a || a.sha === b.sha) continue;
    changed.push(rel);
    if (a.mode !== b.mode) modes++;
    const oldText = readFileSync(path.join(dir, rel)).toString('latin1');
    const newText = readFileSync(path.join(copy, rel)).toString('latin1');
    const parts = diffLines(oldText, newText);
    for (let i = 0; i < parts.length; i++) {
      if (!parts[i].removed) continue;
      // A changed line shows as removed + added: count only the characters really gone.
      const added = parts[i + 1]?.added ? parts[i + 1].value : '';
      for (const c of diffChars(parts[i].value, added)) {
        if (!c.removed) continue;
        deleted += c.value.length;
        deletions.push(`${rel}: ${JSON.stringify(c.value.slice(0, 60))}`);
      }
    }
  }
  const appeared = [...after.keys()].filter((k) => !before.has(k)).length + [...again.keys()].filter((k) => !after.has(k)).length;
  const vanished = [...before.keys()].filter((k) => !after.has(k)).length;
  const secondChangedFiles = [...after].filter(([k, v]) => again.get(k)?.sha !== v.sha).map(([k]) => k);
  const secondChanged = secondChangedFiles.length;
  const tried = Number((first.stdout + first.stderr).match(/(\d+) files? scanned/)?.[1] ?? NaN);
  rmSync(copy, { recursive: true, force: true });
  return { tree, lang, tried, rewritten: changed.length, crashes: Number(crashed(first)) + Number(crashed(second)), deleted, deletions, secondChangedFiles, modes, appeared, vanished, secondChanged, exit: [first.status, second.status] };
}

const trees = [];
if (only.has('pg')) trees.push({ name: 'PostgreSQL 15', lang: 'c', find: findPostgres });
if (only.has('c')) trees.push({ name: 'C corpus', lang: 'c', find: () => findCorpus('c'), labels: path.join(SHARED, 'corpus', 'c-public.json'), packages: only.has('packages') });
if (only.has('c2')) trees.push({ name: 'C corpus 2', lang: 'c', find: () => findCorpus('c2'), labels: path.join(SHARED, 'corpus', 'c-public2.json'), packages: only.has('packages') });
if (only.has('js')) trees.push({ name: 'JS corpus', lang: 'ts', find: () => findCorpus('js'), labels: path.join(SHARED, 'corpus', 'js-public.json') });
if (only.has('js2')) trees.push({ name: 'JS corpus 2', lang: 'ts', find: () => findCorpus('js2'), labels: path.join(SHARED, 'corpus', 'js-public2.json') });
if (only.has('pc')) trees.push({ name: 'quilt .pc/ tree', lang: 'c', find: findQuiltTree, quilt: true });

if (!existsSync(TIME)) {
  console.error(`bench: ${TIME} is missing (Debian package "time"; scripts/setup-system.sh installs it)`);
  process.exit(2);
}

const results = [];
const safetyRows = [];
for (const tree of trees) {
  const dir = tree.find();
  if (!dir) {
    log(`${tree.name}: not available, skipped`);
    continue;
  }
  const size = census(dir, tree.lang === 'c' ? C_EXTENSIONS : JS_EXTENSIONS);
  log(`${tree.name}: ${dir} (${size.files} files, ${size.lines} lines)`);
  run('grep', ['-rq', 'ka-bench-warm-the-page-cache', dir], { env: { ...process.env, LC_ALL: 'C' } });
  const rows = [audit(tree.lang, dir), astGrep(tree.lang, dir), grep(tree.lang, dir)];
  // with the copies (what the audit did before it skipped them) and without them at all
  if (tree.quilt) rows.push(audit(tree.lang, dir, ['--include-copies'], ` --include-copies (${quiltCopies(dir)} copies)`), audit(tree.lang, dir, ['--exclude', '.pc'], ' --exclude .pc'));
  const metrics = tree.labels ? score(tree.labels, rows[0].report) : null;
  results.push({ tree: tree.name, dir, ...size, rows, metrics });
  if (tree.packages) {
    // every package on its own (a project of its own: the tree's top directories)
    for (const name of readdirSync(dir).sort()) {
      const sub = path.join(dir, name);
      if (!lstatSync(sub).isDirectory()) continue;
      const psize = census(sub, C_EXTENSIONS);
      results.push({ tree: `${tree.name}: ${name}`, dir: sub, ...psize, rows: [audit(tree.lang, sub), astGrep(tree.lang, sub)], metrics: null, package: true });
    }
  }
  if (!flag('--skip-safety') && cliWorks && !tree.quilt) {
    log(`${tree.name}: rewrite safety on a copy (fix, twice)`);
    safetyRows.push(await safety(tree.name, tree.lang, dir));
  }
}

// ---------------------------------------------------------------------------------------------
const fmt = (n, digits = 2) => (Number.isFinite(n) ? n.toFixed(digits) : '-');
const lines = [];
lines.push(`ka-codemod bench — ${new Date().toISOString()} — ${cpus().length} cores, Node ${process.version}`);
lines.push('');
lines.push('| tree | files | lines | tool | wall s | peak RSS MB | sites / matches | time vs ast-grep |');
lines.push('| --- | ---: | ---: | --- | ---: | ---: | ---: | ---: |');
for (const r of results) {
  const ag = r.rows[1].wall;
  for (const row of r.rows) {
    lines.push(`| ${r.tree} | ${r.files} | ${r.lines} | ${row.tool} | ${fmt(row.wall)} | ${fmt(row.rssMB, 0)} | ${Number.isFinite(row.hits) ? row.hits : '-'} | ${fmt(row.wall / ag)}× |`);
  }
}
const scored = results.filter((r) => r.metrics);
if (scored.length) {
  lines.push('');
  lines.push('| corpus | site recall | flag precision | flag recall | flag F1 |');
  lines.push('| --- | ---: | ---: | ---: | ---: |');
  for (const r of scored) lines.push(`| ${r.tree} | ${fmt(r.metrics.site_recall, 3)} | ${fmt(r.metrics.flag_precision, 3)} | ${fmt(r.metrics.flag_recall, 3)} | ${fmt(r.metrics.flag_f1, 3)} |`);
}
if (safetyRows.length) {
  lines.push('');
  lines.push('| rewrite safety (copy, fix twice) | files tried | files rewritten | crashes | chars of the original removed (listed below) | modes changed | files appeared / vanished | changed by the 2nd run |');
  lines.push('| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |');
  for (const r of safetyRows) lines.push(`| ${r.tree} (${r.lang}) | ${r.tried} | ${r.rewritten} | ${r.crashes} | ${r.deleted} | ${r.modes} | ${r.appeared} / ${r.vanished} | ${r.secondChanged} |`);
  for (const r of safetyRows) for (const d of r.deletions.slice(0, 10)) lines.push(`  removed in ${r.tree}: ${d}`);
  for (const r of safetyRows) for (const f of r.secondChangedFiles.slice(0, 10)) lines.push(`  changed again by the 2nd run in ${r.tree}: ${f}`);
}
const pg = results.find((r) => r.tree === 'PostgreSQL 15');
if (pg) {
  const [a, g] = pg.rows;
  lines.push('');
  if (!a.report) lines.push('Targets on PostgreSQL 15: not judged, the audit produced no report.');
  else lines.push(
    `Targets on PostgreSQL 15: audit <= 1/5 of ast-grep's time: ${fmt(a.wall)} s vs ${fmt(g.wall / 5)} s -> ${a.wall <= g.wall / 5 ? 'met' : 'NOT met'}; ` +
      `peak RSS < 300 MB: ${fmt(a.rssMB, 0)} MB -> ${a.rssMB < 300 ? 'met' : 'NOT met'}.`,
  );
}

// The targets for network-heavy trees: every C corpus and package at most ast-grep's time, 300 MB
// and 2 s; the JS corpora at most ast-grep's time and 250 MB; the .pc/ tree at most 1.2 times the
// same tree without its copies.
const judged = [];
for (const r of results) {
  const [a, g] = r.rows;
  if (!a.report || r.tree === 'PostgreSQL 15') continue;
  const js = r.tree.startsWith('JS');
  if (r.tree.startsWith('quilt')) {
    const without = r.rows.find((row) => row.tool.includes('--exclude'));
    if (without) judged.push(`${r.tree}: ${fmt(a.wall)} s against ${fmt(without.wall)} s without the copies = ${fmt(a.wall / without.wall)}× (target <= 1.2×) -> ${a.wall <= 1.2 * without.wall ? 'met' : 'NOT met'}`);
    continue;
  }
  const checks = [`${fmt(a.wall / g.wall)}× ast-grep (<= 1.0×) -> ${a.wall <= g.wall ? 'met' : 'NOT met'}`, `${fmt(a.rssMB, 0)} MB (<= ${js ? 250 : 300}) -> ${a.rssMB <= (js ? 250 : 300) ? 'met' : 'NOT met'}`];
  if (r.package) checks.push(`${fmt(a.wall)} s (<= 2 s) -> ${a.wall <= 2 ? 'met' : 'NOT met'}`);
  judged.push(`${r.tree}: ${checks.join('; ')}`);
}
if (judged.length) {
  lines.push('');
  lines.push('Targets on network-heavy trees:');
  for (const j of judged) lines.push(`- ${j}`);
}

if (only.has('scaling') && cliWorks) {
  log('scaling: 1, 2, 4 and 8 copies of a generated network project');
  const { scaling, scalingTable } = await import('./bench/scaling.mjs');
  lines.push('');
  lines.push('Scaling: copies of a generated network project in one project (scripts/bench/scaling.mjs, median of 3 interleaved runs):');
  lines.push('');
  lines.push(scalingTable(scaling({ runs: 3, modules: 24 })));
}

// Helpers written by the engine and ESLint owners: their own figures, printed as they give them.
const helpers = [];
if (!flag('--skip-helpers')) {
  for (const name of ['c-audit.mjs', 'eslint-share.mjs']) {
    const file = path.join(REPO, 'scripts', 'bench', name);
    if (!existsSync(file)) {
      helpers.push({ name, output: '(not written yet)' });
      continue;
    }
    log(`running scripts/bench/${name}`);
    const h = run(process.execPath, [file], { cwd: REPO });
    helpers.push({ name, status: h.status, output: (h.stdout || h.stderr || '').trim() });
  }
  for (const h of helpers) {
    lines.push('');
    lines.push(`scripts/bench/${h.name}${h.status ? ` (exit ${h.status})` : ''}:`);
    lines.push(h.output);
  }
}

console.log(lines.join('\n'));
const jsonOut = option('--json');
if (jsonOut) {
  const plain = results.map((r) => ({ ...r, rows: r.rows.map(({ stdout, stderr, report, ...row }) => row) }));
  writeFileSync(jsonOut, JSON.stringify({ date: new Date().toISOString(), cores: cpus().length, results: plain, safety: safetyRows, helpers }, null, 2));
}
