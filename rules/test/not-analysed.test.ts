import { Linter } from 'eslint';
import { describe, expect, it, vi } from 'vitest';
import { configFor } from './support/lint.js';
import { fixtureProject } from './support/rule-tester.js';

// The engine's side of a file it could not parse, whatever ESLint's parser thought of it.
vi.mock('@ka-codemod/ts', () => ({
  mayHoldSites: () => true,
  analyzeTsSource: () => ({
    sites: [],
    problems: [{ file: 'x.js', kind: 'parse-error', message: "x.js:2: ')' expected.; file left alone", line: 2 }],
    edits: [],
  }),
}));

describe('require-keepalive when the engine cannot read a file', () => {
  it('says so on the line of the first error instead of passing silently', () => {
    const file = `${fixtureProject}file.js`;
    const messages = new Linter({ configType: 'flat' }).verify('const a = 1;\nconst b = 2;\n', configFor(file, {}), file);
    expect(messages).toHaveLength(1);
    expect(messages[0]).toMatchObject({ ruleId: 'keepalive/require-keepalive', messageId: 'notAnalysed', line: 2 });
    expect(messages[0]?.message).toContain("')' expected");
  });
});
