import { DEFAULT_OPTIONS, type KeepaliveOptions } from '@ka-codemod/core';

/**
 * How the engine's rewrite is offered. ESLint holds that autofixes must not change run-time
 * behaviour, so suggestions by default; `autofix-safe` autofixes the fixes the engine marks `safe`
 * (keepalive only, see FixKind) and leaves the `unsafe` ones as suggestions; `autofix` autofixes all.
 */
export type FixMode = 'suggestion' | 'autofix-safe' | 'autofix';

/** The rule's one option object, as written in a config (every field optional). */
export interface RequireKeepaliveOptions {
  fix?: FixMode;
  /** keepAliveInitialDelay / setKeepAlive delay in ms written by the fix. */
  initialDelay?: number;
  /** engines.node range to judge by; by default the engine reads the nearest package.json. */
  nodeVersion?: string;
  /** Site kinds never reported, as the engine names them: `net.createServer`, `tls.connect`, ... */
  ignoreCalls?: string[];
  /** Regular expressions; a site inside a function whose name matches one is not reported. */
  ignoreFunctions?: string[];
  /** Also report sockets whose keepalive the engine could not follow (verdict `unknown`). */
  reportUnknown?: boolean;
  /** Judge a file whose sockets leave it with the other files of its package, as `ka-codemod` does. */
  crossFile?: boolean;
}

/** Settings the rule works with, resolved once per file. */
export interface ResolvedOptions {
  fix: FixMode;
  engine: KeepaliveOptions;
  nodeRange: string | undefined;
  ignoreCalls: ReadonlySet<string>;
  ignoreFunctions: readonly RegExp[];
  reportUnknown: boolean;
  crossFile: boolean;
}

/**
 * Resolved once per options object: ESLint passes the same meta.defaultOptions to every file that
 * configures no options, and create() runs once per file.
 */
const resolved = new WeakMap<RequireKeepaliveOptions, ResolvedOptions>();

export function resolveOptions(options: RequireKeepaliveOptions | undefined): ResolvedOptions {
  if (options === undefined) return resolveAnew(undefined);
  let settings = resolved.get(options);
  if (!settings) resolved.set(options, (settings = resolveAnew(options)));
  return settings;
}

function resolveAnew(options: RequireKeepaliveOptions | undefined): ResolvedOptions {
  return {
    fix: options?.fix ?? 'suggestion',
    engine: { ...DEFAULT_OPTIONS, initialDelayMs: options?.initialDelay ?? DEFAULT_OPTIONS.initialDelayMs },
    nodeRange: options?.nodeVersion,
    ignoreCalls: new Set(options?.ignoreCalls ?? []),
    // The schema only admits strings; an invalid pattern throws here, which ESLint reports as a config error.
    ignoreFunctions: (options?.ignoreFunctions ?? []).map((p) => new RegExp(p, 'u')),
    reportUnknown: options?.reportUnknown ?? false,
    crossFile: options?.crossFile ?? false,
  };
}
