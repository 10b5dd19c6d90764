import { Command, CommanderError, Option } from 'commander';
import { readMachineTimers, repositoryFileUrl, type Engine, type MachineTimers } from '@ka-codemod/core';
import { loadConfig } from './config.js';
import { createContext, type Context } from './context.js';
import { printTimings } from './timings.js';
import { DEFAULT_ENGINES } from './engines.js';
import { EXIT, UsageError, processIo, type CliIo } from './io.js';
import { REPORT_FORMATS, resolveSettings, type RawOptions } from './settings.js';
import { cliVersion } from './version.js';

export interface MainDeps {
  /** The engines to run; the real C and TS engines by default (tests inject fakes). */
  engines?: readonly Engine[];
  /** The auditing machine's keepalive timers; /proc by default. */
  machineTimers?: () => MachineTimers;
}

const EXAMPLES = `
Examples:
  $ ka-codemod src/                                  rewrite every TCP socket without keepalive under src/
  $ ka-codemod fix --dry-run src/ > keepalive.patch  show the rewrite as a unified diff, write nothing
  $ ka-codemod fix --idle 120 --interval 30 --count 4 src/
                                                     C: also set TCP_KEEPIDLE/TCP_KEEPINTVL/TCP_KEEPCNT
  $ ka-codemod check src/                            CI gate: exit 1 when a TCP socket lacks keepalive
  $ ka-codemod check --baseline .ka-baseline.json --update-baseline src/
  $ ka-codemod check --baseline .ka-baseline.json src/
                                                     record today's findings, then fail only on new ones
  $ ka-codemod audit src/                            a readable report of every site
  $ ka-codemod audit src/ --format sarif -o ka.sarif for GitHub code scanning
  $ ka-codemod audit src/ --format html -o audit.html

Exit codes:
  0  success (audit and fix: always, unless an error occurred; check: no TCP site lacks keepalive)
  1  check found TCP sites without keepalive (not in the baseline)
  2  usage error (bad option, missing path, invalid configuration) or internal error

Configuration: ka-codemod.config.json or a "ka-codemod" key in package.json (nearest, up to the
repository root), or --config FILE; command-line options win. Schema: schema/ka-codemod.config.schema.json
in this package. Honours .gitignore, never enters node_modules. NO_COLOR or --no-color turn colors off.
Docs: ${repositoryFileUrl('docs/cli.md')}`;

function collect(value: string, previous: string[] | undefined): string[] {
  return [...(previous ?? []), value];
}

/** The options every command shares. */
function withSharedOptions(cmd: Command): Command {
  return cmd
    .option('--lang <list>', 'languages to scan: c, ts (TypeScript and JavaScript) or c,ts', undefined)
    .option('--include <glob>', 'only files matching this glob, relative to each PATH, at any depth unless it has a slash (repeatable)', collect)
    .option('--exclude <glob>', 'skip files matching this glob, on top of .gitignore (repeatable)', collect)
    .option('-j, --jobs <n>', 'threads the C engine parses with (default: up to 2 when there are megabytes to parse; 1: no workers)')
    .option('--include-copies', 'also analyse copies that are not part of the build (quilt .pc/, *.orig, *.rej, *.bak, *~; skipped by default)')
    .option('--timings', 'print where the time went, phase by phase, to stderr')
    .option('-c, --config <file>', 'configuration file (default: ka-codemod.config.json or package.json "ka-codemod")')
    .option('-q, --quiet', 'print only findings and errors')
    .option('--no-color', 'no colors (also: NO_COLOR=1)');
}

/** What the rewrite writes: `fix` only (audit's JSON and SARIF carry TS/JS edits, so --initial-delay applies there too). */
const C_REWRITE_OPTIONS = ['idle', 'interval', 'count', 'userTimeout', 'onError', 'toggle'] as const;

function withCRewriteOptions(cmd: Command, hidden = false): Command {
  const options = [
    new Option('--idle <seconds>', 'C rewrite: TCP_KEEPIDLE (TCP_KEEPALIVE on macOS); default: keep the system idle time'),
    new Option('--interval <seconds>', 'C rewrite: TCP_KEEPINTVL, seconds between probes'),
    new Option('--count <probes>', 'C rewrite: TCP_KEEPCNT, unanswered probes before the peer is declared dead'),
    new Option('--user-timeout <ms>', 'C rewrite: TCP_USER_TIMEOUT in milliseconds'),
    new Option('--on-error <mode>', 'C rewrite: when setsockopt fails, fail like the code around it, log, or ignore (default fail)').choices(['fail', 'log', 'ignore']),
    new Option('--toggle <kind>', 'C rewrite: "env" adds a run-time switch (KEEPALIVE=off, KEEPIDLE, KEEPINTVL, KEEPCNT)').choices(['none', 'env']),
  ];
  // audit and check know them only to refuse them with a clear message (they rewrite nothing).
  for (const option of options) cmd.addOption(hidden ? option.hideHelp() : option);
  return cmd;
}

function initialDelayOption(hidden = false): Option {
  const option = new Option('--initial-delay <ms>', 'TS/JS rewrite: keepAliveInitialDelay / setKeepAlive delay (default 60000)');
  return hidden ? option.hideHelp() : option;
}

