#!/usr/bin/env node
// Checks what users install: packs every workspace, installs the tarballs into a fresh CommonJS
// project (no workspace, no root `overrides`, packages from the npm registry), and uses them the
// way the README says. Fails (exit 1) on the first broken promise, listing every check it ran.
//
// usage: npm run build && npm run pack:check      (KEEP=1 keeps the scratch project)
//
// Checks: every tarball has README.md, LICENSE and a `repository`, and no build cache
// (.tsbuildinfo); one tree-sitter is installed; `npx ka-codemod check` finds a C and a JS site;
// a CommonJS eslint.config.js and an ESM eslint.config.mjs both load the plugin and report; the
// installed transform (require.resolve('@ka-codemod/transforms')) runs under `npx jscodeshift`;
// every repository link in `ka-codemod --help` and the rule's docs.url names a file of this
// repository; with the project's own typescript at the floor of the peer range, the CLI and the rule
// still work.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const rootPkg = JSON.parse(readFileSync(path.join(repo, 'package.json'), 'utf8'));
const repoUrl = rootPkg.repository.url.replace(/^git\+/, '').replace(/\.git$/, '');
const scratch = mkdtempSync(path.join(tmpdir(), 'ka-pack-check-'));
const failures = [];

function check(name, ok, detail = '') {
  // a passing check shows a one-line detail; a failing one shows all of it
  const shown = ok ? (detail.includes('\n') ? '' : detail) : detail;
  console.log(`${ok ? 'ok  ' : 'FAIL'} ${name}${shown ? ` — ${shown}` : ''}`);
  if (!ok) failures.push(name);
}

