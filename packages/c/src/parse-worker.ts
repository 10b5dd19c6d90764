/** Worker thread body: parse and extract the files it is sent, post back plain facts. */
import { parentPort } from 'node:worker_threads';
import type { MacroTable } from './macros.js';
import { factsOf, timings, type ParseJob } from './parse-pool.js';

interface Request {
  macros: { constants: Array<[string, string]>; aliases: Array<[string, MacroTable['aliases'] extends Map<string, infer V> ? V : never]>; typedefs: Array<[string, string]>; statementMacros: string[] };
  jobs: ParseJob[];
}

parentPort?.on('message', (request: Request) => {
  const macros: MacroTable = { constants: new Map(request.macros.constants), aliases: new Map(request.macros.aliases), typedefs: new Map(request.macros.typedefs), statementMacros: new Set(request.macros.statementMacros) };
  const before = { ...timings };
  const outputs = request.jobs.map((job) => factsOf(job, macros));
  const spent = { parse: timings.parse - before.parse, copy: timings.copy - before.copy, extract: timings.extract - before.extract, bytesParsed: timings.bytesParsed - before.bytesParsed, reparsed: timings.reparsed - before.reparsed };
  parentPort!.postMessage({ outputs, spent });
});
