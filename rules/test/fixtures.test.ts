import { readFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { Linter } from 'eslint';
import { analyzeTsSource } from '@ka-codemod/ts';
import { isFlagged } from '@ka-codemod/core';
import { describe, expect, it, onTestFinished } from 'vitest';
import { engineOptions, fixtureCases, nodeRange, ruleOptions, stageCase } from '../../test/helpers/ts-fixtures.js';
import { configFor } from './support/lint.js';
import { MISSING_ERROR_LISTENER } from '../src/util/report-text.js';

const byPosition = (a: { line: number; column: number }, b: { line: number; column: number }) => a.line - b.line || a.column - b.column;

/**
 * The rule over every shared case, against the engine on the same file: one report per flagged
 * site, on the engine's span of the call's name; the engine's fix as the suggestion, with its
 * description; under `fix: 'autofix-safe'` an autofix exactly for the fixes the engine marks safe;
 * and under `fix: 'autofix'`, `eslint --fix` gives exactly the case's expected output.
 */
describe('require-keepalive over fixtures/ts', () => {
  const cases = fixtureCases();
  it('has cases', () => {
    expect(cases.length).toBeGreaterThan(100);
  });

  it.each(cases.map((c) => [c.name, c] as const))('%s', (_name, c) => {
    // The rule judges a file within its package: the case alone (fixtures/ts is one package of unrelated cases).
    const staged = stageCase(c);
    onTestFinished(() => staged.remove());
    const input = readFileSync(c.input, 'utf8');
    const expected = readFileSync(c.output, 'utf8');
    const options = ruleOptions(c.options);
    const linter = new Linter({ configType: 'flat', cwd: dirname(staged.input) });

    // Under 'autofix-safe' (suggestion mode itself, never an autofix, is the RuleTester table's).
    const messages = linter.verify(input, configFor(staged.input, { ...options, fix: 'autofix-safe' }), staged.input);
    if (messages.some((m) => m.fatal)) {
      // A file the parser rejects gets ESLint's own parse error and no report from the rule.
      expect(c.noTransform).toBe(true);
      expect(messages.every((m) => m.ruleId === null)).toBe(true);
      return;
    }
    expect(messages.filter((m) => m.ruleId === null)).toEqual([]);

    const engine = analyzeTsSource({ fileName: c.input, text: input, options: engineOptions(c.options), nodeRange: nodeRange(c.options), edits: false });
    const flagged = engine.sites.filter(isFlagged).sort(byPosition);
    // Where: the engine's span, as is.
    expect(messages.map((m) => [m.line, m.column, m.endLine, m.endColumn])).toEqual(flagged.map((s) => [s.line, s.column, s.endLine, s.endColumn]));
    flagged.forEach((site, i) => {
      const m = messages[i]!;
      // A missing 'error' listener is part of the report (keepalive turns a dead peer into an 'error' event).
      expect(m.message.includes(MISSING_ERROR_LISTENER), `line ${site.line}`).toBe(site.errorHandler === 'no');
      // The engine's fix, in its words, as a suggestion; an autofix too exactly when the engine calls it safe.
      expect((m.suggestions ?? []).map((s) => s.desc)).toEqual(site.fix ? [site.fix.description] : []);
      expect(m.fix !== undefined, `line ${site.line}`).toBe(site.fix?.kind === 'safe');
    });

    const fixed = linter.verifyAndFix(input, configFor(staged.input, { ...options, fix: 'autofix' }), staged.input);
    expect(fixed.messages.filter((m) => m.ruleId === null)).toEqual([]);
    expect(fixed.output).toBe(expected);
  });
});