/** A rewrite option given to a command that does not rewrite: a usage error, not a silent no-op. */
function refuseRewriteOptions(command: string, raw: RawOptions, refused: readonly (keyof RawOptions)[]): void {
  const given = refused.filter((key) => raw[key] !== undefined);
  if (given.length === 0) return;
  const flags = given.map((key) => `--${key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`);
  const named = flags.length === 1 ? `${flags[0]} is a rewrite option` : `${flags.slice(0, -1).join(', ')} and ${flags.at(-1)} are rewrite options`;
  throw new UsageError(`${named}: ${command} rewrites nothing (use ${flags.length === 1 ? 'it' : 'them'} with fix)`);
}

type Runner = (ctx: Context) => Promise<number>;

// Each command's module (report formats, diffs, git) is loaded only when that command runs.
const runFix: Runner = async (ctx) => (await import('./commands/fix.js')).runFix(ctx);
const runCheck: Runner = async (ctx) => (await import('./commands/check.js')).runCheck(ctx);
const runAudit: Runner = async (ctx) => (await import('./commands/audit.js')).runAudit(ctx);

export function buildProgram(io: CliIo, run: (runner: Runner, paths: string[], raw: RawOptions) => Promise<void>): Command {
  const program = new Command('ka-codemod')
    .description('Find TCP sockets without keepalive in C and TypeScript/JavaScript, report them, and rewrite them.')
    .version(cliVersion(), '-V, --version')
    .exitOverride()
    .showHelpAfterError('(run ka-codemod --help for usage)')
    .configureOutput({ writeOut: (s) => io.stdout.write(s), writeErr: (s) => io.stderr.write(s) })
    .addHelpText('after', EXAMPLES);

  withSharedOptions(
    program
      .command('fix', { isDefault: true })
      .description('rewrite every TCP socket without keepalive (the default command)')
      .argument('<paths...>', 'files or directories')
      .option('--dry-run', 'print the rewrite as a unified diff instead of writing it')
      .option('--force', 'rewrite even when files it would write have uncommitted changes in git')
      .addOption(initialDelayOption()),
  ).action((paths: string[], raw: RawOptions) => run(runFix, paths, raw));
  withCRewriteOptions(program.commands[0]!);

  withSharedOptions(
    program
      .command('check')
      .description('report TCP sockets without keepalive; exit 1 if there is any (for CI); writes nothing')
      .argument('<paths...>', 'files or directories')
      .option('--baseline <file>', 'fail only on findings not recorded in this file')
      .option('--update-baseline', 'record the current findings in the --baseline file and exit 0')
      .option('--strict', 'also fail on TCP sockets whose keepalive could not be followed (verdict unknown)')
      .addOption(initialDelayOption(true)),
  ).action((paths: string[], raw: RawOptions) => {
    refuseRewriteOptions('check', raw, [...C_REWRITE_OPTIONS, 'initialDelay']);
    return run(runCheck, paths, raw);
  });
  withCRewriteOptions(program.commands[1]!, true);

  withSharedOptions(
    program
      .command('audit')
      .description('report every socket creation site: keepalive, tuning, coverage and time to notice a dead peer')
      .argument('<paths...>', 'files or directories')
      .addOption(new Option('-f, --format <format>', 'report format (default text)').choices(REPORT_FORMATS))
      .option('-o, --output <file>', 'write the report to this file instead of stdout')
      .option('--baseline <file>', 'SARIF: mark findings as new or unchanged against this baseline')
      .addOption(new Option('--initial-delay <ms>', 'TS/JS: the keepAliveInitialDelay / setKeepAlive delay in the fixes of JSON and SARIF reports (default 60000)')),
  ).action((paths: string[], raw: RawOptions) => {
    refuseRewriteOptions('audit', raw, C_REWRITE_OPTIONS);
    return run(runAudit, paths, raw);
  });
  withCRewriteOptions(program.commands[2]!, true);

  for (const cmd of program.commands) cmd.addHelpText('after', EXAMPLES);
  return program;
}

/** Runs the CLI; resolves to the exit code. Never calls process.exit, so tests run it in-process. */
export async function main(argv: readonly string[], io: CliIo = processIo(), deps: MainDeps = {}): Promise<number> {
  const engines = deps.engines ?? DEFAULT_ENGINES;
  const machineTimers = deps.machineTimers ?? (() => readMachineTimers());
  let code: number = EXIT.ok;
  let ctx: Context | undefined;
  const program = buildProgram(io, async (runner, paths, raw) => {
    const loaded = loadConfig(io.cwd, raw.config);
    const settings = resolveSettings(paths, raw, loaded.config, loaded.source, io.cwd);
    ctx = createContext(io, settings, engines, machineTimers, cliVersion());
    const commandStarted = performance.now();
    code = await runner(ctx);
    if (settings.timings && ctx.scanned) printTimings(ctx, ctx.scanned, commandStarted);
  });
  if (argv.length === 0) {
    // Nothing to do: show what can be done, but as a usage error (a script that forgot its PATH fails).
    io.stderr.write(program.helpInformation());
    return EXIT.error;
  }
  try {
    await program.parseAsync([...argv], { from: 'user' });
    return code;
  } catch (error) {
    ctx?.progress.stop();
    if (error instanceof CommanderError) {
      // --help and --version end here with exit code 0; commander already printed the message.
      return error.exitCode === 0 ? EXIT.ok : EXIT.error;
    }
    if (error instanceof UsageError) {
      io.stderr.write(`ka-codemod: ${error.message}\n`);
      return EXIT.error;
    }
    io.stderr.write(`ka-codemod: internal error: ${(error as Error)?.stack ?? String(error)}\n`);
    return EXIT.error;
  }
}
