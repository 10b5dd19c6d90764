#!/usr/bin/env node
// Runs the TS engine (packages/ts/dist; build first with `npx tsc -b`) over the labelled JS corpora
// and scores each one.
//   node scripts/corpus-ts.mjs                       every corpus below whose directory exists
//   node scripts/corpus-ts.mjs CORPUS_DIR LABELS.json one corpus
//   --json: the scorer's JSON (misses and wrong verdicts included) instead of its summary
// Reports go to KA_TS_REPORT_DIR (default: the OS temp dir) as ts-report-<corpus>.json, or to
// KA_TS_REPORT when one corpus is given. KA_SCORE overrides the scorer.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { DEFAULT_OPTIONS, discoverFiles } from '../packages/core/dist/index.js';
import { tsEngine } from '../packages/ts/dist/index.js';

// Defaults sit beside the repository: ../shared (labels, scorer) and ../corpus (the get-*.sh outputs).
const beside = (p) => fileURLToPath(new URL(`../../${p}`, import.meta.url));
const inRepo = (p) => fileURLToPath(new URL(`../${p}`, import.meta.url));
const CORPORA = [
  { name: 'js-public', dir: beside('corpus/js'), labels: beside('shared/corpus/js-public.json') },
  { name: 'js-public2', dir: beside('corpus/js2'), labels: beside('shared/corpus/js-public2.json') },
  { name: 'js-fresh', dir: beside('corpus/js-fresh'), labels: inRepo('corpus/js-fresh.json') },
  { name: 'js-fresh2', dir: beside('corpus/js-fresh2'), labels: inRepo('corpus/js-fresh2.json') },
];
const json = process.argv.includes('--json');
const args = process.argv.slice(2).filter((a) => !a.startsWith('--'));
const score = process.env.KA_SCORE ?? beside('shared/corpus/score.mjs');
const reportDir = process.env.KA_TS_REPORT_DIR ?? os.tmpdir();

async function run({ name, dir, labels }, out) {
  if (!existsSync(dir)) return void console.log(`${name}: skipped, no directory ${dir}`);
  if (!existsSync(labels)) return void console.log(`${name}: skipped, no labels ${labels}`);
  const root = path.resolve(dir);
  const started = Date.now();
  const { files } = await discoverFiles({ paths: [root], cwd: root, extensions: tsEngine.extensions });
  const result = await tsEngine.analyze({ root, files, options: DEFAULT_OPTIONS });
  const seconds = (Date.now() - started) / 1000;
  mkdirSync(path.dirname(out), { recursive: true });
  writeFileSync(out, JSON.stringify({ version: 1, root: '.', sites: result.sites }, null, 2));
  console.error(`${name}: ${files.length} files, ${result.stats.filesParsed} parsed, ${result.sites.length} sites, ${result.problems.length} problems, ${seconds.toFixed(1)} s -> ${out}`);
  const text = execFileSync(process.execPath, [score, labels, out, ...(json ? ['--json'] : [])], { encoding: 'utf8' });
  process.stdout.write(json ? text : `== ${name}\n${text}`);
}

if (args.length) {
  const name = path.basename(args[0]);
  await run({ name, dir: args[0], labels: args[1] ?? beside('shared/corpus/js-public.json') }, process.env.KA_TS_REPORT ?? path.join(reportDir, `ts-report-${name}.json`));
} else {
  for (const c of CORPORA) await run(c, path.join(reportDir, `ts-report-${c.name}.json`));
}
