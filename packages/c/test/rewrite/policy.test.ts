import { describe, expect, it } from 'vitest';
import { noReturnFunctions } from '../../src/rewrite/policy.js';
import { parseLatin1 } from '../../src/rewrite/parse.js';

const none = parseLatin1('').rootNode;

describe('loggers that do not return', () => {
  it('are read from prototypes in the project headers, whatever the attribute spelling', () => {
    const header = [
      '/* a comment that says noreturn ( ) */',
      '_Noreturn void die (const char *fmt, ...);',
      'extern void fatal(const char *msg) __attribute__((noreturn, format(printf, 1, 0)));',
      '#define NORETURN __attribute__ ((__noreturn__))',
      'void panic_now(int code) NORETURN;',
      'void log_warn(const char *fmt, ...);',
    ].join('\n');
    expect([...noReturnFunctions(none, [header])].sort()).toEqual(['die', 'fatal', 'panic_now']);
  });

  it('and from definitions in the file that call exit() or abort()', () => {
    const root = parseLatin1('#include <stdlib.h>\nstatic void error(const char *m) { (void)m; exit(1); }\nstatic void warn(const char *m) { (void)m; }\n').rootNode;
    expect([...noReturnFunctions(root, [])]).toEqual(['error']);
  });

  it('a header chunk that only mentions noreturn before a struct costs one pass (no backtracking)', () => {
    // gnulib's obstack.h: `# define __attribute_noreturn__ ...` then `struct _obstack_chunk { char *limit`
    const chunk = `${'#ifndef __attribute_noreturn__\n# define __attribute_noreturn__ __attribute__ ((__noreturn__))\n#endif\n'.repeat(20)}struct _obstack_chunk\n{\n  char *limit${' word'.repeat(200)}`;
    expect([...noReturnFunctions(none, [chunk])]).toEqual([]);
  });
});
