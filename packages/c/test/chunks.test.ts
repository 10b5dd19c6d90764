import { describe, expect, it } from 'vitest';
import { topLevelChunks } from '../src/scan/chunks.js';

describe('top-level chunks', () => {
  it('splits after each top-level body, ignoring braces in comments, strings and preprocessor lines', () => {
    const text = [
      '#define OPEN {',
      'int a(void) { const char *s = "}"; char c = \'{\'; /* } */ return 1; }',
      '// }',
      'struct s { int x; } v;',
      'int b(void) { if (1) { return 2; } return 3; }',
    ].join('\n');
    const chunks = topLevelChunks(text)!;
    const pieces = chunks.map((c) => text.slice(c.start, c.end).trim());
    expect(pieces[0]).toMatch(/int a\(void\).*return 1; }$/s);
    expect(pieces[1]).toMatch(/struct s \{ int x; \} v;$/);
    expect(pieces[2]).toMatch(/^int b/);
    expect(chunks.at(-1)!.end).toBe(text.length);
  });

  it('counts braces in the first branch of an #if only, as a preprocessor would', () => {
    const text = '#ifdef X\nint f(int a) {\n#else\nint f(void) {\n#endif\n return 0; }\nint g(void) { return 1; }\n';
    const pieces = topLevelChunks(text)!.map((c) => text.slice(c.start, c.end).trim());
    expect(pieces).toEqual(['#ifdef X\nint f(int a) {\n#else\nint f(void) {\n#endif\n return 0; }', 'int g(void) { return 1; }']);
  });

  it('gives up when braces do not balance (the whole file is parsed instead)', () => {
    expect(topLevelChunks('int f(void) { return 0; } }')).toBeNull();
    expect(topLevelChunks('int f(void) { return 0;\n')).toBeNull();
  });
});

describe('chunks and preprocessor conditionals', () => {
  it('never ends a chunk inside #if ... #endif', () => {
    const text = 'int a(void) { return 0; }\n#ifdef V6\nint b(void) { return 6; }\n#else\nint b(void) { return 4; }\n#endif\nint c(void) { return 1; }\n';
    const pieces = topLevelChunks(text)!.map((c) => text.slice(c.start, c.end).trim());
    expect(pieces).toHaveLength(3);
    expect(pieces[1]).toMatch(/^#ifdef V6[\s\S]*#endif$/);
    expect(pieces[2]).toBe('int c(void) { return 1; }');
  });
});

describe('chunk ends', () => {
  it('takes the `;` of `} name;` but never one inside a following comment', () => {
    const text = 'int a(void) { return 0; }\n\n/* one; two */\nint b(void) { return 1; }\n';
    const pieces = topLevelChunks(text)!.map((c) => text.slice(c.start, c.end));
    expect(pieces[0]).toBe('int a(void) { return 0; }');
    expect(pieces[1]).toContain('/* one; two */\nint b(void) { return 1; }');
  });
});
