#!/usr/bin/env node
// Runs the TS engine (packages/ts/dist; build first with `npx tsc -b`) over the labeled JS corpus
// and scores it.  usage: node scripts/corpus-ts.mjs [CORPUS_DIR] [LABELS.json] [--json]
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { DEFAULT_OPTIONS, discoverFiles } from '../packages/core/dist/index.js';
import { tsEngine } from '../packages/ts/dist/index.js';

// Defaults sit beside the repository: ../shared (labels, scorer) and ../corpus/js (get-js-public.sh's output).
const beside = (p) => fileURLToPath(new URL(`../../${p}`, import.meta.url));
const args = process.argv.slice(2).filter((a) => !a.startsWith('--'));
const root = path.resolve(args[0] ?? beside('corpus/js'));
const labels = args[1] ?? beside('shared/corpus/js-public.json');
const out = '/tmp/ts-report.json';

const started = Date.now();
const { files } = await discoverFiles({ paths: [root], cwd: root, extensions: tsEngine.extensions });
const result = await tsEngine.analyze({ root, files, options: DEFAULT_OPTIONS });
const seconds = (Date.now() - started) / 1000;
writeFileSync(out, JSON.stringify({ version: 1, root: '.', sites: result.sites }, null, 2));
console.error(`${files.length} files, ${result.stats.filesParsed} parsed, ${result.sites.length} sites, ${result.problems.length} problems, ${seconds.toFixed(1)} s -> ${out}`);
const score = execFileSync(process.execPath, [beside('shared/corpus/score.mjs'), labels, out, ...(process.argv.includes('--json') ? ['--json'] : [])], { encoding: 'utf8' });
process.stdout.write(score);
