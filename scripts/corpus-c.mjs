#!/usr/bin/env node
// Runs the built C engine (packages/c/dist) over the labelled C corpus and scores it.
// usage: node scripts/corpus-c.mjs [CORPUS_DIR] [--json]   (build first: npx tsc -b)
// Writes the audit JSON to /tmp/c-report.json, then runs ../shared/corpus/score.mjs on it.
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
// Defaults sit beside the repository: ../shared (labels, scorer) and ../corpus/c (get-c-public.sh's output).
const beside = (p) => fileURLToPath(new URL(`../../${p}`, import.meta.url));
const args = process.argv.slice(2);
const corpus = path.resolve(args.find((a) => !a.startsWith('--')) ?? beside('corpus/c'));
const labels = process.env.KA_C_LABELS ?? beside('shared/corpus/c-public.json');
const score = process.env.KA_SCORE ?? beside('shared/corpus/score.mjs');
const out = process.env.KA_C_REPORT ?? '/tmp/c-report.json';

const { analyzeC } = await import(path.join(here, '../packages/c/dist/index.js'));
const { discoverFiles, DEFAULT_OPTIONS } = await import(path.join(here, '../packages/core/dist/index.js'));

const started = Date.now();
const { files } = await discoverFiles({ paths: [corpus], cwd: corpus, extensions: ['.c', '.h'] });
const analysis = await analyzeC({ root: corpus, files, options: DEFAULT_OPTIONS, jobs: Number(process.env.KA_JOBS ?? 1) });
const { sites, problems, stats } = analysis.result;
const summary = {
  sites: sites.length,
  flagged: sites.filter((s) => (s.tcp === 'yes' || s.tcp === 'maybe') && s.keepalive === 'no').length,
  problems: problems.length,
  targets: analysis.targets.length,
  keepaliveHelpers: analysis.keepaliveHelpers.length,
  ms: Date.now() - started,
  ...stats,
};
writeFileSync(out, JSON.stringify({ version: 1, root: '.', sites, summary }, null, 2));
console.error(`audit: ${files.length} files, ${summary.sites} sites, ${summary.flagged} flagged, ${stats.filesParsed} parsed, ${summary.ms} ms -> ${out}`);
const scoreArgs = [score, labels, out, ...(args.includes('--json') ? ['--json'] : [])];
process.stdout.write(execFileSync(process.execPath, scoreArgs, { encoding: 'utf8' }));
