#!/usr/bin/env node
import { enableCompileCache } from '@ka-codemod/core';
import { main } from './main.js';

// TypeScript compiled from a V8 code cache when a run loads it (core's compile-cache.ts).
enableCompileCache();

// `ka-codemod audit . | head`: the reader went away; that is not an error worth a stack trace.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw error;
  });
}

process.exitCode = await main(process.argv.slice(2));
// Exit as soon as both streams have written everything: waiting for the event loop to drain and
// tearing the heap down cost 10-15 ms of a PostgreSQL audit. The empty writes call back once all
// that was written before them is flushed (pipes are asynchronous on some platforms).
let open = 2;
for (const stream of [process.stdout, process.stderr]) stream.write('', () => --open === 0 && process.exit());
