import { describe, expect, it } from 'vitest';
import { blankBareStatementMacros } from '../src/statement-macros.js';
import { buildMacroTable, scanDefines } from '../src/macros.js';

const names = new Set(['TRACE']);

describe('bare statement macros', () => {
  it('blanks a semicolon-less invocation on its own line, keeping offsets and line breaks', () => {
    const text = 'int f(void) {\n  TRACE(("a %s", "(x)"))\n  return 0;\n}\n';
    const out = blankBareStatementMacros(text, names);
    expect(out.length).toBe(text.length);
    expect(out.split('\n').map((l) => l.trim())).toEqual(['int f(void) {', '', 'return 0;', '}', '']);
  });

  it('blanks one spanning lines, and one followed by a comment', () => {
    const text = '  TRACE(("a",\n    b))\n  TRACE((c)) /* why */\n';
    expect(blankBareStatementMacros(text, names).trim()).toBe('/* why */');
  });

  it('leaves invocations with a semicolon, inside expressions, or of other names', () => {
    for (const text of ['  TRACE((x));\n', '  if (a) TRACE((x))\n', '  MY_TRACE((x))\n', '  TRACE_ON((x))\n', '  x = TRACE((y))\n']) {
      expect(blankBareStatementMacros(text, names)).toBe(text);
    }
  });

  it('statement macros are function-like macros some definition of which is empty', () => {
    const text = '#ifdef D\n#define TRACE(X) printf X;\n#define LOG(x) log_it(x)\n#else\n#define TRACE(X)\n#define EMPTY_OBJ\n#endif\n';
    const table = buildMacroTable(scanDefines(Buffer.from(text, 'latin1')));
    expect([...(table.statementMacros ?? [])]).toEqual(['TRACE']);
  });
});
