/**
 * Walking a source tree the way git sees it, fast: .gitignore files from the repository root down
 * (negations included), never into node_modules or .git, never through a symbolic link. globby's
 * gitignore option re-matches every path against every .gitignore and took 4.3 s on PostgreSQL's
 * tree (155 .gitignore files); one `ignore` matcher per directory, asked only about that
 * directory's entries, takes a few tens of milliseconds.
 */
import { existsSync, readdirSync, readFileSync, type Dirent } from 'node:fs';
import path from 'node:path';
import ignore, { type Ignore } from 'ignore';
import picomatch from 'picomatch';
import { copyDirRule, copyFileRule, type CopyRule } from './copies.js';

/** Directories no audit ever descends into, whatever the ignore files say. */
export const ALWAYS_EXCLUDED_DIRS: ReadonlySet<string> = new Set(['node_modules', '.git']);

export interface WalkOptions {
  /** Globs relative to the walked directory; when given, only files matching one are listed. */
  include?: readonly string[];
  /** Globs relative to the walked directory; matching files and directories are left out. */
  exclude?: readonly string[];
  /** Honour .gitignore files (default true). */
  gitignore?: boolean;
  /**
   * Which file names are worth listing (e.g. by extension). Others are dropped before any glob or
   * .gitignore test, which is most of the walk's cost. Symbolic links are always listed.
   */
  wanted?: (name: string) => boolean;
  /**
   * The name endings `wanted` accepts, when it is an extension test: .gitignore globs such as `*.o`
   * can then be told from ones that may match a wanted file, and file tests skip them.
   */
  extensions?: readonly string[];
  /**
   * When given, copies that are not part of the build (copies.ts: quilt's `.pc/`, `*.orig`, backup
   * trees) are left out and told here: the rule, the path relative to the walked directory, and how
   * many files under it the walk wants (`wanted`). Directories the ignore rules drop are not told.
   */
  onCopy?: (rule: CopyRule, rel: string, files: number) => void;
}

export interface WalkEntry {
  /** Absolute path. */
  path: string;
  /** `/`-separated, relative to the walked directory. */
  rel: string;
  kind: 'file' | 'symlink' | 'other';
}

interface Rules {
  /** Directory the .gitignore lives in. */
  base: string;
  text: string;
  /** Built on first use: many .gitignore files (a leaf directory's list of generated files) are never asked. */
  matcher?: Ignore;
  /**
   * The lines that may match a file the walk wants, for testing such files (a line that cannot
   * match a name changes nothing for it; directories are tested with every line before they are
   * entered). Empty: such files skip these rules.
   */
  fileText: string;
  fileMatcher?: Ignore;
  /** Per line of `text` (and of `fileText`): what an entry's own name must look like for it to match (see namePieces). */
  names?: NamePieces[];
  fileNames?: NamePieces[];
}

/**
 * What the last path segment must hold for a .gitignore line to match through it: `any` when
 * the line is a path pattern (a slash inside) or holds an escape; else the literal pieces of the
 * one-segment glob, lower-cased (the `ignore` matcher ignores case): the name starts with the
 * first, ends with the last, holds the others in order. A necessary condition only: the matcher
 * still decides every entry that passes it.
 */
type NamePieces = 'any' | 'none' | string[];

function namePieces(line: string): NamePieces {
  let p = line.replace(/\r$/, '');
  if (p === '' || p.startsWith('#')) return 'none';
  if (p.includes('\\')) return 'any';
  p = p.trimEnd();
  if (p.startsWith('!')) p = p.slice(1);
  if (p.endsWith('/')) p = p.slice(0, -1);
  if (p.startsWith('/')) p = p.slice(1);
  if (p === '') return 'none';
  if (p.includes('/') || /^\s/.test(p)) return 'any';
  const pieces = p.toLowerCase().split(GLOB_TOKEN);
  // a `[` that opens no class: leave such a line to the matcher
  return pieces.some((piece) => piece.includes('[')) ? 'any' : pieces;
}

/** `*` runs, `?`, and `[...]` classes (`]` right after `[` or `[!` is a member, as in fnmatch). */
const GLOB_TOKEN = /\*+|\?|\[[!^]?\]?[^\]]*\]/;

/** Can a line with these pieces match an entry of this (lower-cased) name? */
function mayMatchName(pieces: NamePieces, name: string): boolean {
  if (pieces === 'any') return true;
  if (pieces === 'none') return false;
  if (pieces.length === 1) return name === pieces[0];
  const first = pieces[0]!;
  const last = pieces[pieces.length - 1]!;
  if (!name.startsWith(first) || !name.endsWith(last) || name.length < first.length + last.length) return false;
  let at = first.length;
  const end = name.length - last.length;
  for (let i = 1; i < pieces.length - 1; i++) {
    if (pieces[i] === '') continue;
    const found = name.indexOf(pieces[i]!, at);
    if (found < 0 || found + pieces[i]!.length > end) return false;
    at = found + pieces[i]!.length;
  }
  return true;
}

