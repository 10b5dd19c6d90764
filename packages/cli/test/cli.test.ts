import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { C_FILES, fakeCEngine, runCli, tmpDir, writeTree } from './helpers.js';

async function project(files: Record<string, string> = C_FILES): Promise<string> {
  const dir = tmpDir();
  await writeTree(dir, files);
  return dir;
}

function git(dir: string, ...args: string[]): void {
  execFileSync('git', ['-c', 'commit.gpgsign=false', '-c', 'init.defaultBranch=main', ...args], { cwd: dir, stdio: 'ignore', env: { ...process.env, GIT_AUTHOR_NAME: 't', GIT_AUTHOR_EMAIL: 't@e', GIT_COMMITTER_NAME: 't', GIT_COMMITTER_EMAIL: 't@e' } });
}

describe('ka-codemod audit', () => {
  it('--format json prints the DESIGN.md contract for every site and exits 0', async () => {
    const dir = await project();
    const r = await runCli(['audit', '.', '--format', 'json'], dir);
    expect(r.code).toBe(0);
    const json = JSON.parse(r.stdout);
    expect(Object.keys(json)).toEqual(['version', 'root', 'sites', 'summary', 'problems']);
    expect(json.version).toBe(1);
    expect(json.root).toBe('.');
    expect(json.sites.map((s: { file: string; keepalive: string }) => `${s.file}:${s.keepalive}`)).toEqual([
      'lib/opt.c:conditional',
      'src/client.c:no',
      'src/ipc/local.c:n/a',
      'src/server.c:yes',
    ]);
    for (const s of json.sites) {
      for (const field of ['file', 'line', 'column', 'language', 'call', 'function', 'tcp', 'keepalive', 'how', 'tuning', 'errorHandler', 'fixable']) expect(s).toHaveProperty(field);
    }
    // fix paths are relative like site paths: the report does not leak the auditing machine's layout
    expect(json.sites[1].fix.path).toBe('src/client.c');
    expect(json.summary).toMatchObject({ filesScanned: 4, sites: 4, flagged: 1 });
    expect(json.summary.coverage.project.ratio).toBeCloseTo(1 / 3);
  });

  it('--format text prints a readable table and time to notice, 80 columns wide off a terminal', async () => {
    const dir = await project();
    const r = await runCli(['audit', dir], '/');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(new RegExp(`^ka-codemod audit — 4 socket creation sites in 4 files under ${dir.slice(1)}\n`));
    expect(r.stdout).toMatch(/SITE\s+CALL\s+TCP\s+KEEPALIVE\s+NOTICED AFTER/);
    expect(r.stdout).toMatch(/src\/client\.c:4:14\s+socket in connect_to\s+yes\s+no\s+never/);
    expect(r.stdout).toMatch(/src\/server\.c:4:14\s+socket in listen_on\s+yes\s+yes\s+2 h 11 min 15 s/);
    expect(r.stdout).toMatch(/AWS NLB 350 s, Azure load balancer\s+4 min, GCP 10 min/);
    for (const line of r.stdout.split('\n')) expect(line.length).toBeLessThanOrEqual(80);
    const tty = await runCli(['audit', dir, '--no-color'], '/', {}, { tty: true, columns: 60 });
    for (const line of tty.stdout.split('\n')) expect(line.length, line).toBeLessThanOrEqual(60);
    expect(r.stdout).not.toMatch(/\x1b\[/); // not a TTY: no color
  });

  it('colors on a TTY, but not with NO_COLOR or --no-color', async () => {
    const dir = await project();
    expect((await runCli(['audit', '.'], dir, {}, { tty: true })).stdout).toMatch(/\x1b\[/);
    expect((await runCli(['audit', '.'], dir, {}, { tty: true, env: { NO_COLOR: '1' } })).stdout).not.toMatch(/\x1b\[/);
    expect((await runCli(['audit', '.', '--no-color'], dir, {}, { tty: true })).stdout).not.toMatch(/\x1b\[/);
  });

  it('--output writes the report to a file and says so', async () => {
    const dir = await project();
    const r = await runCli(['audit', '.', '--format', 'markdown', '--output', 'out/report.md'], dir);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^wrote the markdown report to out\/report\.md\n/);
    expect(readFileSync(path.join(dir, 'out/report.md'), 'utf8')).toMatch(/^## ka-codemod: TCP keepalive audit/);
  });

  it('honours .gitignore, node_modules, --exclude, --include and --lang', async () => {
    const dir = await project({ ...C_FILES, 'node_modules/dep/x.c': C_FILES['src/client.c'], 'gen/y.c': C_FILES['src/client.c'], '.gitignore': 'gen/\n' });
    const files = async (...extra: string[]) => {
      const r = await runCli(['audit', '.', '--format', 'json', ...extra], dir);
      return [...new Set(JSON.parse(r.stdout).sites.map((s: { file: string }) => s.file))];
    };
    expect(await files()).toEqual(['lib/opt.c', 'src/client.c', 'src/ipc/local.c', 'src/server.c']);
    expect(await files('--exclude', 'src/ipc/**', '--exclude', 'lib/**')).toEqual(['src/client.c', 'src/server.c']);
    expect(await files('--include', 'lib/**')).toEqual(['lib/opt.c']);
    expect(await files('--lang', 'ts')).toEqual([]);
  });
});

describe('ka-codemod check', () => {
  it('prints gcc-style lines and exits 1 when a TCP site lacks keepalive', async () => {
    const dir = await project();
    const r = await runCli(['check', 'src', 'lib'], dir);
    expect(r.code).toBe(1);
    const lines = r.stdout.split('\n');
    expect(lines).toContain('src/client.c:4:14: warning: socket() in connect_to creates a TCP socket without keepalive: no setsockopt(SO_KEEPALIVE) on the fd in connect_to [tcp-keepalive-missing]');
    expect(r.stdout).toMatch(/^lib\/opt\.c:4:14: note: socket\(\) in dial creates a TCP socket that gets keepalive only when configured so/m);
    expect(r.stdout).toMatch(/4 files scanned · 4 sites: 1 with keepalive, 1 conditional, 1 without, 1 not TCP/);
  });

  it('in GitHub Actions, adds workflow-command annotations beside the gcc lines', async () => {
    const dir = await project();
    const r = await runCli(['check', '.'], dir, {}, { env: { GITHUB_ACTIONS: 'true' } });
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/^src\/client\.c:4:14: warning: /m);
    expect(r.stdout).toMatch(/^::warning file=src\/client\.c,line=4,col=14,title=tcp-keepalive-missing::socket\(\) in connect_to/m);
    expect((await runCli(['check', '.'], dir)).stdout).not.toMatch(/^::/m);
  });

  it('exits 0 when every TCP site has keepalive', async () => {
    const dir = await project({ 'a.c': C_FILES['src/server.c'] });
    const r = await runCli(['check', '.'], dir);
    expect(r.code).toBe(0);
    expect(r.stdout).not.toMatch(/warning:/);
  });

  it('a site whose keepalive could not be followed is a note, and fails the run only with --strict', async () => {
    const handOff = `#include <sys/socket.h>
int dial(void)
{
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    hand_off(fd);
    return fd;
}
`;
    const dir = await project({ 'a.c': C_FILES['src/server.c'], 'b.c': handOff });
    const r = await runCli(['check', '.'], dir);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^b\.c:4:14: note: socket\(\) in dial creates a TCP socket whose keepalive could not be followed: the fd is handed to hand_off, which cannot be followed \[tcp-keepalive-unknown\]$/m);
    expect(r.stdout).toMatch(/2 sites: 1 with keepalive, 0 conditional, 0 without, 1 not followed, 0 not TCP/);
    const strict = await runCli(['check', '.', '--strict'], dir);
    expect(strict.code).toBe(1);
    expect(strict.stdout).toMatch(/^b\.c:4:14: warning: .*\[tcp-keepalive-unknown\]$/m);
    expect(strict.stderr + strict.stdout).toMatch(/1 TCP site without keepalive \(1 of them not followed: --strict\)/);
  });

  it('--quiet keeps the warnings that fail the run and drops the rest', async () => {
    const dir = await project();
    const r = await runCli(['check', '.', '--quiet'], dir);
    expect(r.code).toBe(1);
    expect(r.stdout.trim().split('\n')).toHaveLength(1);
    expect(r.stdout).toMatch(/warning:/);
  });

  it('--baseline: records findings, then fails only on new ones, surviving line shifts', async () => {
    const dir = await project();
    const rec = await runCli(['check', '.', '--baseline', 'ka-baseline.json', '--update-baseline'], dir);
    expect(rec.code).toBe(0);
    const baseline = JSON.parse(readFileSync(path.join(dir, 'ka-baseline.json'), 'utf8'));
    expect(baseline.findings).toHaveLength(1);
    expect(baseline.findings[0]).toMatchObject({ file: 'src/client.c', function: 'connect_to', snippet: 'int fd = socket(AF_INET, SOCK_STREAM, 0);' });

    // lines move: still the same finding
    await writeFile(path.join(dir, 'src/client.c'), `/* a new header comment */\n\n${C_FILES['src/client.c']}`);
    const same = await runCli(['check', '.', '--baseline', 'ka-baseline.json'], dir);
    expect(same.code).toBe(0);
    expect(same.stdout).toMatch(/1 in baseline/);

    // a new site in another function is new
    await writeFile(path.join(dir, 'src/more.c'), 'int again(void)\n{\n    return socket(AF_INET, SOCK_STREAM, 0);\n}\n');
    const fresh = await runCli(['check', '.', '--baseline', 'ka-baseline.json'], dir);
    expect(fresh.code).toBe(1);
    expect(fresh.stdout).toMatch(/^src\/more\.c:3:12: warning:/m);
    expect(fresh.stdout).not.toMatch(/src\/client\.c.*warning/);
  });

  it('a missing baseline is a usage error that says how to record one', async () => {
    const dir = await project();
    const r = await runCli(['check', '.', '--baseline', 'nope.json'], dir);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/baseline not found: .*nope\.json \(record one with: ka-codemod check --baseline FILE --update-baseline/);
  });
});

describe('ka-codemod [fix]', () => {
  it('--dry-run prints a unified diff that git apply accepts, and writes nothing', async () => {
    const dir = await project();
    const r = await runCli(['--dry-run', 'src'], dir);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^--- a\/src\/client\.c$/m);
    expect(r.stdout).toMatch(/^\+    \/\* keepalive \*\/ setsockopt/m);
    expect(r.stderr).toMatch(/would change client\.c:4: SO_KEEPALIVE/); // engine's change line, relative to the root (src)
    expect(readFileSync(path.join(dir, 'src/client.c'), 'utf8')).toBe(C_FILES['src/client.c']);
    git(dir, 'init', '-q');
    await writeFile(path.join(dir, 'k.patch'), r.stdout);
    git(dir, 'apply', '--check', 'k.patch');
  });

  it('is the default command: rewrites the files and summarises what changed', async () => {
    const dir = await project();
    const r = await runCli(['src'], dir);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/rewrote src\/client\.c\n {2}client\.c:4: SO_KEEPALIVE on the socket in connect_to/);
    expect(r.stdout).toMatch(/1 file changed/);
    expect(readFileSync(path.join(dir, 'src/client.c'), 'utf8')).toMatch(/keepalive \*\/ setsockopt/);
    // the same run again changes nothing (the fake engine sees SO_KEEPALIVE now)
    const again = await runCli(['fix', 'src'], dir);
    expect(again.stdout).toMatch(/0 files changed/);
  });

  it('refuses to rewrite a file with uncommitted changes unless --force', async () => {
    const dir = await project();
    git(dir, 'init', '-q');
    git(dir, 'add', '.');
    git(dir, 'commit', '-q', '-m', 'init');
    await writeFile(path.join(dir, 'src/client.c'), `${C_FILES['src/client.c']}/* edited */\n`);
    const r = await runCli(['fix', '.'], dir);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/uncommitted changes \(1 file, e\.g\. src\/client\.c\).*--force/);
    expect(readFileSync(path.join(dir, 'src/client.c'), 'utf8')).toBe(`${C_FILES['src/client.c']}/* edited */\n`);
    const forced = await runCli(['fix', '.', '--force'], dir);
    expect(forced.code).toBe(0);
    expect(readFileSync(path.join(dir, 'src/client.c'), 'utf8')).toMatch(/keepalive/);
  });

  it('is not blocked by untracked build artifacts or edits to files it does not write', async () => {
    const dir = await project();
    git(dir, 'init', '-q');
    git(dir, 'add', '.');
    git(dir, 'commit', '-q', '-m', 'init');
    await writeTree(dir, { 'build/server.o': 'ELF', 'src/server.c': `${C_FILES['src/server.c']}/* edited */\n` });
    const r = await runCli(['fix', '.'], dir);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(readFileSync(path.join(dir, 'src/client.c'), 'utf8')).toMatch(/keepalive/);
  });

  it('passes keepalive options from the command line and the config file to the engines', async () => {
    const dir = await project();
    let seen: unknown;
    const spy = { language: 'c' as const, extensions: ['.c'], analyze: async (req: { options: unknown }) => ((seen = req.options), { sites: [], problems: [], stats: {} }), plan: async () => ({ sites: [], problems: [], stats: {}, files: [] }) };
    await writeFile(path.join(dir, 'ka-codemod.config.json'), JSON.stringify({ idle: 100, count: 5, onError: 'log' }));
    const r = await runCli(['fix', '--dry-run', '.', '--idle', '60', '--interval', '10', '--user-timeout', '90000', '--toggle', 'env', '--initial-delay', '30000'], dir, { engines: [{ ...spy, plan: async (req: { options: unknown }) => ((seen = req.options), { sites: [], problems: [], stats: {}, files: [] }) }] });
    expect(r.code).toBe(0);
    expect(seen).toEqual({ idleSeconds: 60, intervalSeconds: 10, count: 5, userTimeoutMs: 90000, onError: 'log', toggle: 'env', initialDelayMs: 30000 });
  });
});

