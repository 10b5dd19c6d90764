import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { renderSarif, SARIF_RULES } from '../packages/cli/src/index.js';
import { buildAuditReport, LINUX_DEFAULT_TIMERS, type Site } from '@ka-codemod/core';
import { SAMPLE_ROOT, sampleReport, sampleSites } from './report-sample.js';
import { sarifValidator } from './sarif-schema.js';

function render(isNew?: (s: { file: string }) => boolean) {
  return JSON.parse(
    renderSarif(sampleReport(), { version: '9.9.9', rootDir: SAMPLE_ROOT, srcRoot: SAMPLE_ROOT, fingerprint: (s) => `fp-${s.file}-${s.line}`, ...(isNew ? { isNew } : {}) }),
  );
}

describe('SARIF 2.1.0', () => {
  it('validates against the official 2.1.0 JSON schema (draft-04), with and without a baseline', () => {
    const validate = sarifValidator();
    for (const log of [render(), render((s) => s.file.endsWith('.ts'))]) {
      const ok = validate(log);
      expect(validate.errors ?? [], JSON.stringify(validate.errors, null, 2)).toEqual([]);
      expect(ok).toBe(true);
    }
    // the validator is not a rubber stamp: a bad enum value, a bad URI
    const broken = render();
    broken.runs[0].results[0].level = 'fatal';
    expect(validate(broken)).toBe(false);
    const badUri = render();
    badUri.runs[0].tool.driver.informationUri = 'not a uri';
    expect(validate(badUri)).toBe(false);
  });

  it('writes messages as sentences: a full stop between the evidence and the recommendation', () => {
    for (const r of render().runs[0].results) {
      expect(r.message.text).toMatch(/\.$/);
      // no sentence runs on into the next one without its full stop
      expect(r.message.text).not.toMatch(/[a-z0-9)] (Enable|Keepalive|Run) /);
    }
    const dial = render().runs[0].results.find((r: { message: { text: string } }) => r.message.text.includes('dial_backend'));
    expect(dial.message.text).toMatch(/never gets SO_KEEPALIVE\. Enable keepalive: without it a dead peer is never noticed by TCP,/);
  });

  it('carries rule metadata with help text GitHub shows beside alerts', () => {
    const driver = render().runs[0].tool.driver;
    expect(driver).toMatchObject({ name: 'ka-codemod', version: '9.9.9' });
    expect(driver.rules.map((r: { id: string }) => r.id)).toEqual(['tcp-keepalive-missing', 'tcp-keepalive-conditional', 'tcp-keepalive-unknown']);
    for (const rule of SARIF_RULES) {
      expect(rule.help?.text?.length).toBeGreaterThan(40);
      expect(rule.help?.markdown).toMatch(/keepalive/i);
      expect(rule.shortDescription?.text).toBeTruthy();
    }
  });

  it('one result per site without keepalive (warning) or with conditional keepalive (note), with locations', () => {
    const results = render().runs[0].results;
    expect(results.map((r: { ruleId: string; level: string }) => `${r.ruleId}:${r.level}`)).toEqual(['tcp-keepalive-missing:warning', 'tcp-keepalive-conditional:note', 'tcp-keepalive-missing:warning']);
    expect(results[0].locations[0].physicalLocation).toEqual({ artifactLocation: { uri: 'src/net/client.c', uriBaseId: '%SRCROOT%' }, region: { startLine: 42, startColumn: 14, endLine: 42, endColumn: 20 } });
    expect(results[0].locations[0].logicalLocations).toEqual([{ name: 'dial_backend', kind: 'function' }]);
    expect(results[0].partialFingerprints).toEqual({ 'kaCodemodFinding/v1': 'fp-src/net/client.c-42' });
    expect(results[0].message.text).toMatch(/^socket\(\) in dial_backend creates a TCP socket without keepalive: /);
  });

  it('a site whose keepalive could not be followed is a note of its own rule, and the report counts it apart', () => {
    const unknown: Site = { ...sampleSites()[3]!, file: 'src/net/pool.c', line: 20, function: 'pool_add', tcp: 'yes', keepalive: 'unknown', how: 'the fd is handed to the callback cb in pool_add, which cannot be resolved' };
    const report = buildAuditReport({ sites: [...sampleSites(), unknown], rootDir: SAMPLE_ROOT, filesScanned: 6, problems: [], machine: { ...LINUX_DEFAULT_TIMERS, source: 'linux-defaults' } });
    expect(report.summary.keepalive).toMatchObject({ unknown: 1, no: 2 });
    expect(report.summary.flagged).toBe(2);
    expect(report.summary.recommendation).toMatch(/1 TCP site goes where ka-codemod cannot follow/);
    const log = JSON.parse(renderSarif(report, { version: '9.9.9', rootDir: SAMPLE_ROOT, srcRoot: SAMPLE_ROOT, fingerprint: (s) => `fp-${s.file}-${s.line}` }));
    const result = log.runs[0].results.find((r: { ruleId: string }) => r.ruleId === 'tcp-keepalive-unknown');
    expect(result).toMatchObject({ level: 'note', ruleIndex: 2 });
    expect(result.message.text).toMatch(/^socket\(\) in pool_add creates a TCP socket whose keepalive could not be followed: the fd is handed to the callback cb/);
    expect(sarifValidator()(log)).toBe(true);
  });

  it('the rewrite is a fix: C edits as byte offsets, TS edits as UTF-16 char offsets', () => {
    const results = render().runs[0].results;
    const c = results[0].fixes[0];
    expect(c.description.text).toBe('set SO_KEEPALIVE after socket() in dial_backend');
    expect(c.artifactChanges[0].artifactLocation.uri).toBe('src/net/client.c');
    expect(c.artifactChanges[0].replacements[0]).toEqual({ deletedRegion: { byteOffset: 1200, byteLength: 0 }, insertedContent: { text: '\tif (setsockopt(fd, SOL_SOCKET, SO_KEEPALIVE, &on, sizeof on) < 0) goto fail;\n' } });
    const ts = results[2].fixes[0];
    expect(ts.artifactChanges[0].replacements[0].deletedRegion).toEqual({ charOffset: 80, charLength: 0 });
    expect(results[1].fixes).toBeUndefined();
  });

  it('URIs are relative to where the tool ran, so a run from the repository root maps onto GitHub paths', () => {
    const log = JSON.parse(renderSarif(sampleReport(), { version: '1', rootDir: SAMPLE_ROOT, srcRoot: path.dirname(SAMPLE_ROOT), fingerprint: () => 'x' }));
    expect(log.runs[0].results[0].locations[0].physicalLocation.artifactLocation.uri).toBe('proj/src/net/client.c');
    expect(log.runs[0].originalUriBaseIds['%SRCROOT%'].uri).toBe('file:///srv/');
  });

  it('files skipped or partly parsed are tool execution notifications', () => {
    const inv = render().runs[0].invocations;
    expect(inv).toEqual([
      {
        executionSuccessful: true,
        toolExecutionNotifications: [
          { level: 'warning', message: { text: 'src/broken.c: syntax error' }, descriptor: { id: 'parse-error' }, locations: [{ physicalLocation: { artifactLocation: { uri: 'src/broken.c', uriBaseId: '%SRCROOT%' }, region: { startLine: 12 } } }] },
        ],
      },
    ]);
  });

  it('marks findings new or unchanged against a baseline', () => {
    const results = render((s) => s.file.endsWith('.ts')).runs[0].results;
    expect(results.map((r: { baselineState: string }) => r.baselineState)).toEqual(['unchanged', 'unchanged', 'new']);
  });
});
