import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { outOfScope } from '../../src/rewrite/scope.js';

const root = mkdtempSync(join(tmpdir(), 'ka-scope-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
function file(rel: string): string {
  const p = join(root, rel);
  mkdirSync(join(p, '..'), { recursive: true });
  writeFileSync(p, '');
  return p;
}
const none = {};

describe('what the rewrite leaves alone by default', () => {
  it('a copy of another project inside the project (its own COPYING), and named vendor folders', () => {
    file('app/Makefile');
    file('app/libcopy/COPYING');
    expect(outOfScope(root, file('app/libcopy/net.c'), none)).toMatchObject({ kind: 'vendored', flag: '--include-vendored' });
    expect(outOfScope(root, file('app/third_party/x/net.c'), none)).toMatchObject({ kind: 'vendored' });
    expect(outOfScope(root, file('app/src/net.c'), none)).toBeNull();
    expect(outOfScope(root, file('app/libcopy/net.c'), { includeVendored: true })).toBeNull();
  });

  it('a tree that holds several projects side by side: each is the project being fixed, not a copy', () => {
    file('one/LICENSE');
    file('two/COPYING');
    expect(outOfScope(root, file('one/src/net.c'), none)).toBeNull();
    expect(outOfScope(root, file('two/net.c'), none)).toBeNull();
  });

  it('test and example programs, unless --include-tests', () => {
    expect(outOfScope(root, file('app/tests/client.c'), none)).toMatchObject({ kind: 'test', flag: '--include-tests' });
    expect(outOfScope(root, file('app/testapp.c'), none)).toMatchObject({ kind: 'test' });
    expect(outOfScope(root, file('app/examples/echo.c'), none)).toMatchObject({ kind: 'test' });
    expect(outOfScope(root, file('app/tests/client.c'), { includeTests: true })).toBeNull();
    expect(outOfScope(root, file('app/src/attest.c'), none)).toBeNull();
  });
});
