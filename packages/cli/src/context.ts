import type { Engine } from '@ka-codemod/core';
import type { MachineTimers } from '@ka-codemod/core';
import { colorEnabled, colorsFor, type Colors } from './colors.js';
import type { CliIo } from './io.js';
import { createProgress, type Progress } from './progress.js';
import type { ScanResult } from './scan.js';
import type { Settings } from './settings.js';

/** Everything a command needs, built once per run. */
export interface Context {
  io: CliIo;
  settings: Settings;
  engines: readonly Engine[];
  machineTimers: () => MachineTimers;
  version: string;
  /** Colors for stdout and stderr: each stream decides for itself whether it is a TTY. */
  out: Colors;
  err: Colors;
  /** No color: for files. */
  plain: Colors;
  progress: Progress;
  /** The run's scan, once a command has made it (for --timings). */
  scanned?: ScanResult;
  /** Prints to stdout unless --quiet. */
  say(line: string): void;
  /** Always prints to stderr. */
  warn(line: string): void;
}

export function createContext(io: CliIo, settings: Settings, engines: readonly Engine[], machineTimers: () => MachineTimers, version: string): Context {
  return {
    io,
    settings,
    engines,
    machineTimers,
    version,
    out: colorsFor(colorEnabled(io.stdout, io.env, settings.color)),
    err: colorsFor(colorEnabled(io.stderr, io.env, settings.color)),
    plain: colorsFor(false),
    progress: createProgress(io.stderr, !settings.quiet),
    say(line) {
      if (!settings.quiet) io.stdout.write(`${line}\n`);
    },
    warn(line) {
      io.stderr.write(`${line}\n`);
    },
  };
}
