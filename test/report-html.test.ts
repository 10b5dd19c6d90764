import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { deflateSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { buildAuditReport, type Site } from '@ka-codemod/core';
import { renderHtml } from '../packages/cli/src/index.js';
import { skipWithout } from './helpers/system-tools.js';
import { main } from '../packages/cli/src/index.js';
import { decodePng, distinctColors, luminanceVariance, pixelsNear } from './png.js';
import { SAMPLE_ROOT, sampleReport, sampleSites } from './report-sample.js';

const CHROMIUM = '/usr/bin/chromium';
const haveChromium = existsSync(CHROMIUM);
const repo = path.resolve(import.meta.dirname, '..');
const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

function chromium(args: string[]): Promise<string> {
  const profile = mkdtempSync(path.join(tmpdir(), 'ka-chromium-'));
  dirs.push(profile);
  const flags = [
    '--headless',
    '--no-sandbox',
    '--disable-gpu',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    '--no-first-run',
    '--disable-quic',
    '--hide-scrollbars',
    `--user-data-dir=${profile}`,
  ];
  return new Promise((resolve, reject) => {
    execFile(CHROMIUM, [...flags, ...args], { timeout: 90_000, maxBuffer: 64 << 20 }, (error, stdout, stderr) => (error ? reject(new Error(`${error.message}\n${stderr}`)) : resolve(stdout)));
  });
}

describe('the PNG reader', () => {
  it('decodes an RGB image with every filter type', () => {
    // 2x5 RGB, one row per filter type (0..4), built by hand and deflated.
    const width = 2;
    const rows = [0, 1, 2, 3, 4].map((f) => Buffer.from([f, 10 * f, 20, 30, 10 * f, 20, 30]));
    const ihdr = Buffer.alloc(13);
    ihdr.writeUInt32BE(width, 0);
    ihdr.writeUInt32BE(5, 4);
    ihdr[8] = 8;
    ihdr[9] = 2;
    const chunk = (type: string, data: Buffer) => {
      const len = Buffer.alloc(4);
      len.writeUInt32BE(data.length);
      return Buffer.concat([len, Buffer.from(type, 'latin1'), data, Buffer.alloc(4)]);
    };
    const png = Buffer.concat([
      Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
      chunk('IHDR', ihdr),
      chunk('IDAT', deflateSync(Buffer.concat(rows))),
      chunk('IEND', Buffer.alloc(0)),
    ]);
    const img = decodePng(png);
    expect([img.width, img.height]).toEqual([2, 5]);
    expect([...img.rgba.subarray(0, 8)]).toEqual([0, 20, 30, 255, 0, 20, 30, 255]);
    // row 1 (Sub): second pixel adds the first
    expect([...img.rgba.subarray(8, 16)]).toEqual([10, 20, 30, 255, 20, 40, 60, 255]);
    expect(distinctColors(img)).toBeGreaterThan(3);
  });
});

describe('the HTML report', () => {
  const html = renderHtml(sampleReport());

  it('is one self-contained file: no external resource, a CSP that forbids the network', () => {
    expect(html).toMatch(/^<!doctype html>/);
    expect(html).toMatch(/Content-Security-Policy" content="default-src 'none'/);
    expect(html).not.toMatch(/\b(src|href)="(https?:)?\/\//);
    expect(html).not.toMatch(/@import|url\(/);
    expect(html).toMatch(/<svg [^>]*role="img"/);
  });

  it('holds every site in a plain table (readable without JavaScript) and escapes text', () => {
    const rows = html.match(/<tr data-verdict="[^"]+">/g) ?? [];
    expect(rows).toHaveLength(5);
    expect(html).toContain('&lt;&quot;quoted&quot;&gt; | piped');
    expect(html).not.toContain('<"quoted">');
    expect(html).toMatch(/<td class="v-no" data-sort="0">no<\/td>/);
    expect(html).toContain('(inherited)<br><em class="note">macOS does not inherit TCP_KEEPALIVE</em>');
    expect(html).toMatch(/<table id="files" class="sortable">[\s\S]*<code>src\/net\/server\.c<\/code><\/td><td class="num" data-sort="0.5">50 %/);
  });

  it('has no NUL or other control character: HTML forbids them and grep would call the file binary', () => {
    expect(html).not.toMatch(/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/);
    expect(html).toMatch(/<td data-sort="src\/net\/client\.c:00000042">/);
  });

  it('puts every number under its own header: number headers are right-aligned like their cells', () => {
    for (const id of ['directories', 'files']) {
      const head = new RegExp(`<table id="${id}"[^>]*>\\n<thead><tr>(.*?)</tr>`).exec(html)![1]!;
      const row = new RegExp(`<table id="${id}"[\\s\\S]*?<tbody>\\n<tr>(.*?)</tr>`).exec(html)![1]!;
      const align = (cells: string) => [...cells.matchAll(/<t[hd]( class="num")?[ >]/g)].map((m) => (m[1] ? 'right' : 'left'));
      expect(align(head)).toEqual(align(row));
      expect(align(row)).toEqual(['left', 'right', 'right', 'right', 'right', 'right']);
    }
    expect(html).toMatch(/th\.num\{text-align:right\}/);
  });

  it('draws a chain of single-child folders once, as its deepest folder', () => {
    const sites: Site[] = sampleSites().map((site) => ({ ...site, file: `weechat/weechat-3.8/${site.file}` }));
    const chain = renderHtml(buildAuditReport({ rootDir: SAMPLE_ROOT, sites, problems: [], filesScanned: 6, machine: { idleSeconds: 7200, intervalSeconds: 75, probes: 9, source: 'proc' } }));
    const labels = [...chain.matchAll(/<text x="252" y="\d+" text-anchor="end">([^<]*)<\/text>/g)].map((m) => m[1]);
    // '.', weechat and weechat/weechat-3.8 hold every TCP site: they are the whole project's bar;
    // weechat-3.8/src holds only what src/net holds
    expect(labels).toEqual(['whole project', 'weechat/weechat-3.8/src/net', 'weechat/weechat-3.8/web']);
    const table = chain.slice(chain.indexOf('<table id="directories"'), chain.indexOf('<table id="files"'));
    expect([...table.matchAll(/<tr><td><code>([^<]*)<\/code>/g)].map((m) => m[1])).toEqual(['weechat/weechat-3.8', 'weechat/weechat-3.8/src/net', 'weechat/weechat-3.8/web']);
  });

  it.skipIf(skipWithout(haveChromium, 'chromium'))('renders in headless Chromium: the screenshot is not blank, the chart is drawn, the table holds the sites', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'ka-html-'));
    dirs.push(dir);
    const page = path.join(dir, 'report.html');
    writeFileSync(page, html);
    const shot = path.join(dir, 'shot.png');
    await chromium([`--screenshot=${shot}`, '--window-size=1280,1400', `file://${page}`]);
    const img = decodePng(readFileSync(shot));
    expect([img.width, img.height]).toEqual([1280, 1400]);
    expect(distinctColors(img)).toBeGreaterThan(50);
    // the chart's red (no keepalive) and green (keepalive) bars are on screen
    expect(pixelsNear(img, [0xc6, 0x28, 0x28], 12)).toBeGreaterThan(200);
    expect(pixelsNear(img, [0x2e, 0x7d, 0x32], 12)).toBeGreaterThan(200);

    const dom = await chromium(['--dump-dom', `file://${page}`]);
    const body = dom.slice(dom.indexOf('<table id="sites"'), dom.indexOf('</table>', dom.indexOf('<table id="sites"'))).replaceAll('<wbr>', '');
    for (const site of sampleReport().sites) expect(body).toContain(`${site.file}:${site.line}:${site.column}`);
    // the script ran and made the headers sort buttons
    expect(body).toMatch(/<th><button>Site<\/button><\/th>/);
  }, 180_000);

  it.skipIf(skipWithout(haveChromium, 'chromium'))('the bundled example\'s report (the README quick start) renders: a screenshot with text, bars and the site table', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'ka-html-example-'));
    dirs.push(dir);
    const page = path.join(dir, 'chat.html');
    let err = '';
    const io = { cwd: repo, env: {}, stdout: { write: () => true, isTTY: false }, stderr: { write: (s: string) => ((err += s), true), isTTY: false } };
    expect(await main(['audit', 'examples/chat', '--format', 'html', '-o', page, '--quiet'], io), err).toBe(0);
    const html = readFileSync(page, 'utf8');
    expect(html).toContain('c/client.c');
    // KA_SCREENSHOT_DIR keeps the screenshot for a person to look at
    const shot = path.join(process.env.KA_SCREENSHOT_DIR ?? dir, 'example-report.png');
    await chromium([`--screenshot=${shot}`, '--window-size=1280,1600', `file://${page}`]);
    const img = decodePng(readFileSync(shot));
    expect([img.width, img.height]).toEqual([1280, 1600]);
    // not blank: text, cards, bars and table lines make the luminance vary (a blank page: 0)
    expect(luminanceVariance(img)).toBeGreaterThan(300);
    expect(distinctColors(img)).toBeGreaterThan(50);
    expect(pixelsNear(img, [0xc6, 0x28, 0x28], 12)).toBeGreaterThan(200);
    expect(pixelsNear(img, [0x2e, 0x7d, 0x32], 12)).toBeGreaterThan(200);
  }, 180_000);
});