describe('usage and errors', () => {
  it('no arguments at all: the help, on stderr, as a usage error', async () => {
    const r = await runCli([], '/');
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^Usage: ka-codemod \[options\] \[command\]/);
  });

  it('--version and --help exit 0; --help has examples and exit codes', async () => {
    const v = await runCli(['--version'], '/');
    expect(v.code).toBe(0);
    expect(v.stdout.trim()).toMatch(/^\d+\.\d+\.\d+/);
    const h = await runCli(['--help'], '/');
    expect(h.code).toBe(0);
    expect(h.stdout).toMatch(/Examples:/);
    expect(h.stdout).toMatch(/Exit codes:\n {2}0 .*\n {2}1 .*\n {2}2 /);
    const ah = await runCli(['audit', '--help'], '/');
    expect(ah.stdout.replace(/\s+/g, ' ')).toMatch(/--format <format> report format \(default text\) \(choices: "text", "json", "markdown", "html", "sarif"\)/);
  });

  it('rewrite options are not in the help of audit and check, and are refused there (exit 2)', async () => {
    const dir = await project();
    for (const command of ['audit', 'check']) {
      const help = (await runCli([command, '--help'], '/')).stdout.split('Examples:')[0]!;
      for (const flag of ['--idle', '--interval', '--count', '--user-timeout', '--on-error', '--toggle']) expect(help).not.toContain(flag);
    }
    expect((await runCli(['fix', '--help'], '/')).stdout).toMatch(/--idle[\s\S]*--toggle/);
    const audit = await runCli(['audit', '.', '--idle', '60', '--toggle', 'env'], dir);
    expect(audit).toMatchObject({ code: 2, stdout: '', stderr: 'ka-codemod: --idle and --toggle are rewrite options: audit rewrites nothing (use them with fix)\n' });
    const check = await runCli(['check', '.', '--initial-delay', '5000'], dir);
    expect(check).toMatchObject({ code: 2, stderr: 'ka-codemod: --initial-delay is a rewrite option: check rewrites nothing (use it with fix)\n' });
  });

  it('bad options, missing paths and invalid configuration exit 2 with one clear line', async () => {
    const dir = await project();
    expect((await runCli(['audit', '.', '--format', 'pdf'], dir)).code).toBe(2);
    const idle = await runCli(['fix', '.', '--idle', 'soon'], dir);
    expect(idle.code).toBe(2);
    expect(idle.stderr).toBe('ka-codemod: --idle: expected a whole number, got "soon"\n');
    const missing = await runCli(['check', 'nowhere'], dir);
    expect(missing).toMatchObject({ code: 2, stderr: 'ka-codemod: no such file or directory: nowhere\n' });
    expect((await runCli(['audit', '.', '--lang', 'rust'], dir)).stderr).toMatch(/unknown language "rust"/);
    await writeFile(path.join(dir, 'package.json'), JSON.stringify({ name: 'x', 'ka-codemod': { idel: 5, onError: 'explode' } }));
    const cfg = await runCli(['audit', '.'], dir);
    expect(cfg.code).toBe(2);
    expect(cfg.stderr).toMatch(/invalid configuration in .*package\.json \("ka-codemod"\): .*unknown setting "idel".*"onError" must be one of "project", "fail", "log", "ignore"/);
  });

  it('a report that cannot be written: one line, exit 2', async () => {
    const dir = await project();
    await writeFile(path.join(dir, 'file'), 'x');
    const r = await runCli(['audit', '.', '--output', 'file/report.txt'], dir);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^ka-codemod: cannot write .*file\/report\.txt: (ENOTDIR|EEXIST)\n$/);
    // mkdir says ENOENT under /proc: Node's recursive mkdir spun there forever
    const proc = await runCli(['audit', '.', '-o', '/proc/nope/x.json', '--format', 'json'], dir);
    expect(proc).toMatchObject({ code: 2, stderr: 'ka-codemod: cannot write /proc/nope/x.json: ENOENT\n' });
    // missing directories are still made
    expect((await runCli(['audit', '.', '-o', 'a/b/r.json', '--format', 'json'], dir)).code).toBe(0);
    expect(JSON.parse(readFileSync(path.join(dir, 'a/b/r.json'), 'utf8')).version).toBe(1);
  });

  it('a file named on the command line goes to the engine of its language only; others are one warning', async () => {
    const dir = await project({ ...C_FILES, 'notes.txt': 'socket(' });
    let tsFiles: readonly string[] = ['not called'];
    const ts = { language: 'ts' as const, extensions: ['.ts'], analyze: async (req: { files: readonly string[] }) => ((tsFiles = req.files), { sites: [], problems: [], stats: {} }), plan: async () => ({ sites: [], problems: [], stats: {}, files: [] }) };
    const r = await runCli(['audit', 'src/client.c', 'notes.txt', '--format', 'json'], dir, { engines: [fakeCEngine, ts] });
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).summary.filesScanned).toBe(1);
    expect(tsFiles).toEqual(['not called']); // no TS file: the TS engine is not even asked
    expect(r.stderr).toBe('notes.txt: warning: not a C (.c, .h) or TS/JS file; skipped\n');
  });

  it('an engine crash is an internal error: exit 2', async () => {
    const dir = await project();
    const broken = { language: 'c' as const, extensions: ['.c'], analyze: async () => Promise.reject(new Error('boom')), plan: async () => Promise.reject(new Error('boom')) };
    const r = await runCli(['check', '.'], dir, { engines: [broken] });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^ka-codemod: internal error: Error: boom/);
  });

  it('audit names paths from one base: the audited directory, in the report and in its warnings', async () => {
    const dir = await project({ ...C_FILES, 'src/bad.c': '\0\0\0 binary' });
    const r = await runCli(['audit', 'src'], dir);
    expect(r.stdout).toMatch(/under src\n/);
    expect(r.stdout).toMatch(/\nclient\.c:4:14 /);
    expect(r.stderr).toMatch(/^bad\.c: /m);
  });

  it('files that cannot be read are one line each on stderr, and the run goes on', async () => {
    const dir = await project({ ...C_FILES, 'src/blob.c': 'int x;\0\0\0binary\0' });
    const r = await runCli(['check', '.'], dir);
    expect(r.code).toBe(1);
    const lines = r.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^src\/blob\.c: error: .*\[binary\]$/);
    expect(r.stdout).toMatch(/1 file skipped/);
  });
});
