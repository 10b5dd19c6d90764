/** What the CLI touches of its process: injected so tests run it in-process and read what it printed. */
export interface OutStream {
  write(chunk: string): unknown;
  isTTY?: boolean;
  columns?: number;
}

export interface CliIo {
  stdout: OutStream;
  stderr: OutStream;
  cwd: string;
  env: Record<string, string | undefined>;
}

export function processIo(): CliIo {
  return { stdout: process.stdout, stderr: process.stderr, cwd: process.cwd(), env: process.env };
}

/** Exit codes, as documented in --help and docs/cli.md. */
export const EXIT = { ok: 0, findings: 1, error: 2 } as const;

/** A mistake in how ka-codemod was called (bad option, missing path, invalid config): exit 2, no stack. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}
