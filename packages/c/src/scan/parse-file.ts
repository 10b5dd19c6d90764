/**
 * Parsing and fact extraction of one file (in whichever thread holds it, see shard.ts): only plain
 * facts come back; trees never outlive the file they were built for.
 */
import type Parser from 'tree-sitter';
import { branchView, pathView, type BranchView } from '../branches.js';
import { blankBareStatementMacros } from '../statement-macros.js';
import { extractFacts } from '../facts/extract.js';
import type { FileFacts } from '../facts/model.js';
import { LiteNode, LiteSource, liteTree, type SkippedRange } from './lite-tree.js';
import { topLevelChunks } from './chunks.js';
import type { MacroTable } from '../macros.js';
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
export const timings = { macros: 0, prefilter: 0, parse: 0, copy: 0, extract: 0, decide: 0, bytesParsed: 0, reparsed: 0 };

export function factsOf(original: ParseJob, macros: MacroTable): ParseOutput {
  let t = performance.now();
  // a UTF-8 byte order mark is not C: blank it (three spaces keep every offset) instead of
  // letting it read as a parse error
  const job = original.text.startsWith(UTF8_BOM) ? { ...original, text: `   ${original.text.slice(3)}` } : original;
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
    // bare statement macros blanked (computed once, only when a chunk fails to parse): the base of
    // every retry, so `#if` views and semicolon-less `TRACE(...)` lines are fixed together
    let bare: string | undefined;
    const bareText = () => (bare ??= macros.statementMacros?.size ? blankBareStatementMacros(job.text, macros.statementMacros) : job.text);
    const views = new Map<string, string>();
    const view = (v: BranchView, level = 0) => {
      let text = views.get(`${v}${level}`);
      if (text === undefined) views.set(`${v}${level}`, (text = branchView(bareText(), v, level)));
      return text;
    };
    for (const range of ranges) {
      timings.bytesParsed += range.end - range.start;
      let tree = parseC(job.text, [range]);
      let e = parseErrors(tree);
      let extra: Parser.Tree[] = [];
      if (e && bareText() !== job.text && bareText().slice(range.start, range.end) !== job.text.slice(range.start, range.end)) {
        timings.reparsed += range.end - range.start;
        const retry = parseC(bareText(), [range]);
        const e2 = parseErrors(retry);
        if (!e2 || e2.count < e.count) {
          tree = retry;
          e = e2;
        }
      }
      if (e && CONDITIONAL_DIRECTIVE.test(job.text.slice(range.start, range.end))) {
        // `#ifndef WIN32 else if (...) #endif`, `#ifdef X if (a) { #else if (b) { #endif`: try the
        // branches together, then the first branches (plus the others on their own, for the code
        // only they hold); keep the parse with the fewest errors
        timings.reparsed += range.end - range.start;
        for (const v of ['all', 'first'] as const) {
          // no #else around or in this range: the first branches show it as `all` does, and the
          // same text parses to the same tree, which did not win as `all` and cannot win now
          if (v === 'first' && view('first').slice(range.start, range.end) === view('all').slice(range.start, range.end)) break;
          const retry = parseC(view(v), [range]);
          const e2 = parseErrors(retry);
          if (!e2 || e2.count < e!.count) {
            tree = retry;
            e = e2;
            if (v === 'first') {
              const others = otherBranches(view, range);
              const paths = uncoveredPaths(bareText(), [view('first'), ...others], range, job.keep ? new RegExp(job.keep, 'g') : SITE_CALL);
              extra = [...others, ...paths].map((text) => parseC(text, [range]));
            } else extra = [];
          }
          if (!e) break;
        }
      }
      if (e) errors.push(e);
      timings.parse += performance.now() - t;
      t = performance.now();
      for (const part of [tree, ...extra]) {
        for (const child of liteTree(part, job.text, undefined, undefined, source).children) {
          child.parent = lite;
          lite.children.push(child);
        }
      }
      timings.copy += performance.now() - t;
      t = performance.now();
    }
    timings.parse += performance.now() - t;
  } else {
    timings.bytesParsed += job.text.length;
    const tree = parseC(job.text);
    const e = parseErrors(tree);
    if (e) errors.push(e);
    timings.parse += performance.now() - t;
    t = performance.now();
    lite = liteTree(tree, job.text, keepText ?? undefined, skipped);
    timings.copy += performance.now() - t;
  }
  t = performance.now();
  const facts = extractFacts(lite, { path: job.path, macros, ...(macros.typedefs ? { typedefs: macros.typedefs } : {}) });
  timings.extract += performance.now() - t;
  const problem = job.reportProblems ? parseProblem(errors, job.path) : null;
  if (problem) facts.problems.push(problem);
  return { facts, skipped: job.only ? [] : skipped };
}

