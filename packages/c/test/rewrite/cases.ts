/**
 * The C rewrite's fixture cases: every folder under fixtures/c/rewrite/ holds `input.c`, an
 * `expected.c` (absent = the file must not change) and a `case.json`. Adding a case needs no code.
 */
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DEFAULT_OPTIONS, type KeepaliveOptions } from '@ka-codemod/core';
import type { CFixTarget, CKeepaliveHelper } from '@ka-codemod/c';
import Parser from 'tree-sitter';
import C from 'tree-sitter-c';

export const CASES_DIR = fileURLToPath(new URL('../../../../fixtures/c/rewrite/', import.meta.url));

export interface CaseSpec {
  description: string;
  /** The calls the analysis would hand over: the nth `call(` of the input (0-based). */
  targets: { call: string; nth?: number; tcp?: 'yes' | 'maybe'; reason?: string }[];
  options?: Partial<KeepaliveOptions>;
  /** Keepalive helpers the analysis would report, defined in the input file itself. */
  helpers?: { name: string; returns: 'int' | 'void' | 'unknown'; conditional?: boolean }[];
  /** FileProblem kinds the plan must report. */
  problems?: string[];
  /** SiteFix.kind of every fix the plan gives (`safe`: keepalive and at most a log line on failure). */
  fixKind?: 'safe' | 'unsafe';
  /** How the e2e suite runs the compiled program; absent = compile only (or not at all with `compile: false`). */
  run?: { role: 'client' | 'server'; connections: number; env?: Record<string, string> };
  compile?: boolean;
  cflags?: string[];
  /** Strings the rewritten file must contain (beyond matching expected.c). */
  mustContain?: string[];
  /** Statement macros the analysis would report (`TRACE`): bare invocations are blanked for the parse. */
  statementMacros?: string[];
  /** Where the input lives in its project (`deps/minihttp/net.c`); default: `input.c` at the root. */
  at?: string;
  /** Under the default `--on-error project`: the policy the rewrite must read from the code. */
  policy?: 'fail' | 'log' | 'ignore';
  /** A note every site covered by the case must carry (a declined site's reason). */
  note?: string;
  /** The keepalive verdict the analysis must give every site (`yes`: nothing to rewrite). */
  verdict?: 'yes' | 'no' | 'unknown';
}

/** What the new code does when setsockopt fails in this case: the option, or the policy read from the code. */
export function effectivePolicy(spec: CaseSpec): 'fail' | 'log' | 'ignore' {
  const asked = spec.options?.onError;
  return asked && asked !== 'project' ? asked : spec.policy ?? 'log';
}

/**
 * Lays the case out in `dir` as a project: the input at `spec.at` (or `name`), with the case's
 * own headers (`*.h` beside input.c) next to it. Returns the input's path there.
 */
export function layOut(c: FixtureCase, dir: string, name = 'input.c', from = c.input): string {
  const file = join(dir, c.spec.at ?? name);
  mkdirSync(dirname(file), { recursive: true });
  copyFileSync(from, file);
  for (const h of readdirSync(c.dir).filter((f) => f.endsWith('.h'))) copyFileSync(join(c.dir, h), join(dirname(file), h));
  return file;
}

export interface FixtureCase {
  name: string;
  dir: string;
  input: string;
  expected: string | null;
  spec: CaseSpec;
}

export function listCases(): FixtureCase[] {
  return readdirSync(CASES_DIR, { withFileTypes: true })
    .filter((d) => d.isDirectory() && existsSync(join(CASES_DIR, d.name, 'case.json')))
    .map((d) => {
      const dir = join(CASES_DIR, d.name);
      const expected = join(dir, 'expected.c');
      return {
        name: d.name,
        dir,
        input: join(dir, 'input.c'),
        expected: existsSync(expected) ? expected : null,
        spec: JSON.parse(readFileSync(join(dir, 'case.json'), 'utf8')) as CaseSpec,
      };
    })
    .sort((a, b) => a.name.localeCompare(b.name));
}

export function optionsOf(spec: CaseSpec): KeepaliveOptions {
  return { ...DEFAULT_OPTIONS, ...spec.options };
}

/** Builds the targets the analysis would produce for `file`, by finding the named calls with tree-sitter. */
export function targetsFor(file: string, spec: CaseSpec): CFixTarget[] {
  const text = readFileSync(file).toString('latin1');
  const parser = new Parser();
  parser.setLanguage(C as unknown as Parser.Language);
  const calls = parser.parse(text).rootNode.descendantsOfType('call_expression');
  return spec.targets.map((t) => {
    const matching = calls.filter((c) => c.childForFieldName('function')?.text === t.call);
    const call = matching[t.nth ?? 0];
    if (!call) throw new Error(`${file}: no call #${t.nth ?? 0} to ${t.call}`);
    let fn = call.parent;
    while (fn && fn.type !== 'function_definition') fn = fn.parent;
    const name = fn?.childForFieldName('declarator')?.childForFieldName('declarator')?.text ?? null;
    return {
      path: file,
      callStartByte: call.startIndex,
      callEndByte: call.endIndex,
      function: name,
      tcp: t.tcp ?? 'yes',
      reason: t.reason ?? `${t.call}() in ${name}`,
      covers: [],
    };
  });
}

/** The keepalive helpers of a case, as the analysis would report them for `file`. */
export function helpersFor(file: string, spec: CaseSpec): CKeepaliveHelper[] {
  return (spec.helpers ?? []).map((h) => ({
    name: h.name,
    definedIn: file,
    declaredIn: [],
    fdParam: 0,
    arity: 1,
    conditional: h.conditional ?? false,
    returns: h.returns,
  }));
}
