import { describe, expect, it } from 'vitest';
import { parseInteger, parseLanguages, resolveSettings } from '../src/settings.js';

describe('settings: command line over configuration file over defaults', () => {
  it('parses --lang lists, js meaning the TS engine', () => {
    expect(parseLanguages('c,ts')).toEqual(['c', 'ts']);
    expect(parseLanguages(' JS , c ')).toEqual(['ts', 'c']);
    expect(() => parseLanguages('go')).toThrow(/unknown language "go"/);
    expect(() => parseLanguages(',')).toThrow(/no language/);
  });

  it('accepts only whole numbers in range', () => {
    expect(parseInteger('--idle', '60', 1)).toBe(60);
    expect(() => parseInteger('--idle', '0', 1)).toThrow('--idle: 0 is out of range (1..');
    expect(() => parseInteger('--idle', '1.5', 1)).toThrow(/whole number/);
    expect(() => parseInteger('--count', '200', 1, 127)).toThrow(/out of range/);
  });

  it('lets the command line win, keeps the defaults otherwise, and resolves paths', () => {
    const s = resolveSettings(['src'], { idle: '30', exclude: ['b/**'], baseline: 'bl.json' }, { idle: 90, interval: 15, exclude: ['a/**'], onError: 'ignore', lang: ['c'] }, '/p/ka-codemod.config.json', '/p/sub');
    expect(s.keepalive).toEqual({ initialDelayMs: 60000, onError: 'ignore', toggle: 'none', idleSeconds: 30, intervalSeconds: 15 });
    expect(s.exclude).toEqual(['a/**', 'b/**']);
    expect(s.languages).toEqual(['c']);
    expect(s.baseline).toBe('/p/sub/bl.json');
    expect(s.format).toBe('text');
    const fromFile = resolveSettings(['.'], {}, { baseline: 'base/line.json', format: 'sarif', jobs: 3 }, '/p/ka-codemod.config.json', '/p/sub');
    expect(fromFile.baseline).toBe('/p/base/line.json'); // relative to the config file, not the cwd
    expect(fromFile.format).toBe('sarif');
    expect(fromFile.jobs).toBe(3);
    expect(fromFile.keepalive).toEqual({ initialDelayMs: 60000, onError: 'project', toggle: 'none' });
  });

  it('refuses --update-baseline without a baseline file, and bad choices', () => {
    expect(() => resolveSettings(['.'], { updateBaseline: true }, {}, null, '/')).toThrow(/--update-baseline needs --baseline/);
    expect(() => resolveSettings(['.'], { onError: 'panic' }, {}, null, '/')).toThrow(/--on-error: expected one of project, fail, log, ignore/);
    expect(() => resolveSettings(['.'], { initialDelay: '500' }, {}, null, '/')).toThrow(/--initial-delay: 500 is out of range/);
  });
});
