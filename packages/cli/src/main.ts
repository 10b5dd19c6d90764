import { Command, CommanderError, Option } from 'commander';
import { readMachineTimers, type Engine, type MachineTimers } from '@ka-codemod/core';
import { loadConfig } from './config.js';
import { createContext, type Context } from './context.js';
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
  $ ka-codemod audit fixtures                        a readable report of every site
  $ ka-codemod audit src/ --format sarif -o ka.sarif for GitHub code scanning
  $ ka-codemod audit src/ --format html -o audit.html

Exit codes:
  0  success (audit and fix: always, unless an error occurred; check: no TCP site lacks keepalive)
  1  check found TCP sites without keepalive (not in the baseline)
  2  usage error (bad option, missing path, invalid configuration) or internal error

Configuration: ka-codemod.config.json or a "ka-codemod" key in package.json (nearest, up to the
repository root), or --config FILE; command-line options win. Schema: schema/ka-codemod.config.schema.json.
Honours .gitignore, never enters node_modules. NO_COLOR or --no-color turn colors off.
Docs: docs/cli.md`;

function collect(value: string, previous: string[] | undefined): string[] {
  return [...(previous ?? []), value];
}

/** The options every command shares. */
function withSharedOptions(cmd: Command): Command {
  return cmd
    .option('--lang <list>', 'languages to scan: c, ts (TypeScript and JavaScript) or c,ts', undefined)
    .option('--include <glob>', 'only files matching this glob, relative to each PATH (repeatable)', collect)
    .option('--exclude <glob>', 'skip files matching this glob, on top of .gitignore (repeatable)', collect)
    .option('--idle <seconds>', 'C rewrite: TCP_KEEPIDLE (TCP_KEEPALIVE on macOS); default: keep the system idle time')
    .option('--interval <seconds>', 'C rewrite: TCP_KEEPINTVL, seconds between probes')
    .option('--count <probes>', 'C rewrite: TCP_KEEPCNT, unanswered probes before the peer is declared dead')
    .option('--user-timeout <ms>', 'C rewrite: TCP_USER_TIMEOUT in milliseconds')
    .option('--initial-delay <ms>', 'TS/JS rewrite: keepAliveInitialDelay / setKeepAlive delay (default 60000)')
    .addOption(new Option('--on-error <mode>', 'C rewrite: when setsockopt fails, do what the code around it does with a failing socket option (project, the default), leave like its error path (fail), log and go on, or ignore').choices(['project', 'fail', 'log', 'ignore']))
    .addOption(new Option('--toggle <kind>', 'C rewrite: "env" adds a run-time switch (KEEPALIVE=off, KEEPIDLE, KEEPINTVL, KEEPCNT)').choices(['none', 'env']))
    .option('-j, --jobs <n>', 'threads the C engine parses with (default: up to 2 when there are megabytes to parse; 1: no workers)')
    .option('-c, --config <file>', 'configuration file (default: ka-codemod.config.json or package.json "ka-codemod")')
    .option('-q, --quiet', 'print only findings and errors')
    .option('--no-color', 'no colors (also: NO_COLOR=1)');
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
      .option('--force', 'rewrite even when the git work tree has uncommitted changes')
      .option('--include-vendored', 'C rewrite: also rewrite vendored copies of other projects (vendor/, third_party/, deps/, ...)')
      .option('--include-tests', 'C rewrite: also rewrite test and example programs'),
  ).action((paths: string[], raw: RawOptions) => run(runFix, paths, raw));

  withSharedOptions(
    program
      .command('check')
      .description('report TCP sockets without keepalive; exit 1 if there is any (for CI); writes nothing')
      .argument('<paths...>', 'files or directories')
      .option('--baseline <file>', 'fail only on findings not recorded in this file')
      .option('--update-baseline', 'record the current findings in the --baseline file and exit 0'),
  ).action((paths: string[], raw: RawOptions) => run(runCheck, paths, raw));

  withSharedOptions(
    program
      .command('audit')
      .description('report every socket creation site: keepalive, tuning, coverage and time to notice a dead peer')
      .argument('<paths...>', 'files or directories')
      .addOption(new Option('-f, --format <format>', 'report format (default text)').choices(REPORT_FORMATS))
      .option('-o, --output <file>', 'write the report to this file instead of stdout')
      .option('--baseline <file>', 'SARIF: mark findings as new or unchanged against this baseline'),
  ).action((paths: string[], raw: RawOptions) => run(runAudit, paths, raw));

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
    code = await runner(ctx);
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