/** Synchronous, like the directory listings: one small read where a listing shows a .gitignore. */
function loadRules(dir: string, options: Pick<WalkOptions, 'wanted' | 'extensions'>): Rules | null {
  try {
    const text = readFileSync(path.join(dir, '.gitignore'), 'utf8');
    const { wanted, extensions } = options;
    const fileText = wanted ? text.split(/\r?\n/).filter((line) => mayMatchWantedFile(line, wanted, extensions)).join('\n') : text;
    return { base: dir, text, fileText };
  } catch {
    return null;
  }
}

/**
 * Can this .gitignore line match (or, negated, re-include) a file whose name the walk wants?
 * Conservative: a pattern ending in `/` matches directories only; comments and blank lines match
 * nothing; a literal name matches only itself. With the wanted extensions known, a glob must be
 * able to end the way a wanted name ends: its literal tail (`*.o`, `lib*dll.def`) must share an
 * ending with some extension, or its closing `[...]` class (`*.so.[0-9]`) must admit an
 * extension's last character. Anything else (an escape, a trailing `*`) may match.
 */
export function mayMatchWantedFile(line: string, wanted: (name: string) => boolean, extensions?: readonly string[]): boolean {
  let p = line.replace(/\r$/, '');
  if (p === '' || p.startsWith('#')) return false;
  if (p.includes('\\')) return true;
  p = p.trimEnd();
  if (p.startsWith('!')) p = p.slice(1);
  if (p === '' || p.endsWith('/')) return false;
  const last = p.slice(p.lastIndexOf('/') + 1);
  if (!/[*?[]/.test(last)) return wanted(last);
  if (!extensions) return true;
  const tail = /[^*?[\]]*$/.exec(last)![0];
  if (tail !== '') return extensions.some((e) => tail.endsWith(e) || e.endsWith(tail));
  const cls = /\[([^\]!^]+)\]$/.exec(last);
  if (cls) {
    const set = new RegExp(`^[${cls[1]!.replace(/[\\^]/g, '\\$&')}]$`);
    return extensions.some((e) => e !== '' && set.test(e.at(-1)!));
  }
  return true;
}

/**
 * git's verdict: the deepest rule that says anything wins, so a nested `!x` re-includes.
 * `wantedFile`: a file the walk wants by name, which rules that cannot match such files skip.
 * `touched`: rules that said something about the entry's directory or one above it. The `ignore`
 * matcher looks at every segment of a path, so only for those can a line match through a parent;
 * any other rule can match only through the entry's own name, and is skipped when none of its
 * lines can (most rules, for most entries: the matcher cost a third of the walk).
 * `said` collects the rules that said something about this entry.
 */
function gitIgnored(rules: readonly Rules[], abs: string, isDir: boolean, name: string, touched: ReadonlySet<Rules>, wantedFile = false, said?: Rules[]): boolean {
  let ignored = false;
  let lowerName: string | undefined;
  for (const r of rules) {
    const throughName = !touched.has(r);
    // the lines that cannot match a wanted file's name are left out only where nothing can match
    // through a parent (`B*` then `!build` re-including build/: `!build` still decides build/x.c)
    const fileLines = wantedFile && throughName;
    if (fileLines && r.fileText === '') continue;
    if (throughName) {
      const lines = fileLines ? (r.fileNames ??= r.fileText.split('\n').map(namePieces)) : (r.names ??= r.text.split('\n').map(namePieces));
      lowerName ??= name.toLowerCase();
      if (!lines.some((l) => mayMatchName(l, lowerName!))) continue;
    }
    // Every rule's base is an ancestor of abs (rules are collected on the way down).
    const rel = path.sep === '/' ? abs.slice(r.base.endsWith('/') ? r.base.length : r.base.length + 1) : path.relative(r.base, abs).split(path.sep).join('/');
    if (rel === '') continue;
    const matcher = fileLines ? (r.fileMatcher ??= ignore().add(r.fileText)) : (r.matcher ??= ignore().add(r.text));
    const verdict = matcher.test(isDir ? `${rel}/` : rel);
    if (verdict.ignored) ignored = true;
    else if (verdict.unignored) ignored = false;
    if (verdict.ignored || verdict.unignored) said?.push(r);
  }
  return ignored;
}

/** The repository root above `dir` (a directory or file named .git), or null outside any repository. */
function gitRoot(dir: string): string | null {
  for (let d = dir; ; d = path.dirname(d)) {
    if (existsSync(path.join(d, '.git'))) return d;
    if (path.dirname(d) === d) return null;
  }
}

/** Rules of the .gitignore files between the repository root and `dir` (exclusive). */
function inheritedRules(dir: string, options: Pick<WalkOptions, 'wanted' | 'extensions'>): Rules[] {
  const root = gitRoot(dir);
  if (!root || root === dir) return [];
  const chain: string[] = [];
  for (let d = path.dirname(dir); ; d = path.dirname(d)) {
    chain.unshift(d);
    if (d === root || path.dirname(d) === d) break;
  }
  const rules: Rules[] = [];
  for (const d of chain) {
    const r = loadRules(d, options);
    if (r) rules.push(r);
  }
  return rules;
}

