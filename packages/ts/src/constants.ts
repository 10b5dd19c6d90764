/**
 * The TS/JS engine's facts that faces need before (or without) loading the engine: this module
 * imports nothing, so `@ka-codemod/ts/constants` loads neither TypeScript nor the engine (the CLI
 * discovers files and checks options with it, and loads the engine only when TS/JS files exist).
 */

/** The file extensions the engine reads: TypeScript and JavaScript, every module flavour, with JSX. */
export const TS_EXTENSIONS = ['.ts', '.tsx', '.mts', '.cts', '.js', '.jsx', '.mjs', '.cjs'] as const;

/**
 * socket.setKeepAlive(enable, initialDelay) and keepAliveInitialDelay apply the delay in whole
 * seconds (ms / 1000 truncated), and 0 means the OS default idle time: a delay below this is no delay.
 */
export const MIN_USEFUL_DELAY_MS = 1000;

/** The OS default idle time before the first probe (tcp_keepalive_time on Linux), 2 hours. */
export const OS_DEFAULT_IDLE_SECONDS = 7200;
