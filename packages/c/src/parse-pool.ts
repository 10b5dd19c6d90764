/**
 * Parsing and fact extraction, in process or spread over worker threads. Either way only plain
 * facts come back; trees never outlive the file they were built for.
 */
import { extractFacts } from './extract.js';
import type { FileFacts } from './facts.js';
import type { MacroTable } from './macros.js';
import { parseC, parseProblem } from './source.js';

export interface ParseJob {
  path: string;
  text: string;
}

export function factsOf(job: ParseJob, macros: MacroTable): FileFacts {
  const tree = parseC(job.text);
  const facts = extractFacts(tree, { path: job.path, macros });
  const problem = parseProblem(tree, job.path);
  if (problem) facts.problems.push(problem);
  return facts;
}

export async function parseFiles(jobs: readonly ParseJob[], macros: MacroTable, _threads: number): Promise<FileFacts[]> {
  return jobs.map((job) => factsOf(job, macros));
}
