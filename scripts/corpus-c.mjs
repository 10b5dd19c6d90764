#!/usr/bin/env node
// Runs the built C engine (packages/c/dist) over the labelled C corpora and scores each one with
// ../shared/corpus/score.mjs. Build first: npx tsc -b.
//
// usage: node scripts/corpus-c.mjs                 every corpus below whose directory exists
//        node scripts/corpus-c.mjs --only NAME     one of them (c-public, c-public2, c-fresh)
//        node scripts/corpus-c.mjs DIR             one directory, labels from KA_C_LABELS
//        add --json for score.mjs's JSON, --misses to list every label the report disagrees with
//
// The corpora sit beside the repository: ../corpus/c (get-c-public.sh), ../corpus/c2
// (get-c-public2.sh) with labels in ../shared/corpus/, and ../corpus/c-fresh with its labels in this
// repository (corpus/c-fresh.json) when present (KA_C_FRESH_LABELS overrides). A corpus whose
// directory or labels are missing is skipped with a line saying so. Each run writes its audit JSON
// to a directory of its own (KA_C_REPORT_DIR, else a new one under the system's temp dir), printed.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const repo = path.resolve(here, '..');
const beside = (p) => path.resolve(repo, '..', p);
const args = process.argv.slice(2);
const flag = (name) => args.includes(name);
const only = args.includes('--only') ? args[args.indexOf('--only') + 1] : null;
const dirArg = args.find((a, i) => !a.startsWith('--') && args[i - 1] !== '--only');
const score = process.env.KA_SCORE ?? beside('shared/corpus/score.mjs');

const CORPORA = [
  { name: 'c-public', dir: beside('corpus/c'), labels: beside('shared/corpus/c-public.json') },
  { name: 'c-public2', dir: beside('corpus/c2'), labels: beside('shared/corpus/c-public2.json') },
  { name: 'c-fresh', dir: beside('corpus/c-fresh'), labels: process.env.KA_C_FRESH_LABELS ?? path.join(repo, 'corpus/c-fresh.json') },
];
const runs = dirArg
  ? [{ name: path.basename(path.resolve(dirArg)), dir: path.resolve(dirArg), labels: process.env.KA_C_LABELS ?? beside('shared/corpus/c-public.json') }]
  : CORPORA.filter((c) => !only || c.name === only);
if (runs.length === 0) {
  console.error(`no corpus named ${only} (known: ${CORPORA.map((c) => c.name).join(', ')})`);
  process.exit(2);
}

const outDir = process.env.KA_C_REPORT_DIR ?? mkdtempSync(path.join(os.tmpdir(), 'ka-corpus-c-'));
mkdirSync(outDir, { recursive: true });
const { analyzeC } = await import(path.join(here, '../packages/c/dist/index.js'));
const { discoverFiles, DEFAULT_OPTIONS } = await import(path.join(here, '../packages/core/dist/index.js'));

for (const corpus of runs) {
  console.log(`== ${corpus.name}`);
  if (!existsSync(corpus.dir)) {
    console.log(`skipped: no corpus directory ${corpus.dir}`);
    continue;
  }
  if (!existsSync(corpus.labels)) {
    console.log(`skipped: no labels ${corpus.labels}`);
    continue;
  }
  const started = Date.now();
  const { files } = await discoverFiles({ paths: [corpus.dir], cwd: corpus.dir, extensions: ['.c', '.h'] });
  const analysis = await analyzeC({ root: corpus.dir, files, options: DEFAULT_OPTIONS, jobs: Number(process.env.KA_JOBS ?? 1) });
  const { sites, problems, stats } = analysis.result;
  const summary = {
    sites: sites.length,
    flagged: sites.filter((s) => (s.tcp === 'yes' || s.tcp === 'maybe') && s.keepalive === 'no').length,
    unknown: sites.filter((s) => s.keepalive === 'unknown').length,
    problems: problems.length,
    targets: analysis.targets.length,
    keepaliveHelpers: analysis.keepaliveHelpers.length,
    ms: Date.now() - started,
    ...stats,
  };
  const out = path.join(outDir, `${corpus.name}.json`);
  writeFileSync(out, JSON.stringify({ version: 1, root: '.', sites, summary }, null, 2));
  console.log(`audit: ${files.length} files, ${summary.sites} sites, ${summary.flagged} flagged, ${summary.unknown} unknown, ${stats.filesParsed} parsed, ${summary.ms} ms -> ${out}`);
  const scored = (json) => execFileSync(process.execPath, [score, corpus.labels, out, ...(json ? ['--json'] : [])], { encoding: 'utf8' });
  process.stdout.write(scored(flag('--json')));
  if (flag('--misses')) {
    const { wrong, missed, extra } = JSON.parse(scored(true));
    for (const w of wrong) {
      const l = w.label;
      console.log(`  wrong ${l.package} ${l.file}:${l.line} ${l.call} in ${l.function}: labelled tcp ${l.tcp} keepalive ${l.keepalive}, got tcp ${w.got.tcp} keepalive ${w.got.keepalive}`);
    }
    for (const m of missed) console.log(`  missed ${m.package} ${m.file}:${m.line} ${m.call} in ${m.function}`);
    for (const x of extra) console.log(`  unlabelled ${x.file}:${x.line} ${x.call}: tcp ${x.tcp} keepalive ${x.keepalive}`);
  }
}
