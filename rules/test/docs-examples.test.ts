import { readFileSync } from 'node:fs';
import { Linter } from 'eslint';
import { describe, expect, it } from 'vitest';
import { configFor } from './support/lint.js';
import { fixtureProject } from './support/rule-tester.js';

/** The ❌ / ✅ code blocks of a rule doc: docs cannot lie if their examples are linted. */
function examples(markdown: string): { incorrect: string[]; correct: string[] } {
  const out = { incorrect: [] as string[], correct: [] as string[] };
  let bucket: string[] | undefined;
  for (const part of markdown.split(/^(```[a-z]*\n[\s\S]*?^```)$/mu)) {
    if (part.startsWith('```')) {
      bucket?.push(part.replace(/^```[a-z]*\n/u, '').replace(/```$/u, ''));
      continue;
    }
    // The last marker line before a block decides; a heading other than Examples ends them.
    for (const line of part.split('\n')) {
      if (line.startsWith('❌ Incorrect')) bucket = out.incorrect;
      else if (line.startsWith('✅ Correct')) bucket = out.correct;
      else if (line.startsWith('## ') && line !== '## Examples') bucket = undefined;
    }
  }
  return out;
}

describe.each(['require-keepalive'])('docs/rules/%s.md examples', (rule) => {
  const doc = readFileSync(new URL(`../docs/rules/${rule}.md`, import.meta.url), 'utf8');
  const { incorrect, correct } = examples(doc);
  const file = `${fixtureProject}file.js`;
  const linter = new Linter({ configType: 'flat' });
  const lint = (code: string) => linter.verify(code, configFor(file, {}), file);

  it('has both kinds', () => {
    expect(incorrect.length).toBeGreaterThan(0);
    expect(correct.length).toBeGreaterThan(0);
  });
  it.each(incorrect)('❌ is reported: %s', (code) => {
    const messages = lint(code);
    expect(messages.filter((m) => m.ruleId === null)).toEqual([]);
    expect(messages.length).toBeGreaterThan(0);
  });
  it.each(correct)('✅ is not reported: %s', (code) => {
    expect(lint(code)).toEqual([]);
  });
});
