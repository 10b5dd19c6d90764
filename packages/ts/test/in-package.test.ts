/** analyzeTsSource with `scope: 'package'`: one file judged as project mode judges it on its package. */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DEFAULT_OPTIONS } from '@ka-codemod/core';
import { analyzeTsSource, clearPackageRuns } from '@ka-codemod/ts';
import { TS_FIXTURES } from '../../../test/helpers/ts-fixtures.js';

const tmp = mkdtempSync(path.join(tmpdir(), 'ka-in-package-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const brief = (r: ReturnType<typeof analyzeTsSource>) => r.sites.map((s) => `${s.line} ${s.call} ${s.tcp}/${s.keepalive} error:${s.errorHandler}`);
const judge = (file: string, scope: 'file' | 'package', text = readFileSync(file, 'utf8')) => analyzeTsSource({ fileName: file, text, options: DEFAULT_OPTIONS, scope });

describe("analyzeTsSource({ scope: 'package' })", () => {
  it('finds a creator re-exported by another module through a barrel, which the file alone does not show', () => {
    const user = path.join(TS_FIXTURES, 'project/reexport/src/user.ts');
    expect(brief(judge(user, 'file'))).toEqual([]);
    const r = judge(user, 'package');
    expect(brief(r)).toEqual(['4 net.connect yes/no error:yes']);
    expect(r.sites[0]!.file).toBe(user);
  });

  it("judges a factory's socket by what its callers in other files do with it", () => {
    const factory = path.join(TS_FIXTURES, 'project/cross-file/src/factory.js');
    expect(brief(judge(factory, 'package'))).toEqual(['5 net.connect yes/yes error:yes', '9 net.createConnection yes/no error:no']);
  });

  it("analyses the caller's text, not the file on disk, and sees files changed on disk after clearPackageRuns", () => {
    const dir = path.join(tmp, 'pkg');
    mkdirSync(path.join(dir, 'src'), { recursive: true });
    writeFileSync(path.join(dir, 'package.json'), '{ "private": true, "engines": { "node": ">=20" } }');
    const factory = path.join(dir, 'src/factory.js');
    const client = path.join(dir, 'src/client.js');
    writeFileSync(factory, "const net = require('net');\nexports.open = (port) => net.connect(port, 'h');\n");
    writeFileSync(client, "const { open } = require('./factory');\nconst s = open(1);\ns.on('error', () => {});\n");
    expect(brief(judge(factory, 'package'))).toEqual(['2 net.connect yes/no error:yes']);
    // The client as an editor holds it, unsaved: keepalive added there.
    const edited = "const { open } = require('./factory');\nconst s = open(1);\ns.setKeepAlive(true, 30000);\ns.on('error', () => {});\n";
    expect(judge(client, 'package', edited).sites).toEqual([]);
    // Saved: the factory's verdict follows once the package is read again.
    writeFileSync(client, edited);
    expect(brief(judge(factory, 'package'))).toEqual(['2 net.connect yes/no error:yes']);
    clearPackageRuns();
    expect(brief(judge(factory, 'package'))).toEqual(['2 net.connect yes/yes error:yes']);
  });

  it('judges a file in no package alone', () => {
    const lone = path.join(tmp, 'lone.js');
    writeFileSync(lone, "const net = require('net');\nmodule.exports = () => net.connect(1, 'h');\n");
    const r = judge(lone, 'package');
    expect(r).toEqual(judge(lone, 'file'));
  });
});
