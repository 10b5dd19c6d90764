/**
 * Parsing and fact extraction, in process or spread over worker threads. Either way only plain
 * facts come back; trees never outlive the file they were built for.
 */
import { extractFacts } from './extract.js';
import type { FileFacts } from './facts.js';
import { liteTree, type SkippedRange } from './lite-tree.js';
import { topLevelChunks } from './chunks.js';
import type { MacroTable } from './macros.js';
import { parseC, parseProblem } from './source.js';

export interface ParseJob {
  path: string;
  text: string;
  /** Regex source: top-level items whose text does not match are skipped (and returned as ranges). */
  keep?: string;
  /** Extract exactly these top-level ranges (items skipped in an earlier round). */
  only?: SkippedRange[];
  reportProblems: boolean;
}

export interface ParseOutput {
  facts: FileFacts;
  skipped: SkippedRange[];
}

/** Milliseconds spent per phase, for the benchmark figures. */
export const timings = { macros: 0, prefilter: 0, parse: 0, copy: 0, extract: 0, decide: 0 };

export function factsOf(job: ParseJob, macros: MacroTable): ParseOutput {
  let t = performance.now();
  const keepText = job.keep ? keepMatching(job.text, new RegExp(job.keep)) : null;
  // parse only the chunks that can matter; the rest is remembered for later rounds
  const skipped: SkippedRange[] = [];
  let ranges: SkippedRange[] | undefined = job.only;
  if (!ranges && keepText) {
    const chunks = topLevelChunks(job.text);
    if (chunks) {
      ranges = [];
      for (const c of chunks) (keepText(c.start, c.end) ? ranges : skipped).push(c);
    }
  }
  const tree = parseC(job.text, ranges);
  timings.parse += performance.now() - t;
  t = performance.now();
  const keep = ranges ? undefined : keepText ?? undefined;
  const lite = liteTree(tree, job.text, keep, skipped);
  timings.copy += performance.now() - t;
  t = performance.now();
  const facts = extractFacts(lite, { path: job.path, macros });
  timings.extract += performance.now() - t;
  const problem = job.reportProblems ? parseProblem(tree, job.path) : null;
  if (problem) facts.problems.push(problem);
  return { facts, skipped: job.only ? [] : skipped };
}

/** Keeps top-level items that mention a prefilter word or an option name (tables of options). */
function keepMatching(text: string, words: RegExp): (start: number, end: number) => boolean {
  return (start, end) => {
    const slice = text.slice(start, end);
    return words.test(slice) || OPTION_NAMES.test(slice);
  };
}

const OPTION_NAMES = /\b(?:SO_KEEPALIVE|TCP_KEEPIDLE|TCP_KEEPALIVE|TCP_KEEPINTVL|TCP_KEEPCNT|TCP_USER_TIMEOUT)\b/;

export async function parseFiles(jobs: readonly ParseJob[], macros: MacroTable, _threads: number): Promise<ParseOutput[]> {
  return jobs.map((job) => factsOf(job, macros));
}
