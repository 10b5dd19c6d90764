import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { middleboxTimeouts, REPOSITORY_URL, type AuditReport, type Site, type SiteNotice } from '@ka-codemod/core';
import type { Fix, Log, ReportingDescriptor, Result } from 'sarif';
import { RULES, findingMessage, ruleOf, sentences } from '../diagnostics.js';

export const SARIF_SCHEMA_URI = 'https://json.schemastore.org/sarif-2.1.0.json';
export const INFORMATION_URI = `${REPOSITORY_URL}#readme`;
const HOWTO = 'https://tldp.org/HOWTO/TCP-Keepalive-HOWTO/';

/** Rule metadata with help text: GitHub code scanning shows `help.markdown` beside each alert. */
export const SARIF_RULES: ReportingDescriptor[] = [
  {
    id: RULES.missing,
    name: 'TcpKeepaliveMissing',
    shortDescription: { text: 'TCP socket without keepalive' },
    fullDescription: {
      text: 'A TCP socket is created without SO_KEEPALIVE (C) or setKeepAlive / keepAlive: true (Node). A peer that vanishes without closing (crash, power loss, a NAT or load balancer dropping the idle flow) is never noticed by TCP: unless the program has its own timeouts or pings, the connection hangs forever.',
    },
    help: {
      text:
        'Enable TCP keepalive on the socket: C: setsockopt(fd, SOL_SOCKET, SO_KEEPALIVE, &on, sizeof on), tuned with TCP_KEEPIDLE / TCP_KEEPINTVL / TCP_KEEPCNT; ' +
        'a listening socket covers the connections accepted from it. Node: socket.setKeepAlive(true, delayMs) or keepAlive: true with keepAliveInitialDelay. ' +
        `Keep the idle time below common load-balancer idle timeouts (${middleboxTimeouts()}). \`ka-codemod fix\` rewrites it.`,
      markdown:
        '### Why\nWithout TCP keepalive a peer that disappears without closing the connection (crash, power loss, a NAT or load balancer silently dropping an idle flow) is never noticed by TCP; unless the program has its own timeouts or pings, the connection hangs until the process restarts.\n\n' +
        '### Fix\n- **C**: `setsockopt(fd, SOL_SOCKET, SO_KEEPALIVE, &on, sizeof on)`, tuned with `TCP_KEEPIDLE`, `TCP_KEEPINTVL`, `TCP_KEEPCNT` at level `IPPROTO_TCP`. Keepalive on a listening socket covers every connection accepted from it (Linux, BSD).\n' +
        '- **Node**: `socket.setKeepAlive(true, 60_000)` or `keepAlive: true, keepAliveInitialDelay` in the options of `net.connect` / `net.createServer`; add an `\'error\'` listener, since a dead peer is reported as `ETIMEDOUT`.\n\n' +
        `Keep the idle time below common load-balancer idle timeouts (${middleboxTimeouts()}). \`npx ka-codemod fix PATH\` rewrites these sites.\n\n` +
        `See the [TCP Keepalive HOWTO](${HOWTO}).`,
    },
    helpUri: HOWTO,
    defaultConfiguration: { level: 'warning' },
    properties: { tags: ['reliability', 'network', 'tcp'], precision: 'high', 'problem.severity': 'warning' },
  },
  {
    id: RULES.conditional,
    name: 'TcpKeepaliveConditional',
    shortDescription: { text: 'TCP keepalive only when configured' },
    fullDescription: { text: 'Keepalive is enabled on this TCP socket only under a configuration flag or argument; with the flag off, a dead peer is never noticed by TCP.' },
    help: {
      text: 'Make sure the configuration that enables keepalive is on in production, or enable it by default.',
      markdown: 'Keepalive is enabled here only under a configuration flag or an argument. Make sure it is on in production, or turn it on by default (the TCP Keepalive HOWTO recommends letting users decide, with a sensible default).',
    },
    helpUri: HOWTO,
    defaultConfiguration: { level: 'note' },
    properties: { tags: ['reliability', 'network', 'tcp'], precision: 'medium', 'problem.severity': 'recommendation' },
  },
  {
    id: RULES.unknown,
    name: 'TcpKeepaliveUnknown',
    shortDescription: { text: 'TCP keepalive could not be followed' },
    fullDescription: { text: 'No keepalive was seen on this TCP socket, but it goes into code the analysis cannot follow (an indirect call, an external library that keeps the descriptor), so it may be set there.' },
    help: {
      text: 'Check the code named in the message: if it does not enable keepalive, enable it at this site.',
      markdown: 'The socket escapes into code the analysis cannot follow, named in the message. Check that code: if it does not enable keepalive, enable it at this site (`ka-codemod fix` can rewrite it).',
    },
    helpUri: HOWTO,
    defaultConfiguration: { level: 'note' },
    properties: { tags: ['reliability', 'network', 'tcp'], precision: 'low', 'problem.severity': 'recommendation' },
  },
];

