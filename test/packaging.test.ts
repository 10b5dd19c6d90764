/**
 * What every published package carries, checked from the workspace (scripts/pack-check.mjs, run by
 * .ci/run, installs the packed tarballs into a fresh project for the rest).
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPOSITORY_URL } from '@ka-codemod/core';

const repo = path.resolve(import.meta.dirname, '..');
const root = JSON.parse(readFileSync(path.join(repo, 'package.json'), 'utf8'));
const dirs: string[] = root.workspaces;
const pkg = (dir: string) => JSON.parse(readFileSync(path.join(repo, dir, 'package.json'), 'utf8'));

describe('the published packages', () => {
  it('each has a README and the MIT LICENSE of the repository', () => {
    const license = readFileSync(path.join(repo, 'LICENSE'), 'utf8');
    expect(license).toMatch(/^MIT License\n/);
    for (const dir of dirs) {
      expect(readFileSync(path.join(repo, dir, 'LICENSE'), 'utf8'), dir).toBe(license);
      expect(readFileSync(path.join(repo, dir, 'README.md'), 'utf8').length, dir).toBeGreaterThan(200);
      expect(pkg(dir).license).toBe('MIT');
    }
  });

  it('name one repository, homepage and issue tracker: the one links are made from', () => {
    for (const p of [root, ...dirs.map(pkg)]) {
      expect(p.repository.url, p.name).toBe(`git+${REPOSITORY_URL}.git`);
      expect(p.homepage, p.name).toMatch(new RegExp(`^${REPOSITORY_URL}(/tree/main/[a-z/]+)?#readme$`));
      expect(p.bugs, p.name).toEqual({ url: `${REPOSITORY_URL}/issues` });
    }
    for (const dir of dirs) expect(pkg(dir).repository.directory).toBe(dir);
  });

  it('ship no build cache, and take typescript as a peer and no @types/* at run time', () => {
    for (const dir of dirs) {
      const p = pkg(dir);
      expect(p.files, dir).toContain('!dist/.tsbuildinfo');
      const runtime = Object.keys(p.dependencies ?? {});
      expect(runtime.filter((d) => d.startsWith('@types/') || d === 'typescript'), dir).toEqual([]);
    }
    for (const dir of ['packages/ts', 'packages/cli', 'rules', 'transforms']) expect(pkg(dir).peerDependencies.typescript).toBe('>=5.9.3 <6.1.0');
    // the repository builds and tests against a version inside that range
    expect(root.devDependencies.typescript).toBe('~6.0.3');
  });

  it('use a tree-sitter inside the grammar\'s peer range, so an install without overrides gets one', () => {
    expect(root.overrides).toBeUndefined();
    const grammarPeer = JSON.parse(readFileSync(createRequire(path.join(repo, 'packages/c/package.json')).resolve('tree-sitter-c/package.json'), 'utf8')).peerDependencies['tree-sitter'];
    for (const dir of ['packages/c', 'packages/cli']) {
      const deps = pkg(dir).dependencies;
      expect(grammarPeer).toBe('^0.22.1');
      expect(deps['tree-sitter'], dir).toBe('0.22.4');
      expect(deps['tree-sitter-c'], dir).toBe('0.23.6');
    }
  });

  it("require('eslint-plugin-keepalive') from CommonJS gives the plugin, configs and all", () => {
    const plugin = createRequire(path.join(repo, 'package.json'))(path.join(repo, 'rules/index.cjs'));
    expect(Object.keys(plugin).sort()).toEqual(['configs', 'meta', 'rules']);
    expect(plugin.configs.recommended.plugins.keepalive).toBe(plugin);
    expect(pkg('rules').exports['.'].require).toBe('./index.cjs');
  });
});