/** A glob without a slash matches a name at any depth, as in .gitignore and ESLint: '*.js' is also a/b.js. */
export function atAnyDepth(glob: string): string {
  const body = glob.replace(/\/+$/, '');
  return body.includes('/') || body.startsWith('**') ? glob : `**/${glob}`;
}

/**
 * Every non-directory entry under `dir` that git would track and the globs allow: regular files,
 * symbolic links (not followed: the caller decides), and other nodes (FIFOs, sockets, devices).
 * A directory git ignores is not entered. Unreadable directories are skipped.
 */
export async function walkTree(dir: string, options: WalkOptions = {}): Promise<WalkEntry[]> {
  return walkTreeSync(dir, options);
}

/**
 * walkTree for synchronous callers (an ESLint rule, a jscodeshift transform): the same entries.
 * The walk is synchronous inside anyway (listings and .gitignore reads, see below).
 */
export function walkTreeSync(dir: string, options: WalkOptions = {}): WalkEntry[] {
  const useGitignore = options.gitignore ?? true;
  const included = options.include?.length ? picomatch(options.include.map(atAnyDepth), { dot: true }) : null;
  const excluded = options.exclude?.length ? picomatch(options.exclude.map(atAnyDepth), { dot: true }) : null;
  const out: WalkEntry[] = [];
  const start = useGitignore ? inheritedRules(dir, options) : [];
  // rules from above the walked directory may have matched it or its parents: always asked
  const pending: { abs: string; rel: string; rules: Rules[]; touched: ReadonlySet<Rules> }[] = [{ abs: path.normalize(dir), rel: '', rules: start, touched: new Set(start) }];
  while (pending.length > 0) {
    const { abs, rel, rules: parentRules, touched } = pending.pop()!;
    let entries: Dirent[];
    try {
      // Synchronous on purpose: thousands of small listings, each awaited in turn, left the walk idle on the thread pool.
      entries = readdirSync(abs, { withFileTypes: true });
    } catch {
      continue;
    }
    // Read .gitignore only where the listing shows one: a failed read per directory was most of the walk.
    const own = useGitignore && entries.some((e) => e.name === '.gitignore') ? loadRules(abs, options) : null;
    const rules = own ? [...parentRules, own] : parentRules;
    // abs is normalized: a separator and the name make the child's path (path.join normalizes
    // again, a fifth of the walk on PostgreSQL's 8,000 entries)
    const prefix = abs.endsWith(path.sep) ? abs : abs + path.sep;
    for (const e of entries) {
      if (!e.isDirectory() && !e.isSymbolicLink() && options.wanted && !options.wanted(e.name)) continue;
      const childAbs = prefix + e.name;
      const childRel = rel ? `${rel}/${e.name}` : e.name;
      if (e.isDirectory()) {
        if (ALWAYS_EXCLUDED_DIRS.has(e.name)) continue;
        if (excluded && (excluded(childRel) || excluded(`${childRel}/`))) continue;
        const said: Rules[] = [];
        if (useGitignore && gitIgnored(rules, childAbs, true, e.name, touched, false, said)) continue;
        if (options.onCopy) {
          const copy = copyDirRule(e.name, (marker) => existsSync(childAbs + path.sep + marker));
          if (copy) {
            options.onCopy(copy, childRel, countWanted(childAbs, options.wanted));
            continue;
          }
        }
        pending.push({ abs: childAbs, rel: childRel, rules, touched: said.length > 0 ? new Set([...touched, ...said]) : touched });
        continue;
      }
      const link = e.isSymbolicLink();
      if (link && ALWAYS_EXCLUDED_DIRS.has(e.name)) continue;
      if (excluded?.(childRel)) continue;
      if (included && !included(childRel)) continue;
      if (useGitignore && gitIgnored(rules, childAbs, false, e.name, touched, !link && !!options.wanted)) continue;
      if (options.onCopy && !link) {
        const copy = copyFileRule(e.name);
        if (copy) {
          options.onCopy(copy, childRel, 1);
          continue;
        }
      }
      out.push({ path: childAbs, rel: childRel, kind: e.isFile() ? 'file' : link ? 'symlink' : 'other' });
    }
  }
  return out.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

/** Regular files under `dir` with a wanted name (never inside node_modules or .git): what a skipped directory held. */
function countWanted(dir: string, wanted: ((name: string) => boolean) | undefined): number {
  let n = 0;
  const pending = [dir];
  while (pending.length > 0) {
    const at = pending.pop()!;
    let entries: Dirent[];
    try {
      entries = readdirSync(at, { withFileTypes: true });
    } catch {
      continue;
    }
    for (const e of entries) {
      if (e.isDirectory()) {
        if (!ALWAYS_EXCLUDED_DIRS.has(e.name)) pending.push(at + path.sep + e.name);
      } else if (e.isFile() && (!wanted || wanted(e.name))) n++;
    }
  }
  return n;
}
