import { buildAuditReport, type AuditReport, type Site } from '@ka-codemod/core';

/** Hand-made sites covering every verdict, both languages and both fix offset units. */
export const SAMPLE_ROOT = '/srv/proj';

export function sampleSites(): Site[] {
  const base = { language: 'c' as const, call: 'socket', tuning: [], errorHandler: 'n/a' as const, column: 14, endColumn: 20 };
  return [
    {
      ...base,
      file: 'src/net/client.c',
      line: 42,
      endLine: 42,
      function: 'dial_backend',
      tcp: 'yes',
      keepalive: 'no',
      how: 'the fd from socket() in dial_backend is returned to main and never gets SO_KEEPALIVE',
      fixable: true,
      fix: { description: 'set SO_KEEPALIVE after socket() in dial_backend', path: `${SAMPLE_ROOT}/src/net/client.c`, unit: 'byte', edits: [{ start: 1200, end: 1200, text: '\tif (setsockopt(fd, SOL_SOCKET, SO_KEEPALIVE, &on, sizeof on) < 0) goto fail;\n' }], kind: 'unsafe', addsErrorListener: false },
    },
    { ...base, file: 'src/net/server.c', line: 10, endLine: 10, call: 'accept4', function: 'serve', tcp: 'yes', keepalive: 'yes', how: 'listener set up in listen_on has SO_KEEPALIVE and TCP_KEEPIDLE (inherited)', tuning: ['TCP_KEEPIDLE'], tuningValues: { idleSeconds: 60 }, notes: ['macOS does not inherit TCP_KEEPALIVE'], fixable: false },
    { ...base, file: 'src/net/server.c', line: 3, endLine: 3, function: 'listen_on', tcp: 'maybe', keepalive: 'conditional', how: 'SO_KEEPALIVE only when settings.tcp_keepalive is set <"quoted"> | piped', fixable: false },
    { ...base, file: 'src/ipc.c', line: 7, endLine: 7, function: null, tcp: 'no', keepalive: 'n/a', how: 'AF_UNIX socket', fixable: false },
    {
      file: 'web/client.ts',
      line: 5,
      column: 16,
      endLine: 5,
      endColumn: 23,
      language: 'ts',
      call: 'net.connect',
      function: 'open',
      tcp: 'yes',
      keepalive: 'no',
      how: 'net.connect options have no keepAlive and setKeepAlive is never called',
      tuning: [],
      errorHandler: 'no',
      fixable: true,
      fix: { description: 'add keepAlive: true, keepAliveInitialDelay: 60000', path: `${SAMPLE_ROOT}/web/client.ts`, unit: 'utf16', edits: [{ start: 80, end: 80, text: ', keepAlive: true, keepAliveInitialDelay: 60000' }], kind: 'safe', addsErrorListener: false },
    },
  ];
}

export function sampleReport(): AuditReport {
  return buildAuditReport({
    rootDir: SAMPLE_ROOT,
    sites: sampleSites(),
    problems: [{ file: 'src/broken.c', kind: 'parse-error', message: 'src/broken.c: syntax error', line: 12 }],
    filesScanned: 6,
    machine: { idleSeconds: 7200, intervalSeconds: 75, probes: 9, source: 'linux-defaults' },
  });
}
