/** Lists the shared fixtures/ts cases (layout: fixtures/ts/README.md); adding a case needs no code. */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DEFAULT_OPTIONS, type KeepaliveOptions } from '@ka-codemod/core';

export const FIXTURES = fileURLToPath(new URL('../../../fixtures/ts/', import.meta.url));

export interface FixtureCase {
  name: string;
  input: string;
  /** Expected rewrite; the input itself for no-transform-* cases. */
  output: string;
  sites: string | undefined;
  options: KeepaliveOptions;
}

const INPUT = /^(.+)\.input\.([cm]?[jt]sx?)$/;
const NO_TRANSFORM = /^(no-transform-.+?)(?:\.input)?\.([cm]?[jt]sx?)$/;

export function fixtureCases(dir = FIXTURES): FixtureCase[] {
  const out: FixtureCase[] = [];
  for (const e of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (!e.isFile()) continue;
    if (relative(dir, e.parentPath).split(/[\\/]/).some((p) => p === 'run' || p === 'project' || p === 'node_modules')) continue;
    const nt = NO_TRANSFORM.exec(e.name);
    const m = nt ? null : INPUT.exec(e.name);
    if (!nt && !m) continue;
    const base = (nt ?? m)![1]!;
    const input = join(e.parentPath, e.name);
    const optionsFile = join(e.parentPath, `${base}.options.json`);
    const raw = existsSync(optionsFile) ? (JSON.parse(readFileSync(optionsFile, 'utf8')) as { initialDelay?: number | string }) : {};
    const sites = join(e.parentPath, `${base}.sites.json`);
    out.push({
      name: relative(dir, input),
      input,
      output: m ? join(e.parentPath, `${base}.output.${m[2]}`) : input,
      sites: existsSync(sites) ? sites : undefined,
      options: { ...DEFAULT_OPTIONS, ...(raw.initialDelay !== undefined ? { initialDelayMs: Number(raw.initialDelay) } : {}) },
    });
  }
  return out.sort((a, b) => a.name.localeCompare(b.name));
}
