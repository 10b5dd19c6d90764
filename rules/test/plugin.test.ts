import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import plugin from '../src/index.js';

const run = promisify(execFile);
const repo = fileURLToPath(new URL('../../', import.meta.url));
const rulesDir = fileURLToPath(new URL('../', import.meta.url));
const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { name: string; version: string };

describe('eslint-plugin-keepalive', () => {
  it('has the meta, rules and recommended config of an ESLint 10 flat plugin', () => {
    expect(plugin.meta).toEqual({ name: pkg.name, version: pkg.version });
    expect(Object.keys(plugin.rules)).toEqual(['require-keepalive']);
    const recommended = plugin.configs.recommended;
    expect(recommended.plugins?.['keepalive']).toBe(plugin);
    expect(recommended.rules).toEqual({ 'keepalive/require-keepalive': 'error' });
  });

  it('points every rule at its doc', () => {
    for (const [name, rule] of Object.entries(plugin.rules)) {
      expect(rule.meta.docs?.url).toMatch(new RegExp(`/rules/docs/rules/${name}\\.md$`, 'u'));
      expect(readFileSync(new URL(`../docs/rules/${name}.md`, import.meta.url), 'utf8')).toContain(`# keepalive/${name}`);
    }
  });

  // Reads the built plugin (dist/), like users do: `npm test` builds first.
  it('keeps README and docs/rules in sync (eslint-doc-generator --check)', async () => {
    const bin = `${repo}node_modules/.bin/eslint-doc-generator`;
    await expect(run(bin, ['--check'], { cwd: rulesDir })).resolves.toBeDefined();
  });
});
