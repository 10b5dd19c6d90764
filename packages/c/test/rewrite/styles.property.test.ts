/**
 * Property: whatever the layout of a file (indent unit, brace style, EOL, failure-check form,
 * error-path shape), the rewrite only inserts; the inserted lines use the file's EOL and
 * indentation characters; the result still compiles; a second run changes nothing.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { DEFAULT_OPTIONS, type KeepaliveOptions } from '@ka-codemod/core';
import { planC } from '../../src/rewrite/index.js';
import { targetsFor } from './cases.js';

const work = mkdtempSync(join(tmpdir(), 'ka-rewrite-prop-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));
const gcc = spawnSync('gcc', ['--version'], { stdio: 'ignore' }).status === 0;

interface Layout {
  unit: string;
  braces: 'kr' | 'allman' | 'gnu';
  eol: '\n' | '\r\n';
  check: 'assign-in-if' | 'separate' | 'declaration' | 'none';
  failure: 'return' | 'goto' | 'exit';
  onError: KeepaliveOptions['onError'];
  tuning: boolean;
}

/** A small client function written in the given layout. */
function program(l: Layout): string {
  const u = l.unit;
  const open = (indent: string) => (l.braces === 'kr' ? [' {'] : l.braces === 'allman' ? ['', `${indent}{`] : ['', `${indent}  {`]);
  const inner = (indent: string) => (l.braces === 'gnu' ? `${indent}  ${u}` : `${indent}${u}`);
  const close = (indent: string) => (l.braces === 'gnu' ? `${indent}  }` : `${indent}}`);
  const block = (indent: string, head: string, body: string[]): string[] => {
    const o = open(indent);
    return [`${indent}${head}${o[0]}`, ...o.slice(1), ...body.map((b) => inner(indent) + b), close(indent)];
  };
  const fail = (what: string) =>
    l.failure === 'return' ? [`perror("${what}");`, 'return -1;'] : l.failure === 'goto' ? [`perror("${what}");`, 'goto out;'] : [`perror("${what}");`, 'exit(1);'];
  const lines: string[] = ['#include <stdio.h>', '#include <stdlib.h>', '#include <string.h>', '#include <unistd.h>', '#include <sys/socket.h>', '#include <netinet/in.h>', '', 'int dial(struct sockaddr_in *sin)'];
  lines.push('{');
  const body: string[] = [];
  if (l.check === 'declaration') body.push('int fd = socket(AF_INET, SOCK_STREAM, 0);', 'int rc = -1;', '');
  else body.push('int fd;', 'int rc = -1;', '');
  if (l.check === 'assign-in-if') body.push(...block('', 'if ((fd = socket(AF_INET, SOCK_STREAM, 0)) < 0)', fail('socket')));
  else if (l.check === 'separate') body.push('fd = socket(AF_INET, SOCK_STREAM, 0);', ...block('', 'if (fd == -1)', fail('socket')));
  else if (l.check === 'declaration') body.push(...block('', 'if (fd < 0)', fail('socket')));
  else body.push('fd = socket(AF_INET, SOCK_STREAM, 0);');
  body.push(...block('', 'if (connect(fd, (struct sockaddr *)sin, sizeof *sin) < 0)', [...(l.failure === 'goto' ? [] : ['close(fd);']), ...fail('connect')]));
  body.push('rc = fd;');
  if (l.failure === 'goto') body.push('return rc;', 'out:', 'if (fd >= 0)', `${u}close(fd);`);
  body.push('return rc;');
  lines.push(...body.map((b) => (b === '' || b === 'out:' ? b : u + b)), '}', '');
  return lines.join(l.eol);
}

const layouts = fc.record<Layout>({
  unit: fc.constantFrom('\t', '  ', '    ', '        '),
  braces: fc.constantFrom('kr', 'allman', 'gnu'),
  eol: fc.constantFrom('\n', '\r\n'),
  check: fc.constantFrom('assign-in-if', 'separate', 'declaration', 'none'),
  failure: fc.constantFrom('return', 'goto', 'exit'),
  onError: fc.constantFrom('fail', 'log', 'ignore'),
  tuning: fc.boolean(),
});

describe('the rewrite in any layout', () => {
  it('only inserts, in the file EOL and indentation, compiles, and is idempotent', async () => {
    let n = 0;
    await fc.assert(
      fc.asyncProperty(layouts, async (l) => {
        const file = join(work, `p${n++}.c`);
        const src = program(l);
        writeFileSync(file, src, 'latin1');
        const options: KeepaliveOptions = { ...DEFAULT_OPTIONS, onError: l.onError, ...(l.tuning ? { idleSeconds: 30, count: 4 } : {}) };
        const request = { root: work, files: [file], options };
        const targets = targetsFor(file, { description: '', targets: [{ call: 'socket' }] });
        const plan = await planC({ result: { sites: [], problems: [], stats: {} }, targets, keepaliveHelpers: [] }, request);
        expect(plan.files).toHaveLength(1);
        const after = plan.files[0]!.after.toString('latin1');

        // Only insertions: removing the inserted chunks gives back the input, byte for byte.
        let i = 0;
        let j = 0;
        const inserted: string[] = [];
        while (i < src.length) {
          if (src[i] === after[j]) {
            i++;
            j++;
            continue;
          }
          // An inserted chunk is whole lines: find where the original resumes.
          const resume = after.indexOf(src.slice(i, i + 40), j);
          expect(resume).toBeGreaterThan(j);
          inserted.push(after.slice(j, resume));
          j = resume;
        }
        inserted.push(after.slice(j));
        const added = inserted.join('');
        // The file's EOL only; indentation only from the file's characters.
        if (l.eol === '\r\n') expect(added.replace(/\r\n/g, '')).not.toMatch(/\n/);
        else expect(added).not.toMatch(/\r/);
        const indentChars = new Set([...l.unit, ...(l.braces === 'gnu' ? [' '] : [])]);
        for (const line of added.split(/\r?\n/)) {
          for (const ch of /^[ \t]*/.exec(line)![0]) if (!line.startsWith(' *')) expect(indentChars.has(ch), JSON.stringify(line)).toBe(true);
        }
        expect(added).toMatch(/SO_KEEPALIVE/);

        if (gcc) {
          const out = `${file}.after.c`;
          writeFileSync(out, after, 'latin1');
          const r = spawnSync('gcc', ['-fsyntax-only', '-Wall', '-Wextra', '-Werror', out], { encoding: 'utf8' });
          expect(r.status, `${r.stderr}\n${after}`).toBe(0);
        }

        writeFileSync(file, after, 'latin1');
        const again = await planC({ result: { sites: [], problems: [], stats: {} }, targets: targetsFor(file, { description: '', targets: [{ call: 'socket' }] }), keepaliveHelpers: [] }, request);
        expect(again.files).toEqual([]);
      }),
      { numRuns: 60, seed: 20261121 },
    );
  });
});
