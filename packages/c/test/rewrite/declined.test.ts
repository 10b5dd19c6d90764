import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFAULT_OPTIONS } from '@ka-codemod/core';
import { cEngine } from '../../src/index.js';
import { CASES_DIR } from './cases.js';

describe('a site the rewrite declines says why, in the project\'s terms', () => {
  it('a listener behind a project macro tree-sitter cannot parse: named, and its accept site is rewritten instead', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ka-declined-'));
    const file = join(dir, 'server.c');
    copyFileSync(join(CASES_DIR, 'unparsed-listener-accept-fallback', 'input.c'), file);
    const plan = await cEngine.plan({ root: dir, files: [file], options: DEFAULT_OPTIONS });
    rmSync(dir, { recursive: true, force: true });
    const listener = plan.sites.find((s) => s.call === 'socket')!;
    const accept = plan.sites.find((s) => s.call === 'accept')!;
    expect(listener.fixable).toBe(false);
    expect(listener.notes?.join(' ')).toContain('not rewritten: the code around socket() does not parse: project macro `ifdebug` before a statement (line 21) (its accept sites are rewritten instead)');
    expect(plan.problems.map((p) => p.message)).toContain('server.c:22: not rewritten: the code around socket() does not parse: project macro `ifdebug` before a statement (line 21)');
    expect(accept.fix?.edits.map((e) => e.text).join('')).toMatch(/setsockopt\(c, SOL_SOCKET, SO_KEEPALIVE/);
    expect(plan.files.map((f) => f.changes).flat()).toEqual([expect.stringMatching(/^server\.c:42: SO_KEEPALIVE on c after accept\(\) in serve \(accept in serve, since its listener was not rewritten: /)]);
  });
});
