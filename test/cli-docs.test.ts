import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { configSchema, main } from '../packages/cli/src/index.js';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const doc = readFileSync(path.join(repo, 'docs/cli.md'), 'utf8');

async function help(args: string[]): Promise<string> {
  let out = '';
  await main(args, { cwd: repo, env: {}, stdout: { write: (s: string) => (out += s) }, stderr: { write: () => true } });
  return out;
}

describe('docs/cli.md does not lie', () => {
  it('documents every option of every command, and no option that does not exist', async () => {
    const flags = new Set<string>();
    for (const cmd of ['fix', 'check', 'audit']) for (const m of (await help([cmd, '--help'])).matchAll(/(?:^|\s)(--[a-z-]+)/g)) flags.add(m[1]!);
    flags.delete('--help');
    for (const flag of flags) expect(new RegExp(`[\\s\`,]${flag}(?![a-z-])`).test(doc), `${flag} missing from docs/cli.md`).toBe(true);
    const documented = [...doc.matchAll(/[\s`,](--[a-z][a-z-]+)/g)].map((m) => m[1]!);
    for (const flag of documented) expect([...flags, '--version', '--help'], `docs/cli.md documents ${flag}`).toContain(flag);
  });

  it('documents every configuration key of the schema, and the exit codes', () => {
    const keys = Object.keys((configSchema() as { properties: Record<string, unknown> }).properties).filter((k) => k !== '$schema');
    for (const key of keys) expect(doc).toContain(`\`${key}\``);
    expect(doc).toMatch(/\| 0 \|[^\n]*\n\| 1 \|[^\n]*check[^\n]*\n\| 2 \| usage error/);
  });

  it('its configuration example is valid against the schema', async () => {
    const { validateConfig } = await import('../packages/cli/src/config.js');
    const example = /```json\n([\s\S]*?)\n```/.exec(doc.slice(doc.indexOf('## Configuration file')))![1]!;
    expect(validateConfig(JSON.parse(example), 'docs/cli.md')).toMatchObject({ idle: 120 });
  });

  it('says what SARIF and JSON carry: fixes for TS/JS sites, none for C sites (the C rewrite is fix --dry-run)', async () => {
    let out = '';
    const io = { cwd: repo, env: {}, stdout: { write: (s: string) => ((out += s), true) }, stderr: { write: () => true } };
    expect(await main(['audit', 'examples/chat', '--format', 'sarif'], io)).toBe(0);
    const results = JSON.parse(out).runs[0].results as { locations: { physicalLocation: { artifactLocation: { uri: string } } }[]; fixes?: unknown[] }[];
    const uri = (r: (typeof results)[number]) => r.locations[0]!.physicalLocation.artifactLocation.uri;
    expect(results.filter((r) => uri(r).endsWith('.c')).length).toBeGreaterThan(0);
    for (const r of results) expect(r.fixes !== undefined, uri(r)).toBe(uri(r).endsWith('.js'));
    expect(doc).toContain('C results carry no `fixes`');
    expect(doc).not.toMatch(/C edits as byte offsets/);
  });

  it('docs speak of the product: no development history, no paths of a development machine', () => {
    const files = ['README.md', 'examples/chat/README.md', 'rules/README.md', ...readdirSync(path.join(repo, 'docs')).map((f) => `docs/${f}`)];
    for (const name of ['packages/core', 'packages/c', 'packages/ts', 'packages/cli', 'transforms']) files.push(`${name}/README.md`);
    for (const file of files) {
      const text = readFileSync(path.join(repo, file), 'utf8');
      for (const pattern of [/\bsessions?\b/i, /\bthe issue\b/i, /\bround \d/i, /(^|[\s`(])\/(work|tmp|root)\//m]) expect(text, `${file}: ${pattern}`).not.toMatch(pattern);
    }
  });
});
