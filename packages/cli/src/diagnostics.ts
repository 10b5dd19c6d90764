import path from 'node:path';
import { isFlagged, isUnknown, relativePath, type FileProblem, type Site } from '@ka-codemod/core';
import type { Colors } from './colors.js';

/** Rule ids shared by gcc-style lines and SARIF results. */
export const RULES = {
  missing: 'tcp-keepalive-missing',
  conditional: 'tcp-keepalive-conditional',
  unknown: 'tcp-keepalive-unknown',
} as const;

/** Which rule a site falls under, if any: without keepalive, only when configured, or not followed. */
export function ruleOf(site: Site): keyof typeof RULES | undefined {
  if (isFlagged(site)) return 'missing';
  if (site.keepalive === 'conditional') return 'conditional';
  if (isUnknown(site)) return 'unknown';
  return undefined;
}

/** Path for people and editors: relative to where ka-codemod was started. */
export function displayPath(root: string, file: string, cwd: string): string {
  const rel = relativePath(cwd, path.join(root, file));
  return rel === '' ? '.' : rel;
}

/** Sentences joined into one message, each ended with a full stop. */
export function sentences(...parts: (string | undefined)[]): string {
  return parts
    .map((p) => p?.trim())
    .filter((p): p is string => !!p)
    .map((p) => (/[.!?]$/.test(p) ? p : `${p}.`))
    .join(' ');
}

export function callText(site: Pick<Site, 'call' | 'language'>): string {
  return site.call.startsWith('new ') || site.call.includes("'") ? site.call : `${site.call}()`;
}

/** "socket() in open_conn creates a TCP socket without keepalive" — what a finding means, in one clause. */
export function findingMessage(site: Site): string {
  const where = site.function ? ` in ${site.function}` : '';
  const what = site.tcp === 'maybe' ? 'creates a socket that may be TCP (family known only at run time)' : 'creates a TCP socket';
  if (site.keepalive === 'conditional') return `${callText(site)}${where} ${what} that gets keepalive only when configured so`;
  if (site.keepalive === 'unknown') return `${callText(site)}${where} ${what} whose keepalive could not be followed`;
  return `${callText(site)}${where} ${what} without keepalive`;
}

/**
 * gcc-style `file:line:col: warning: message [rule]` lines, which editors' error parsers and CI
 * annotators (GitHub's gcc problem matcher, Emacs compile-mode, Vim quickfix) pick up.
 */
export function diagnosticLine(site: Site, root: string, cwd: string, c: Colors, strict = false): string | undefined {
  const kind = ruleOf(site);
  if (!kind) return undefined;
  const flagged = kind === 'missing';
  const severity = flagged || (strict && kind === 'unknown') ? c.yellow(c.bold('warning:')) : c.cyan(c.bold('note:'));
  const rule = RULES[kind];
  const loc = c.bold(`${displayPath(root, site.file, cwd)}:${site.line}:${site.column}:`);
  // the rewrite's own reason when it declined the site (`not rewritten: vendored code …`)
  const declined = site.notes?.filter((n) => n.startsWith('not rewritten: ')).at(-1);
  const fixHint = flagged && !site.fixable ? ` (${declined ?? 'not rewritable automatically'})` : '';
  return `${loc} ${severity} ${findingMessage(site)}: ${site.how}${fixHint} [${rule}]`;
}

/** Kinds after which the file was still (partly) analysed: a warning, not an error. */
const PARTIAL: ReadonlySet<FileProblem['kind']> = new Set(['parse-error']);

/** One clear line for a file that could not be read, parsed or written. */
export function problemLine(problem: FileProblem, root: string, cwd: string, c: Colors): string {
  const file = displayPath(root, problem.file, cwd);
  const loc = problem.line !== undefined ? `${file}:${problem.line}:` : `${file}:`;
  // Messages usually start with the file's own name: say it once.
  let message = problem.message;
  for (const prefix of [`${problem.file}:`, `${file}:`]) if (message.startsWith(prefix)) message = message.slice(prefix.length).trimStart();
  const severity = PARTIAL.has(problem.kind) ? c.yellow(c.bold('warning:')) : c.red(c.bold('error:'));
  return `${c.bold(loc)} ${severity} ${message} [${problem.kind}]`;
}
