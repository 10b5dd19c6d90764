import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { MIN_USEFUL_DELAY_MS } from '@ka-codemod/ts/constants';
import { loadConfig, validateConfig } from '../src/config.js';
import { tmpDir } from './helpers.js';

describe('configuration file', () => {
  it('validates against the JSON schema, naming every problem', () => {
    expect(validateConfig({ lang: ['c'], idle: 60, include: ['src/**'], onError: 'log', toggle: 'env', format: 'sarif' }, 'x')).toMatchObject({ idle: 60 });
    expect(() => validateConfig({ idle: 0 }, 'cfg.json')).toThrow('invalid configuration in cfg.json: "idle" must be >= 1');
    expect(() => validateConfig({ lang: ['rust'] }, 'c')).toThrow(/"lang.0" must be one of "c", "ts"/);
    expect(() => validateConfig({ idle: '60' }, 'c')).toThrow(/"idle" must be integer/);
    expect(() => validateConfig([], 'c')).toThrow(/the configuration must be object/);
  });

  it("refuses the delays the engine calls useless, as --initial-delay does (the published schema states the engine's floor)", () => {
    expect(validateConfig({ initialDelay: MIN_USEFUL_DELAY_MS }, 'x')).toMatchObject({ initialDelay: MIN_USEFUL_DELAY_MS });
    expect(() => validateConfig({ initialDelay: MIN_USEFUL_DELAY_MS - 1 }, 'cfg.json')).toThrow(`"initialDelay" must be >= ${MIN_USEFUL_DELAY_MS}`);
  });

  it('finds the nearest ka-codemod.config.json or package.json "ka-codemod" key, stopping at the repository root', () => {
    const root = tmpDir('ka-cfg-');
    mkdirSync(path.join(root, '.git'));
    mkdirSync(path.join(root, 'a/b/c'), { recursive: true });
    writeFileSync(path.join(root, 'package.json'), JSON.stringify({ name: 'r', 'ka-codemod': { idle: 11 } }));
    writeFileSync(path.join(root, 'a/ka-codemod.config.json'), JSON.stringify({ idle: 22 }));
    writeFileSync(path.join(root, 'a/b/package.json'), JSON.stringify({ name: 'no-key' }));
    expect(loadConfig(path.join(root, 'a/b/c'))).toEqual({ config: { idle: 22 }, source: path.join(root, 'a/ka-codemod.config.json') });
    expect(loadConfig(root)).toEqual({ config: { idle: 11 }, source: path.join(root, 'package.json') });
    const outside = tmpDir('ka-cfg-none-');
    mkdirSync(path.join(outside, '.git'));
    expect(loadConfig(outside)).toEqual({ config: {}, source: null });
  });

  it('--config FILE: a config file or a package.json; missing or broken files are usage errors', () => {
    const dir = tmpDir('ka-cfg-x-');
    writeFileSync(path.join(dir, 'mine.json'), JSON.stringify({ count: 4 }));
    writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ 'ka-codemod': { count: 6 } }));
    writeFileSync(path.join(dir, 'broken.json'), '{ idle: ');
    expect(loadConfig(dir, 'mine.json').config).toEqual({ count: 4 });
    expect(loadConfig(dir, 'package.json').config).toEqual({ count: 6 });
    expect(() => loadConfig(dir, 'nope.json')).toThrow('configuration file not found: nope.json');
    expect(() => loadConfig(dir, 'broken.json')).toThrow(/broken\.json is not valid JSON/);
  });
});
