import { Linter, type ESLint } from 'eslint';
import type { TSESLint } from '@typescript-eslint/utils';
import { describe, expect, it } from 'vitest';
import { isIgnoredSite } from '../src/util/is-ignored-site.js';
import { MISSING_ERROR_LISTENER, reportText } from '../src/util/report-text.js';
import { resolveOptions } from '../src/util/rule-options.js';
import { requireKeepalive } from '../src/rules/require-keepalive.js';
import { siteFixer } from '../src/util/site-fixer.js';

describe('resolveOptions', () => {
  it('defaults to suggestions and the engine default delay', () => {
    const r = resolveOptions(undefined);
    expect(r.fix).toBe('suggestion');
    expect(r.engine.initialDelayMs).toBe(60_000);
    expect(r.nodeRange).toBeUndefined();
  });
  it('passes the delay, node range and fix mode through', () => {
    const r = resolveOptions({ fix: 'autofix', initialDelay: 30_000, nodeVersion: '>=22' });
    expect(r).toMatchObject({ fix: 'autofix', nodeRange: '>=22', engine: { initialDelayMs: 30_000 } });
  });
  it('rejects an invalid ignore pattern loudly', () => {
    expect(() => resolveOptions({ ignoreFunctions: ['('] })).toThrow();
  });
  it('resolves an options object once: ESLint hands every file the same meta.defaultOptions', () => {
    const options = { ignoreCalls: ['net.createServer'] };
    expect(resolveOptions(options)).toBe(resolveOptions(options));
    expect(resolveOptions({ ...options })).not.toBe(resolveOptions(options));
  });
});

// The rule's create gets context.options as ESLint passes them (create-rule.ts skips RuleCreator's
// per-file merge). ESLint before 9.15 does not merge meta.defaultOptions either: the rule fills in
// its defaults itself, here with a rule that declares none.
describe('require-keepalive without default options merged in', () => {
  const bare = { ...requireKeepalive, meta: { ...requireKeepalive.meta, defaultOptions: undefined } };
  const lint = (ruleConfig: Linter.RuleEntry) => {
    const linter = new Linter();
    return linter.verifyAndFix("const net = require('net');\nconst s = net.connect(7000, 'db');\ns.on('error', () => {});\n", {
      plugins: { k: { rules: { r: bare } } as unknown as ESLint.Plugin },
      rules: { 'k/r': ruleConfig },
    });
  };
  it.each([
    ['no options', 'error' as const, 'suggestion'],
    ['a partial options object', ['error', { fix: 'autofix' }] as Linter.RuleEntry, 'autofix'],
  ])('%s: the 60 s default delay, fix mode as configured', (_, config, mode) => {
    const result = lint(config);
    if (mode === 'autofix') expect(result.output).toContain('setKeepAlive(true, 60000)');
    else {
      expect(result.fixed).toBe(false);
      expect(result.messages[0]?.suggestions?.[0]?.fix.text).toContain('60000');
    }
  });
});

describe('isIgnoredSite', () => {
  const options = resolveOptions({ ignoreCalls: ['net.createServer'], ignoreFunctions: ['^local', 'Debug$'] });
  it.each([
    [{ call: 'net.createServer', function: null }, true],
    [{ call: 'net.connect', function: null }, false],
    [{ call: 'net.connect', function: 'localProbe' }, true],
    [{ call: 'net.connect', function: 'attachDebug' }, true],
    [{ call: 'net.connect', function: 'connectRemote' }, false],
  ])('%o -> %s', (site, expected) => {
    expect(isIgnoredSite(site, options)).toBe(expected);
  });
});

describe('reportText', () => {
  const base = { call: 'net.connect', tcp: 'yes' as const, how: 'no keepAlive option and no setKeepAlive', errorHandler: 'yes' as const };
  it('ends the engine sentence and says nothing about listeners that exist', () => {
    expect(reportText(base)).toEqual({
      call: 'net.connect',
      maybeTcp: '',
      how: 'no keepAlive option and no setKeepAlive.',
      errorListener: '',
      notes: '',
    });
  });
  it("names a missing 'error' listener and a run-time family", () => {
    const t = reportText({ ...base, tcp: 'maybe', errorHandler: 'no', notes: ['options may carry a path'] });
    expect(t.maybeTcp).toMatch(/run time/u);
    expect(t.errorListener).toBe(MISSING_ERROR_LISTENER);
    expect(t.errorListener).toContain("'error'");
    expect(t.notes).toBe(' options may carry a path.');
  });
  it('does not flag unknown listeners as missing', () => {
    expect(reportText({ ...base, errorHandler: 'unknown' }).errorListener).toBe('');
  });
});

describe('siteFixer', () => {
  const fix = { description: 'd', path: '/p/a.ts', unit: 'utf16' as const, edits: [{ start: 1, end: 2, text: 'x' }], kind: 'safe' as const, addsErrorListener: false };
  const fakeFixer = { replaceTextRange: (range: [number, number], text: string) => ({ range, text }) } as unknown as TSESLint.RuleFixer;
  it('turns engine edits into ESLint fixes for the same file', () => {
    expect(siteFixer(fix, '/p/a.ts')?.(fakeFixer)).toEqual([{ range: [1, 2], text: 'x' }]);
  });
  it('declines fixes elsewhere, in bytes, or empty', () => {
    expect(siteFixer(fix, '/p/b.ts')).toBeUndefined();
    expect(siteFixer({ ...fix, unit: 'byte' }, '/p/a.ts')).toBeUndefined();
    expect(siteFixer({ ...fix, edits: [] }, '/p/a.ts')).toBeUndefined();
    expect(siteFixer(undefined, '/p/a.ts')).toBeUndefined();
  });
});
