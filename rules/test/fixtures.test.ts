import { readFileSync } from 'node:fs';
import { Linter } from 'eslint';
import { isFlagged, type Site } from '@ka-codemod/core';
import { describe, expect, it } from 'vitest';
import { listFixturePairs, sharedFixtures } from './support/fixture-pairs.js';
import { configFor, ruleOptionsFrom } from './support/lint.js';
import { MISSING_ERROR_LISTENER } from '../src/util/report-text.js';
import { fileURLToPath } from 'node:url';

const transformFixtures = fileURLToPath(new URL('../../transforms/__testfixtures__/', import.meta.url));

/** Expected sites of a verdict case: a list of sites, or `{ sites: [...] }`. */
function expectedSites(path: string): Pick<Site, 'line' | 'tcp' | 'keepalive' | 'call' | 'errorHandler'>[] {
  const data = JSON.parse(readFileSync(path, 'utf8')) as unknown;
  const sites = Array.isArray(data) ? data : (data as { sites?: unknown }).sites;
  if (!Array.isArray(sites)) throw new Error(`${path}: no site list`);
  return sites as Pick<Site, 'line' | 'tcp' | 'keepalive' | 'call' | 'errorHandler'>[];
}

/**
 * The rule over every shared input/output pair: with `fix: 'autofix'`, `eslint --fix` must produce
 * exactly the engine's expected rewrite (and the same as the jscodeshift transform); in the default
 * mode there is one report per flagged site, each with a suggestion when the input changes.
 */
describe.each([
  ['fixtures/ts', sharedFixtures],
  ['transforms/__testfixtures__', transformFixtures],
])('require-keepalive over %s', (_label, dir) => {
  const pairs = listFixturePairs(dir);
  it('has cases', () => {
    expect(pairs.length).toBeGreaterThan(0);
  });

  it.each(pairs.map((p) => [p.name, p] as const))('%s', (_name, pair) => {
    const input = readFileSync(pair.inputPath, 'utf8');
    const expected = readFileSync(pair.outputPath, 'utf8');
    const options = ruleOptionsFrom(pair.options);
    const linter = new Linter({ configType: 'flat' });

    const parseErrors = linter.verify(input, configFor(pair.inputPath, options), pair.inputPath).filter((m) => m.fatal);
    if (parseErrors.length > 0) {
      // A file the parser rejects gets ESLint's own parse error and no report from the rule.
      expect(pair.noTransform).toBe(true);
      expect(parseErrors.every((m) => m.ruleId === null)).toBe(true);
      return;
    }

    const fixed = linter.verifyAndFix(input, configFor(pair.inputPath, { ...options, fix: 'autofix' }), pair.inputPath);
    expect(fixed.messages.filter((m) => m.ruleId === null)).toEqual([]);
    expect(fixed.output).toBe(expected);

    const messages = linter.verify(input, configFor(pair.inputPath, options), pair.inputPath);
    expect(messages.filter((m) => m.ruleId === null)).toEqual([]);
    for (const m of messages) expect(m.fix).toBeUndefined();
    if (input !== expected) {
      expect(messages.length).toBeGreaterThan(0);
      expect(messages.some((m) => (m.suggestions ?? []).length > 0)).toBe(true);
    }
    if (pair.sitesPath) {
      const flagged = expectedSites(pair.sitesPath).filter(isFlagged);
      expect(messages.map((m) => m.line).sort((a, b) => a - b)).toEqual(flagged.map((s) => s.line).sort((a, b) => a - b));
      // A missing 'error' listener is part of the report (keepalive turns a dead peer into an 'error' event).
      for (const site of flagged) {
        const message = messages.find((m) => m.line === site.line);
        expect(message?.message.includes(MISSING_ERROR_LISTENER), `line ${site.line}`).toBe(site.errorHandler === 'no');
      }
    }
  });
});