const RULE_INDEX: Record<keyof typeof RULES, number> = { missing: 0, conditional: 1, unknown: 2 };

/** A relative path as a URI reference: each segment percent-encoded. */
export function uriOf(relPath: string): string {
  return relPath.split('/').map(encodeURIComponent).join('/');
}

export interface SarifOptions {
  version: string;
  /** Absolute directory the report's site paths are relative to. */
  rootDir: string;
  /** Absolute directory result URIs are made relative to (%SRCROOT%): where the tool ran, usually the repository root. */
  srcRoot: string;
  /** Fingerprint per site (no line number in it), for partialFingerprints. */
  fingerprint: (site: Site) => string;
  /** With a baseline: is this finding new? */
  isNew?: (site: Site) => boolean;
}

function siteUri(opts: SarifOptions, fileRelToRoot: string): string {
  return uriOf(path.relative(opts.srcRoot, path.resolve(opts.rootDir, fileRelToRoot)).split(path.sep).join('/'));
}

function sarifFix(site: Site, opts: SarifOptions): Fix | undefined {
  const fix = site.fix;
  if (!fix) return undefined;
  return {
    description: { text: fix.description },
    artifactChanges: [
      {
        artifactLocation: { uri: siteUri(opts, fix.path), uriBaseId: '%SRCROOT%' },
        replacements: [...fix.edits]
          .sort((a, b) => a.start - b.start)
          .map((e) => ({
            // C edits are byte offsets (files need not be UTF-8); TS edits are UTF-16 offsets.
            deletedRegion: fix.unit === 'byte' ? { byteOffset: e.start, byteLength: e.end - e.start } : { charOffset: e.start, charLength: e.end - e.start },
            insertedContent: { text: e.text },
          })),
      },
    ],
  };
}

function result(site: Site, kind: keyof typeof RULES, notice: SiteNotice | undefined, opts: SarifOptions): Result {
  const ruleIndex = RULE_INDEX[kind];
  const r: Result = {
    ruleId: SARIF_RULES[ruleIndex]!.id,
    ruleIndex,
    level: kind === 'missing' ? 'warning' : 'note',
    message: { text: sentences(`${findingMessage(site)}: ${site.how}`, notice?.recommendation) },
    locations: [
      {
        physicalLocation: { artifactLocation: { uri: siteUri(opts, site.file), uriBaseId: '%SRCROOT%' }, region: { startLine: site.line, startColumn: site.column, endLine: site.endLine, endColumn: site.endColumn } },
        ...(site.function ? { logicalLocations: [{ name: site.function, kind: 'function' }] } : {}),
      },
    ],
    partialFingerprints: { 'kaCodemodFinding/v1': opts.fingerprint(site) },
    properties: {
      language: site.language,
      call: site.call,
      tcp: site.tcp,
      keepalive: site.keepalive,
      tuning: site.tuning,
      fixable: site.fixable,
      ...(notice ? { timeToNoticeSeconds: notice.seconds } : {}),
    },
  };
  const fix = sarifFix(site, opts);
  if (fix) r.fixes = [fix];
  if (opts.isNew) r.baselineState = opts.isNew(site) ? 'new' : 'unchanged';
  return r;
}

/**
 * SARIF 2.1.0 for GitHub code scanning: one result per site without keepalive (warning), with
 * conditional keepalive (note) or whose keepalive could not be followed (note).
 */
export function renderSarif(report: AuditReport, opts: SarifOptions): string {
  const results: Result[] = [];
  report.sites.forEach((site, i) => {
    const kind = ruleOf(site);
    if (kind) results.push(result(site, kind, report.summary.timeToNotice.sites[i], opts));
  });
  const log: Log = {
    $schema: SARIF_SCHEMA_URI,
    version: '2.1.0',
    runs: [
      {
        tool: { driver: { name: 'ka-codemod', version: opts.version, semanticVersion: opts.version, informationUri: INFORMATION_URI, rules: SARIF_RULES } },
        originalUriBaseIds: { '%SRCROOT%': { uri: pathToFileURL(opts.srcRoot.endsWith(path.sep) ? opts.srcRoot : opts.srcRoot + path.sep).href } },
        results,
        // Files skipped or partly parsed: GitHub lists tool notifications on the tool-status page.
        invocations: [
          {
            executionSuccessful: true,
            toolExecutionNotifications: report.problems.map((p) => ({
              level: p.kind === 'parse-error' ? 'warning' : 'error',
              message: { text: p.message },
              descriptor: { id: p.kind },
              locations: [{ physicalLocation: { artifactLocation: { uri: siteUri(opts, p.file), uriBaseId: '%SRCROOT%' }, ...(p.line !== undefined ? { region: { startLine: p.line } } : {}) } }],
            })),
          },
        ],
        columnKind: 'utf16CodeUnits',
        properties: { coverage: report.summary.coverage.project, filesScanned: report.summary.filesScanned },
      },
    ],
  };
  return `${JSON.stringify(log, null, 2)}\n`;
}
