/**
 * The pre-commit hook of this repository (.pre-commit-hooks.yaml), run by the real pre-commit tool
 * (scripts/setup-system.sh installs it) on a scratch git project: the manifest is valid, a staged C
 * file without keepalive fails the hook with the finding, the same file with keepalive passes.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { skipWithout } from './helpers/system-tools.js';

const repo = path.resolve(import.meta.dirname, '..');
const havePreCommit = spawnSync('pre-commit', ['--version'], { encoding: 'utf8' }).status === 0;
const dir = mkdtempSync(path.join(tmpdir(), 'ka-pre-commit-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const env = { ...process.env, HOME: dir, PRE_COMMIT_HOME: path.join(dir, '.cache'), NPM_CONFIG_UPDATE_NOTIFIER: 'false', NO_COLOR: '1' };

function tryRepo(file: string) {
  return spawnSync('pre-commit', ['try-repo', repo, 'ka-codemod-check', '--files', file], { cwd: dir, env, encoding: 'utf8', timeout: 120_000 });
}

describe.skipIf(skipWithout(havePreCommit, 'pre-commit'))('the pre-commit hook', () => {
  it('has a valid manifest', () => {
    const r = spawnSync('pre-commit', ['validate-manifest', path.join(repo, '.pre-commit-hooks.yaml')], { env, encoding: 'utf8' });
    expect(r.status, r.stdout + r.stderr).toBe(0);
  });

  it('fails on a staged C file without keepalive, passes once it has keepalive', () => {
    execFileSync('git', ['init', '-q'], { cwd: dir });
    // ka-codemod as the project's devDependency: what `npx --no-install ka-codemod` finds
    mkdirSync(path.join(dir, 'node_modules/.bin'), { recursive: true });
    symlinkSync(path.join(repo, 'packages/cli/bin/ka-codemod.js'), path.join(dir, 'node_modules/.bin/ka-codemod'));
    writeFileSync(path.join(dir, '.gitignore'), 'node_modules\n.cache\n');
    writeFileSync(path.join(dir, 'net.c'), '#include <sys/socket.h>\nint dial(void) { return socket(AF_INET, SOCK_STREAM, 0); }\n');
    execFileSync('git', ['add', '.gitignore', 'net.c'], { cwd: dir });
    const failing = tryRepo('net.c');
    expect(failing.status, failing.stdout + failing.stderr).toBe(1);
    expect(failing.stdout).toMatch(/TCP keepalive \(ka-codemod check\)\.+Failed/);
    expect(failing.stdout).toMatch(/net\.c:2:\d+: warning: socket\(\) in dial creates a TCP socket without keepalive/);

    writeFileSync(
      path.join(dir, 'net.c'),
      '#include <sys/socket.h>\nint dial(void) {\n  int on = 1;\n  int fd = socket(AF_INET, SOCK_STREAM, 0);\n  setsockopt(fd, SOL_SOCKET, SO_KEEPALIVE, &on, sizeof on);\n  return fd;\n}\n',
    );
    execFileSync('git', ['add', 'net.c'], { cwd: dir });
    const passing = tryRepo('net.c');
    expect(passing.status, passing.stdout + passing.stderr).toBe(0);
    expect(passing.stdout).toMatch(/TCP keepalive \(ka-codemod check\)\.+Passed/);
  }, 240_000);
});
