/**
 * Parsing and fact extraction, in process or spread over worker threads. Either way only plain
 * facts come back; trees never outlive the file they were built for.
 */
import { extractFacts } from './extract.js';
import type { FileFacts } from './facts.js';
import { LiteNode, LiteSource, liteTree, type SkippedRange } from './lite-tree.js';
import { topLevelChunks } from './chunks.js';
import type { MacroTable } from './macros.js';
import { parseC, parseErrors, parseProblem } from './source.js';

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
  const errors: Array<{ count: number; line: number }> = [];
  let lite: LiteNode;
  if (ranges) {
    // each chunk parsed on its own: damage in one function cannot spill into the next
    const source = new LiteSource(job.text);
    lite = new LiteNode(source, 'translation_unit', true, null, 0, job.text.length);
    for (const range of ranges) {
      const tree = parseC(job.text, [range]);
      const e = parseErrors(tree);
      if (e) errors.push(e);
      const part = liteTree(tree, job.text, undefined, undefined, source);
      for (const child of part.children) {
        child.parent = lite;
        lite.children.push(child);
      }
    }
    timings.parse += performance.now() - t;
  } else {
    const tree = parseC(job.text);
    const e = parseErrors(tree);
    if (e) errors.push(e);
    timings.parse += performance.now() - t;
    t = performance.now();
    lite = liteTree(tree, job.text, keepText ?? undefined, skipped);
    timings.copy += performance.now() - t;
  }
  t = performance.now();
  const facts = extractFacts(lite, { path: job.path, macros });
  timings.extract += performance.now() - t;
  const problem = job.reportProblems ? parseProblem(errors, job.path) : null;
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