function run(cmd, args, cwd, { allowFail = false, env = {} } = {}) {
  const r = spawnSync(cmd, args, { cwd, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1', ...env }, maxBuffer: 64 << 20 });
  if (r.error) throw r.error;
  if (r.status !== 0 && !allowFail) throw new Error(`${cmd} ${args.join(' ')} exited ${r.status}\n${r.stdout}\n${r.stderr}`);
  return r;
}

function write(file, text) {
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, text);
}

/** A repository link (https://github.com/<owner>/<repo>/blob/main/<file>) must name a file of this checkout. */
function repoFileOf(url) {
  const prefix = `${repoUrl}/blob/main/`;
  if (!url.startsWith(prefix)) return null;
  return path.join(repo, decodeURIComponent(url.slice(prefix.length).replace(/[#?].*$/, '')));
}

try {
  // 1. Pack every workspace.
  const tarDir = path.join(scratch, 'tarballs');
  mkdirSync(tarDir);
  const packed = JSON.parse(run('npm', ['pack', '--workspaces', '--json', '--pack-destination', tarDir], repo).stdout);
  for (const p of packed) {
    const files = p.files.map((f) => f.path);
    const pkg = JSON.parse(execFileSync('tar', ['-xzOf', path.join(tarDir, p.filename), 'package/package.json'], { encoding: 'utf8' }));
    const missing = ['README.md', 'LICENSE'].filter((f) => !files.includes(f));
    check(`${p.name}: README.md and LICENSE in the tarball`, missing.length === 0, missing.length ? `missing ${missing.join(', ')}` : '');
    const repoField = pkg.repository?.url?.replace(/^git\+/, '').replace(/\.git$/, '');
    check(`${p.name}: repository, homepage and bugs point to ${repoUrl}`, repoField === repoUrl && String(pkg.homepage).startsWith(repoUrl) && String(pkg.bugs?.url).startsWith(repoUrl), `${repoField} ${pkg.homepage} ${pkg.bugs?.url}`);
    const caches = files.filter((f) => /tsbuildinfo$/.test(f));
    check(`${p.name}: no build cache in the tarball`, caches.length === 0, caches.join(', '));
    const typesDeps = Object.keys(pkg.dependencies ?? {}).filter((d) => d.startsWith('@types/') || d === 'typescript');
    check(`${p.name}: no @types/* or typescript among runtime dependencies`, typesDeps.length === 0, typesDeps.join(', '));
  }

  // 2. A fresh CommonJS project installs the tarballs (and ESLint and jscodeshift, as a user would).
  const proj = path.join(scratch, 'project');
  write(path.join(proj, 'package.json'), `${JSON.stringify({ name: 'pack-check-project', version: '1.0.0', private: true, license: 'MIT' }, null, 2)}\n`);
  const tarballs = packed.map((p) => path.join(tarDir, p.filename));
  const started = Date.now();
  run('npm', ['install', '--no-audit', '--no-fund', '--loglevel=error', ...tarballs, `eslint@${rootPkg.devDependencies.eslint}`, 'jscodeshift@^17.4.0'], proj);
  console.log(`     installed in ${((Date.now() - started) / 1000).toFixed(1)} s`);

  const treeSitters = [];
  const walk = (dir) => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      if (!e.isDirectory()) continue;
      const sub = path.join(dir, e.name);
      if (e.name === 'tree-sitter' && path.basename(dir) === 'node_modules' && existsSync(path.join(sub, 'package.json'))) treeSitters.push(sub);
      walk(sub);
    }
  };
  walk(path.join(proj, 'node_modules'));
  const versions = treeSitters.map((d) => `${path.relative(proj, d)}@${JSON.parse(readFileSync(path.join(d, 'package.json'), 'utf8')).version}`);
  check('exactly one tree-sitter installed', treeSitters.length === 1, versions.join(', '));
  const typescripts = run('npm', ['ls', 'typescript', '--all', '--parseable'], proj, { allowFail: true }).stdout.trim().split('\n').filter(Boolean);
  check('one typescript installed', new Set(typescripts).size === 1, typescripts.map((t) => path.relative(proj, t)).join(', '));

  // 3. The CLI finds a C and a JS site.
  write(path.join(proj, 'src/server.c'), [
    '#include <netinet/in.h>',
    '#include <sys/socket.h>',
    '',
    'int open_listener(void) {',
    '  int fd = socket(AF_INET, SOCK_STREAM, 0);',
    '  if (fd < 0) return -1;',
    '  return fd;',
    '}',
    '',
  ].join('\n'));
  const clientJs = [
    "const net = require('node:net');",
    '',
    "const socket = net.connect({ host: 'db.internal', port: 5432 });",
    "socket.on('error', (err) => console.error(err));",
    '',
  ].join('\n');
  write(path.join(proj, 'src/client.js'), clientJs);
  const ck = run('npx', ['ka-codemod', 'check', 'src'], proj, { allowFail: true });
  check('npx ka-codemod check finds the C and the JS site (exit 1)', ck.status === 1 && /server\.c:5/.test(ck.stdout + ck.stderr) && /client\.js:3/.test(ck.stdout + ck.stderr), `exit ${ck.status}\n${ck.stdout}${ck.stderr}`);

  // 4. --help's links name files of this repository; so does the rule's docs.url.
  const help = run('npx', ['ka-codemod', '--help'], proj).stdout;
  const links = [...help.matchAll(/https?:\/\/\S+/g)].map((m) => m[0].replace(/[).,]+$/, ''));
  const broken = links.filter((u) => !repoFileOf(u) || !existsSync(repoFileOf(u)));
  check('--help links name files of the repository', links.length > 0 && broken.length === 0, links.length ? broken.join(', ') : 'no link in --help');
  const docsUrl = run('node', ['-e', "const p = require('eslint-plugin-keepalive'); process.stdout.write(p.rules['require-keepalive'].meta.docs.url)"], proj).stdout;
  check("the rule's docs.url names a file of the repository", !!repoFileOf(docsUrl) && existsSync(repoFileOf(docsUrl)), docsUrl);

  // 5. ESLint: a CommonJS eslint.config.js and an ESM eslint.config.mjs.
  const shape = run('node', ['-e', "const p = require('eslint-plugin-keepalive'); process.stdout.write(JSON.stringify(Object.keys(p).sort()))"], proj).stdout;
  check("require('eslint-plugin-keepalive') is the plugin", shape.includes('"configs"') && shape.includes('"rules"'), shape);
  write(path.join(proj, 'eslint.config.js'), "const keepalive = require('eslint-plugin-keepalive');\n\nmodule.exports = [keepalive.configs.recommended];\n");
  const cjs = run('npx', ['eslint', 'src/client.js'], proj, { allowFail: true });
  check('CommonJS eslint.config.js reports the JS site', cjs.status === 1 && /keepalive\/require-keepalive/.test(cjs.stdout), `exit ${cjs.status}\n${cjs.stdout}${cjs.stderr}`);
  const esm = path.join(proj, 'esm');
  write(path.join(esm, 'eslint.config.mjs'), "import keepalive from 'eslint-plugin-keepalive';\n\nexport default [keepalive.configs.recommended];\n");
  write(path.join(esm, 'client.js'), clientJs);
  const mjs = run('npx', ['eslint', 'client.js'], esm, { allowFail: true });
  check('ESM eslint.config.mjs reports the JS site', mjs.status === 1 && /keepalive\/require-keepalive/.test(mjs.stdout), `exit ${mjs.status}\n${mjs.stdout}${mjs.stderr}`);

  // 6. jscodeshift runs the installed transform, found from node_modules.
  const transform = run('node', ['-p', "require.resolve('@ka-codemod/transforms')"], proj).stdout.trim();
  const js = run('npx', ['jscodeshift', '-t', transform, '--extensions=js', 'src/client.js'], proj, { allowFail: true });
  const rewritten = readFileSync(path.join(proj, 'src/client.js'), 'utf8');
  check('npx jscodeshift -t <require.resolve of @ka-codemod/transforms> rewrites the JS site', js.status === 0 && /keepAlive: true/.test(rewritten), `exit ${js.status}\n${js.stdout}${js.stderr}\n${rewritten}`);

  // 7. typescript is a peer: the project's own, at the floor of the supported range, is the one used.
  const floor = /^>=(\S+)/.exec(JSON.parse(readFileSync(path.join(repo, 'packages/ts/package.json'), 'utf8')).peerDependencies.typescript)[1];
  run('npm', ['install', '--no-audit', '--no-fund', '--loglevel=error', `typescript@${floor}`], proj);
  const tsAll = run('npm', ['ls', 'typescript', '--all', '--parseable'], proj, { allowFail: true }).stdout.trim().split('\n').filter(Boolean);
  const tsVersion = run('node', ['-p', "require('typescript').version"], proj).stdout.trim();
  check(`the project's typescript ${floor} is the only one`, new Set(tsAll).size === 1 && tsVersion === floor, `${tsVersion}: ${tsAll.map((t) => path.relative(proj, t)).join(', ')}`);
  write(path.join(proj, 'src/client2.js'), clientJs);
  const ck2 = run('npx', ['ka-codemod', 'check', 'src/client2.js'], proj, { allowFail: true });
  const es2 = run('npx', ['eslint', 'src/client2.js'], proj, { allowFail: true });
  check(`with typescript ${floor}: ka-codemod check and ESLint find the JS site`, ck2.status === 1 && /client2\.js:3/.test(ck2.stdout) && es2.status === 1 && /keepalive\/require-keepalive/.test(es2.stdout), `${ck2.stdout}${ck2.stderr}${es2.stdout}${es2.stderr}`);
} catch (error) {
  check('pack check ran to the end', false, error.stack);
} finally {
  if (process.env.KEEP) console.log(`scratch project kept in ${scratch}`);
  else rmSync(scratch, { recursive: true, force: true });
}
if (failures.length) {
  console.log(`\n${failures.length} check(s) failed`);
  process.exit(1);
}
console.log('\nevery check passed');