/**
 * The views holding the code the first branches hide: `rest` and `restFirst` at each nesting level
 * of alternatives, each only when it shows this range differently from the views already taken (a
 * level deeper than every group here is the `first` view again, which ends the search).
 */
function otherBranches(view: (v: BranchView, level?: number) => string, range: SkippedRange): string[] {
  const slice = (text: string) => text.slice(range.start, range.end);
  const first = slice(view('first'));
  const seen = new Set([first]);
  const taken: string[] = [];
  for (let level = 0; level < MAX_REST_LEVEL; level++) {
    const views = [view('rest', level), view('restFirst', level)];
    if (views.every((text) => slice(text) === first)) break;
    for (const text of views) {
      if (seen.has(slice(text))) continue;
      seen.add(slice(text));
      taken.push(text);
    }
  }
  return taken;
}

/**
 * For each wanted word in the range that none of the views shows, the view of the branches it sits
 * in (bounded: a file of many platforms' variants stays cheap).
 */
function uncoveredPaths(text: string, views: readonly string[], range: SkippedRange, words: RegExp): string[] {
  const found: string[] = [];
  const seen = new Set<string>();
  const pattern = new RegExp(words.source, 'g');
  pattern.lastIndex = range.start;
  for (let m = pattern.exec(text); m && m.index < range.end && found.length < MAX_PATH_VIEWS; m = pattern.exec(text)) {
    if (m[0].length === 0) pattern.lastIndex++;
    const at = m.index;
    if (views.some((v) => v.charCodeAt(at) === text.charCodeAt(at))) continue;
    let line = 0;
    for (let i = text.indexOf('\n'); i >= 0 && i < at; i = text.indexOf('\n', i + 1)) line++;
    const view = pathView(text, line);
    const slice = view.slice(range.start, range.end);
    if (seen.has(slice)) continue;
    seen.add(slice);
    found.push(view);
  }
  return found;
}

const SITE_CALL = /\b(?:socket|accept4?|setsockopt)\s*\(/g;
const MAX_PATH_VIEWS = 8;

/** Nesting levels of `#if` alternatives searched for code only a mixed choice of branches shows. */
const MAX_REST_LEVEL = 6;

/** The UTF-8 byte order mark as latin1 characters. */
const UTF8_BOM = '\xef\xbb\xbf';

const CONDITIONAL_DIRECTIVE = /^[ \t]*#[ \t]*(?:if|ifdef|ifndef|elif|else|endif)\b/m;


/** Keeps top-level items that mention a prefilter word or an option name (tables of options). */
function keepMatching(text: string, words: RegExp): (start: number, end: number) => boolean {
  return (start, end) => {
    const slice = text.slice(start, end);
    return words.test(slice) || OPTION_NAMES.test(slice);
  };
}

const OPTION_NAMES = /\b(?:SO_KEEPALIVE|TCP_KEEPIDLE|TCP_KEEPALIVE|TCP_KEEPINTVL|TCP_KEEPCNT|TCP_USER_TIMEOUT)\b/;
