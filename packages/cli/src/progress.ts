import { createRequire } from 'node:module';
import type cliProgressModule from 'cli-progress';
import type { OutStream } from './io.js';

/** Loaded when a bar is first drawn: pipes, CI logs and quick runs never draw one. */
const loadCliProgress = (): typeof cliProgressModule => createRequire(import.meta.url)('cli-progress') as typeof cliProgressModule;

/** How long a run goes before a bar is worth drawing: short runs stay quiet. */
export const PROGRESS_DELAY_MS = 800;

export interface Progress {
  /** Adds work to the total (files found for one engine, files to write). */
  grow(units: number): void;
  /** Marks work done; `label` says what is running now. */
  advance(units: number, label?: string): void;
  stop(): void;
}

const silent: Progress = { grow() {}, advance() {}, stop() {} };

/**
 * A progress bar on stderr, only on a TTY and only once the run has taken longer than a moment,
 * so pipes, CI logs and quick runs get none (stdout is never touched: reports stay clean).
 */
export function createProgress(stream: OutStream, enabled: boolean, now: () => number = Date.now): Progress {
  if (!enabled || stream.isTTY !== true) return silent;
  const started = now();
  let total = 0;
  let done = 0;
  let label = '';
  let bar: cliProgressModule.SingleBar | undefined;
  const render = () => {
    if (!bar && now() - started < PROGRESS_DELAY_MS) return;
    if (!bar) {
      const cliProgress = loadCliProgress();
      bar = new cliProgress.SingleBar(
        { stream: stream as NodeJS.WritableStream, format: 'ka-codemod [{bar}] {value}/{total} files · {duration_formatted} · {label}', hideCursor: true, clearOnComplete: true, etaBuffer: 50 },
        cliProgress.Presets.shades_classic,
      );
      bar.start(total, done, { label });
    } else {
      bar.setTotal(total);
      bar.update(done, { label });
    }
  };
  return {
    grow(units) {
      total += units;
      render();
    },
    advance(units, next) {
      done = Math.min(total, done + units);
      if (next !== undefined) label = next;
      render();
    },
    stop() {
      bar?.stop();
    },
  };
}
