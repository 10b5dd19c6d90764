/**
 * One analysis run over in-memory sources: prefilter, parse, index, analyse, plan fixes, merge
 * them per file. No I/O except the engines.node lookup when a source has no nodeRange.
 */
import path from 'node:path';
import { ts } from './typescript.js';
import { lineAndCharacter } from './lines.js';
import { applyTextEdits, type Edit, type FileProblem, type KeepaliveOptions, type Site, type SiteFix } from '@ka-codemod/core';
import { judgeSites } from './analysis.js';
import type { AnalyzedSite } from './model.js';
import { nearestEnginesNode, nearestPackageDir, packageManifest } from './engines-lookup.js';
import { isDeclarationFile, minifiedLineLength } from './file-kind.js';
import { GAP, importsSocketModule } from './imports.js';
import { worthParsing } from './prefilter.js';
import { CONNECT_METHOD, CONNECTION_EVENTS, LISTENER_METHODS, SERVER_RECEIVER, SOCKET_CALLS, SOCKET_ONLY_MEMBERS } from './node-api.js';
import { minNodeVersion } from './node-range.js';
import { buildFileCtx, FileIndex, mayCall, RELATIVE_SPEC, type FileCtx } from './file-index.js';
import { resolveCandidates } from './module-graph.js';
import { planFix } from './rewrite.js';
import { fileStyle, type FileStyle } from './file-style.js';
import { completeFixes } from './compose-fixes.js';
import { checkerOracle, declaresNodeTypes, type TypeOracle } from './type-oracle.js';

export interface SourceInput {
  /** Absolute path (or the caller's file name). */
  path: string;
  /** Site.file. */
  relFile: string;
  /** Text without BOM. */
  text: string;
  /** engines.node; looked up from the nearest package.json when undefined. */
  nodeRange?: string | null;
  /**
   * A ts.SourceFile someone already parsed from exactly this text, parents set (typescript-eslint's
   * parser builds one even without type information): used instead of parsing the text again.
   */
  tree?: unknown;
}

export interface SourcesResult {
  sites: Site[];
  problems: FileProblem[];
  /** Per path, every fix composed into one non-overlapping edit list on the given text (empty when not `complete`). */
  editsByPath: Map<string, Edit[]>;
  /** One line per applied fix per path, for summaries. */
  changesByPath: Map<string, string[]>;
  analyzed: AnalyzedSite[];
  stats: Record<string, number>;
}

export { worthParsing };

/**
 * Analysed alone and without type information, a file can only hold a site if it loads a socket
 * module and names one of its socket calls (SOCKET_CALLS: `connect`, `Server`, …; a file loading
 * http for STATUS_CODES or net for isIP holds none), or if it adds a connection listener on
 * something named like a server (the analysis's test for servers of unknown origin,
 * SERVER_RECEIVER, applied to the statement's text before the call) and names a socket-only
 * member (the analysis's usedAsSocket). Files that only mention 'error' or setKeepAlive matter as
 * helpers of other files, which a single-file caller (ESLint, jscodeshift) never hands over.
 */
export function canHoldSiteAlone(text: string): boolean {
  if (importsSocketModule(text) && SOCKET_CALL_NAME.test(text)) return true;
  // Cheap searches first (the word, then the event named as a string): the listener pattern is slow to try at every '.' of a big file.
  // And such a listener is a site only when it uses its argument as a socket (SOCKET_ONLY_MEMBERS:
  // ssh2's, ws's and socket.io's servers emit 'connection' with other objects).
  if (!text.includes('onnection') || !CONNECTION_EVENT_NAME.test(text) || !SOCKET_MEMBER_NAME.test(text)) return false;
  for (const m of text.matchAll(CONNECTION_LISTENER_CALL)) {
    const statementStart = text.lastIndexOf(';', m.index) + 1;
    if (SERVER_RECEIVER.test(text.slice(statementStart, m.index))) return true;
  }
  return false;
}

/**
 * An export name of SOCKET_CALLS where a site's callee can name it, however the module is bound:
 * a member (`net.connect`, `net['Socket']`), a destructuring or import list (`{ connect: dial }`,
 * `{ Socket }`), after `new`. The same word in a comment or a string (`'Server'`) names nothing.
 */
const SOCKET_CALL_NAME = new RegExp(
  String.raw`(?:\.${GAP}|\[${GAP}['"\x60]|[{,]${GAP}|\bnew\s+)(?:${[...new Set(SOCKET_CALLS.map((c) => c.name))].join('|')})\b`,
);

/** Members only a net.Socket has, as words. */
const SOCKET_MEMBER_NAME = new RegExp(`\\b(?:${SOCKET_ONLY_MEMBERS.join('|')})\\b`);

/** A connection event's name as a string: every listener call below names one (a cheap search first). */
const CONNECTION_EVENT_NAME = new RegExp(`['"\`](?:${CONNECTION_EVENTS.join('|')})['"\`]`);

/** `.on('connection'`, `['once']("secureConnection"`, …: any listener method, any quote. */
const CONNECTION_LISTENER_CALL = new RegExp(
  `(?:\\.\\s*(?:${LISTENER_METHODS.join('|')})|\\[\\s*['"\`](?:${LISTENER_METHODS.join('|')})['"\`]\\s*\\])\\s*\\(\\s*['"\`](?:${CONNECTION_EVENTS.join('|')})['"\`]`,
  'g',
);

export function scriptKindOf(file: string): ts.ScriptKind {
  if (/\.tsx$/i.test(file)) return ts.ScriptKind.TSX;
  if (/\.(ts|mts|cts)$/i.test(file)) return ts.ScriptKind.TS;
  if (/\.jsx$/i.test(file)) return ts.ScriptKind.JSX;
  return ts.ScriptKind.JS;
}

/**
 * Parses for the analysis, as cheaply as it allows. JSDoc is only read by a type checker, and only
 * in JS files (`@type`), so unless one will be asked about the tree (`jsDoc`) the parser skips it, and
 * in TS files always (ParseForTypeInfo). Parent pointers are left to buildFileCtx, whose walk visits
 * every node anyway (the parser's own pass is a second full walk over the tree); in a JS file with
 * `jsDoc` the parser sets them, JSDoc nodes included.
 */
export function parseSource(file: string, text: string, jsDoc = false): { sf: ts.SourceFile; error: { message: string; line: number } | null } {
  const kind = scriptKindOf(file);
  const jsDocInFile = jsDoc && kind !== ts.ScriptKind.TS && kind !== ts.ScriptKind.TSX;
  const jsDocParsingMode = jsDoc ? ts.JSDocParsingMode.ParseForTypeInfo : ts.JSDocParsingMode.ParseNone;
  const sf = ts.createSourceFile(file, text, { languageVersion: ts.ScriptTarget.Latest, jsDocParsingMode }, jsDocInFile, kind);
  return { sf, error: firstParseError(sf) };
}

/** The caller's tree when it is a parsed ts.SourceFile of exactly `text` with its parent pointers set. */
export function reusableTree(tree: unknown, text: string): ts.SourceFile | null {
  const sf = tree as Partial<ts.SourceFile> | null | undefined;
  if (!sf || sf.kind !== ts.SyntaxKind.SourceFile || sf.text !== text || !sf.statements) return null;
  const first = sf.statements[0];
  return first === undefined || first.parent === sf ? (sf as ts.SourceFile) : null;
}

function firstParseError(sf: ts.SourceFile): { message: string; line: number } | null {
  const diags = (sf as unknown as { parseDiagnostics?: ts.DiagnosticWithLocation[] }).parseDiagnostics ?? [];
  const first = diags[0];
  if (!first) return null;
  const line = lineAndCharacter(sf, first.start).line + 1;
  return { message: ts.flattenDiagnosticMessageText(first.messageText, ' '), line };
}

/** Duck-typed: a ts.Program from the `typescript` package (typescript-eslint's). */
function asProgram(p: unknown): ts.Program | null {
  const x = p as Partial<ts.Program> | null | undefined;
  return x && typeof x.getSourceFile === 'function' && typeof x.getTypeChecker === 'function' ? (p as ts.Program) : null;
}

/**
 * A checker over exactly the files already parsed (never the whole tsconfig): the program reuses
 * our trees, so the checker answers about the nodes the analysis holds. Types are computed lazily,
 * only for the values the syntax could not settle.
 */
function programOracle(files: readonly FileCtx[], tsconfig: string): TypeOracle | null {
  const parsedConfig = ts.getParsedCommandLineOfConfigFile(tsconfig, { noEmit: true }, { ...ts.sys, onUnRecoverableConfigFileDiagnostic: () => undefined });
  if (!parsedConfig) return null;
  const options: ts.CompilerOptions = { ...parsedConfig.options, noEmit: true, allowJs: true, checkJs: false, skipLibCheck: true };
  const ours = new Map(files.map((f) => [path.resolve(f.path), f.sf]));
  const host = ts.createCompilerHost(options, true);
  const original = host.getSourceFile.bind(host);
  // Each file read and parsed once for both programs below.
  const parsed = new Map<string, ts.SourceFile | undefined>();
  host.getSourceFile = (fileName, language, onError, fresh) => {
    const full = path.resolve(fileName);
    const own = ours.get(full);
    if (own) return own;
    if (!parsed.has(full)) parsed.set(full, original(fileName, language, onError, fresh));
    return parsed.get(full);
  };
  // Whether @types/node is in the program does not depend on the default libraries (they reference
  // only each other), and leaving them out is most of the program's cost: without @types/node,
  // nodeKindOf answers without the full program.
  const nodeTypes = ts.createProgram({ rootNames: [...ours.keys()], options: { ...options, noLib: true }, host }).getSourceFiles().some((sf) => declaresNodeTypes(sf.fileName));
  // The program and its checker (binding every file is most of the cost): only when a question needs them.
  let checker: TypeOracle | undefined;
  const oracle = () => (checker ??= checkerOracle(ts.createProgram({ rootNames: [...ours.keys()], options, host }).getTypeChecker()));
  return { kindOf: (expr) => oracle().kindOf(expr), nodeKindOf: (expr) => (nodeTypes ? oracle().nodeKindOf(expr) : null) };
}

export interface TypeInfo {
  /** A type-checked program containing the sources (typescript-eslint's); its trees are used as is. */
  program?: unknown;
  /**
   * The tsconfig.json governing a file, or null (project mode): one program per tsconfig over the
   * parsed files it governs, with its options. A string applies to every file.
   */
  tsconfig?: string | ((file: string) => string | null);
  /**
   * Parse every file the prefilter lets in at once, as the reference the lazy parse must equal
   * (the tests compare the two): by default a file no site can be in is parsed only when a lookup
   * of the analysis reaches it.
   */
  parseAll?: boolean;
}

/**
 * `complete` (default): merge the fixes into one complete edit list per file (compose-fixes.ts);
 * false for callers that use each site's own fix or none (the ESLint rule, audit).
 */
export function analyzeSources(sources: readonly SourceInput[], options: KeepaliveOptions, extra: TypeInfo = {}, complete = true): SourcesResult {
  const project = new FileIndex();
  let parsed = 0;
  // wall-clock milliseconds per phase, for --timings (the prefilter includes the minified test)
  const spent = { prefilter: 0, parse: 0, facts: 0, decide: 0 };
  let t = performance.now();
  const lap = (phase: keyof typeof spent) => {
    const now = performance.now();
    spent[phase] += now - t;
    t = now;
  };
  const given = asProgram(extra.program);
  const givenChecker = given?.getTypeChecker(); // binding sets the parent pointers the analysis walks
  // A checker reads JSDoc types in JS files: parse it only where a tsconfig's program will be built.
  const checked = (s: SourceInput): boolean => extra.tsconfig !== undefined && (typeof extra.tsconfig === 'string' || extra.tsconfig(s.path) !== null);
  // Problems keep the order of the files they are about, however late a file is parsed.
  const found: Array<{ at: number; problem: FileProblem }> = [];
  let admitted = 0;
  const report = (at: number, problem: FileProblem): void => void found.push({ at, problem });
  /** Not minified (else reported and left out). */
  const admit = (s: SourceInput, at: number): boolean => {
    const minified = minifiedLineLength(s.text);
    if (minified === null) return true;
    report(at, { file: s.relFile, kind: 'minified', message: `${s.relFile}: minified or generated code (lines average ${minified} characters), not analysed: keepalive belongs in the sources it is built from` });
    return false;
  };
  const parseCtx = (s: SourceInput, at: number): FileCtx | null => {
    const fromProgram = given?.getSourceFile(s.path);
    const ready = fromProgram && fromProgram.text === s.text ? fromProgram : reusableTree(s.tree, s.text);
    lap('prefilter');
    try {
      const { sf, error } = ready ? { sf: ready, error: firstParseError(ready) } : parseSource(s.path, s.text, checked(s));
      parsed++;
      lap('parse');
      if (error) {
        report(at, { file: s.relFile, kind: 'parse-error', message: `${s.relFile}:${error.line}: ${error.message}; file left alone`, line: error.line });
        return null;
      }
      const range = s.nodeRange !== undefined ? s.nodeRange : nearestEnginesNode(s.path);
      const packageDir = sources.length > 1 ? nearestPackageDir(s.path) : null;
      const manifest = packageDir !== null ? packageManifest(packageDir) : null;
      if (manifest) project.manifests.set(packageDir!, manifest);
      const ctx = buildFileCtx(sf, s.path, s.relFile, range ?? null, packageDir);
      lap('facts');
      return ctx;
    } catch (error) {
      // TypeScript's parser recurses once per nesting level: code nested thousands deep overflows the stack. One file, not the run.
      if (!(error instanceof RangeError)) throw error;
      report(at, { file: s.relFile, kind: 'parse-error', message: `${s.relFile}: nested too deeply for the TypeScript parser; file left alone` });
      return null;
    }
  };
  // A file no site can be in (mayHoldSite) is parsed only when a lookup of the analysis reaches it
  // (FileIndex.addPending), and most never are. Not with a program of the caller's (its checker
  // answers only for its own trees, parsed or not) or a tsconfig's, nor for a single file, nor in a
  // workspace: there the packages' imports of one another (FileIndex.linkedCalls) are read off
  // every parsed file.
  const creators = creatorPaths(sources.filter((s) => !isDeclarationFile(s.path)));
  const inWorkspace = sources.length > 1 && sources.some((s) => {
    const dir = nearestPackageDir(s.path);
    return dir !== null && !!packageManifest(dir)?.workspace;
  });
  const pendingAt = new Map<string, { s: SourceInput; at: number }>();
  const addSource = (s: SourceInput): void => {
    const at = admitted++;
    if (!admit(s, at)) return;
    if (extra.parseAll || given || sources.length === 1 || inWorkspace || checked(s) || mayHoldSite(s, creators)) {
      const ctx = parseCtx(s, at);
      if (ctx) project.add(ctx);
    } else {
      pendingAt.set(s.path, { s, at });
      project.addPending({ path: s.path, relFile: s.relFile, text: s.text, packageDir: nearestPackageDir(s.path), mayExportCreators: creators.has(path.resolve(s.path)) });
    }
  };
  // Pass 1: files that mention sockets, keepalive or listeners.
  const later: SourceInput[] = [];
  for (const s of sources) {
    if (isDeclarationFile(s.path)) continue; // types only: no socket is created there
    if (worthParsing(s.text)) addSource(s);
    else later.push(s);
  }
  // Pass 2: files that call functions of files with sites (factories used elsewhere, helpers).
  // Files left pending above hold no module binding: linkedNames and the stems skip them anyway.
  const linked = linkedNames(project);
  const withSockets = project.files.filter((f) => f.bindings.namespaces.size + f.bindings.members.size > 0);
  const stems = new Set(withSockets.map((f) => moduleStem(f.path)));
  // Packages of the tree holding such files, by the name other packages import them by.
  const packages = new Set(withSockets.flatMap((f) => (f.packageDir !== null ? [project.manifests.get(f.packageDir)?.name ?? ''] : [])).filter(Boolean));
  if (linked.size || stems.size) {
    let rest = later.filter((s) => {
      if (!mentionsAny(s.text, linked) && !importsAnyOf(s.text, stems) && !importsAnyPackage(s.text, packages)) return true;
      addSource(s);
      return false;
    });
    // Through barrels (`export { dial as connectTo } from './dial'`): the files importing a barrel
    // just parsed, a few levels deep.
    for (let round = 0, barrels = barrelStems(later, rest); round < 3 && barrels.size && rest.length; round++) {
      const before = rest;
      rest = before.filter((s) => {
        if (!importsAnyOf(s.text, barrels)) return true;
        addSource(s);
        return false;
      });
      barrels = barrelStems(before, rest);
    }
  }
  let lazyMs = 0;
  project.materialize = (file) => {
    const started = performance.now();
    const { s, at } = pendingAt.get(file.path)!;
    const before = t;
    t = started;
    const ctx = parseCtx(s, at);
    t = before;
    lazyMs += performance.now() - started;
    return ctx;
  };
  lap('prefilter');
  if (givenChecker && given) {
    // Only nodes of the program's own trees may be asked about (a file re-parsed here is not one).
    const oracle = checkerOracle(givenChecker);
    const own = (expr: ts.Expression) => given.getSourceFile(expr.getSourceFile().fileName) === expr.getSourceFile();
    project.types = { kindOf: (expr) => (own(expr) ? oracle.kindOf(expr) : null), nodeKindOf: (expr) => (own(expr) ? oracle.nodeKindOf(expr) : null) };
  }
  else if (extra.tsconfig && project.files.length) project.types = tsconfigOracle(project, extra.tsconfig);
  const minNodes = new Map<FileCtx, ReturnType<typeof minNodeVersion>>();
  const minNodeOf = (ctx: FileCtx) => {
    let v = minNodes.get(ctx);
    if (!v) minNodes.set(ctx, (v = minNodeVersion(ctx.nodeRange)));
    return v;
  };
  const judged = judgeSites(project, minNodeOf);
  const styles = new Map<ts.SourceFile, FileStyle>();
  const styleOf = (sf: ts.SourceFile) => {
    let st = styles.get(sf);
    if (!st) {
      const ctx = project.fileOf(sf);
      styles.set(sf, (st = fileStyle(ctx.text, ctx.style)));
    }
    return st;
  };
  // Underlying sockets first: a TLS wrapper reuses the fix of the socket it wraps.
  const order = [...judged].sort((a, b) => Number(!!a.underlying) - Number(!!b.underlying));
  const fixes = new Map<AnalyzedSite, SiteFix>();
  for (const a of order) {
    const fix = planFix(a, options, project, styleOf, (other) => fixes.get(other) ?? null);
    if (fix) fixes.set(a, fix);
  }
  // The judged sites with their fixes: new data, the analysis's own is left as it was.
  const analyzed = judged.map((a): AnalyzedSite => {
    const fix = fixes.get(a);
    return fix ? { ...a, site: { ...a.site, fix, fixable: true } } : a;
  });
  const stats: Record<string, number> = { filesGiven: sources.length, filesParsed: parsed };
  const problems = found.sort((x, y) => x.at - y.at).map((p) => p.problem);
  let editsByPath = new Map<string, Edit[]>();
  let changesByPath = new Map<string, string[]>();
  if (complete) {
    // Every fix composed into one edit list per file, in one pass (compose-fixes.ts).
    const done = completeFixes(analyzed);
    ({ editsByPath, changesByPath } = done);
    if (done.unfinished) stats['fixesLeftForNextRun'] = done.unfinished;
    problems.push(...dropUnparsableRewrites(sources, editsByPath, changesByPath));
  }
  const sites = analyzed.map((a) => a.site).sort((x, y) => (x.file < y.file ? -1 : x.file > y.file ? 1 : x.line - y.line || x.column - y.column));
  lap('decide');
  // Files parsed when a lookup reached them: their parse and facts are counted there, not in decide.
  spent.decide -= lazyMs;
  const ms = { prefilterMs: Math.round(spent.prefilter), parseMs: Math.round(spent.parse), factsMs: Math.round(spent.facts), decideMs: Math.round(spent.decide) };
  return { sites, problems, editsByPath, changesByPath, analyzed, stats: { ...stats, sites: sites.length, ...ms } };
}

/** Names of the functions declared in files that create sockets (how other files reach them). */
function linkedNames(project: FileIndex): Set<string> {
  const names = new Set<string>();
  for (const ctx of project.files) {
    if (ctx.bindings.namespaces.size === 0 && ctx.bindings.members.size === 0) continue;
    for (const name of ctx.functions.keys()) if (name.length >= 3 && !name.startsWith('new ')) names.add(name);
    for (const name of ctx.classes.keys()) if (name.length >= 3) names.add(name);
  }
  return names;
}

function mentionsAny(text: string, names: ReadonlySet<string>): boolean {
  for (const m of text.matchAll(/[A-Za-z_$][\w$]*/g)) if (names.has(m[0])) return true;
  return false;
}

/** One checker per tsconfig.json; each answers for the files it governs. */
function tsconfigOracle(project: FileIndex, tsconfig: string | ((file: string) => string | null)): TypeOracle | null {
  const groups = new Map<string, FileCtx[]>();
  for (const f of project.files) {
    const config = typeof tsconfig === 'string' ? tsconfig : tsconfig(f.path);
    if (!config) continue;
    const list = groups.get(config) ?? [];
    list.push(f);
    groups.set(config, list);
  }
  const bySourceFile = new Map<ts.SourceFile, () => TypeOracle | null>();
  for (const [config, files] of groups) {
    let oracle: TypeOracle | null | undefined;
    // Built on first question: a project whose sites the syntax settles never pays for a checker.
    const lazy = () => (oracle === undefined ? (oracle = programOracle(files, config)) : oracle);
    for (const f of files) bySourceFile.set(f.sf, lazy);
  }
  if (bySourceFile.size === 0) return null;
  return { kindOf: (expr) => bySourceFile.get(expr.getSourceFile())?.()?.kindOf(expr) ?? null, nodeKindOf: (expr) => bySourceFile.get(expr.getSourceFile())?.()?.nodeKindOf(expr) ?? null };
}

/** Stems of the files parsed from `tried` (those not left in `rest`) that re-export from another module. */
function barrelStems(tried: readonly SourceInput[], rest: readonly SourceInput[]): Set<string> {
  const left = new Set(rest);
  const out = new Set<string>();
  for (const s of tried) if (!left.has(s) && REEXPORT.test(s.text)) out.add(moduleStem(s.path));
  return out;
}

const REEXPORT = /\bexport\s*(?:\*|\{[^}]*\})\s*from\b/;

/**
 * Text that a site may be found in, by any test of the analysis (judgeSites): a socket module
 * named in any quote (module bindings), a connection event (listeners on servers of unknown
 * origin); and a call of `connect` (connects on sockets of unknown origin, mayCall).
 */
const SITE_TEXT = new RegExp(String.raw`['"\x60](?:node:)?(?:net|tls|https?)['"\x60]|['"\x60](?:${CONNECTION_EVENTS.join('|')})['"\x60]`);

/** `export { … } from`, `export * from`, comments allowed: a module that may re-export another's creators. */
const ANY_REEXPORT = new RegExp(String.raw`\bexport${GAP}(?:\*|\{[^}]*\})${GAP}from\b`);

/**
 * Paths of the files that may export a socket creator, their own or re-exported (module-graph.ts,
 * creatorExports): those naming a socket module, and barrels.
 */
export function creatorPaths(sources: readonly SourceInput[]): Set<string> {
  const out = new Set<string>();
  for (const s of sources) if (/['"\x60](?:node:)?(?:net|tls|https?)['"\x60]/.test(s.text) || ANY_REEXPORT.test(s.text)) out.add(path.resolve(s.path));
  return out;
}

/**
 * Can the analysis find a site in this file: by its own text (SITE_TEXT), or by a creator a
 * relative import brings in (any specifier-like string that may name a file of `creators`)?
 */
export function mayHoldSite(s: SourceInput, creators: ReadonlySet<string>): boolean {
  if (SITE_TEXT.test(s.text) || mayCall(s.text, CONNECT_METHOD)) return true;
  const dir = path.dirname(path.resolve(s.path));
  for (const m of s.text.matchAll(RELATIVE_SPEC)) {
    const spec = m[1] ?? m[2] ?? m[3]!;
    if (spec.includes('\\') || resolveCandidates(dir, spec).some((c) => creators.has(c))) return true;
  }
  return false;
}

/** `lib/connectors/standalone.js` → `standalone`; `lib/connectors/index.js` → `connectors`. */
function moduleStem(file: string): string {
  const base = path.basename(file).replace(/\.[cm]?[jt]sx?$/, '');
  return base === 'index' ? path.basename(path.dirname(file)) : base;
}

/** Does the text import or require a relative module with one of these stems (a barrel re-exporting it)? */
function importsAnyOf(text: string, stems: ReadonlySet<string>): boolean {
  for (const m of text.matchAll(/['"](\.{1,2}\/[^'"]*)['"]/g)) {
    const spec = m[1]!.replace(/\/$/, '');
    if (stems.has(moduleStem(spec.endsWith('/index') ? spec : `${spec}.js`))) return true;
  }
  return false;
}

/** `require('@acme/dialer/x')`, `import('pkg')`, `from "pkg"`: the package's name. */
const PACKAGE_SPECIFIER = new RegExp(String.raw`(?:\b(?:require|import)${GAP}\(${GAP}|\bfrom${GAP})['"\x60]((?:@[^'"\x60/\s]+/)?[^'"\x60/.\s][^'"\x60/\s]*)`, 'g');

/** The packages the text names as module specifiers (`pkg`, `@scope/pkg`, `node:net`; subpaths cut off). */
export function importedPackages(text: string): string[] {
  return [...text.matchAll(PACKAGE_SPECIFIER)].map((m) => m[1]!);
}

/** Does the text name one of these packages (or a subpath of one) as a module specifier? */
function importsAnyPackage(text: string, names: ReadonlySet<string>): boolean {
  return names.size > 0 && importedPackages(text).some((n) => names.has(n));
}

/**
 * A rewrite that would not parse is a bug of ours, never written: the file's edits are dropped and
 * the file reported, so a user's build is not broken by a run.
 */
export function dropUnparsableRewrites(sources: readonly SourceInput[], editsByPath: Map<string, Edit[]>, changesByPath: Map<string, string[]>): FileProblem[] {
  const out: FileProblem[] = [];
  for (const s of sources) {
    const edits = editsByPath.get(s.path);
    if (!edits?.length) continue;
    const { error } = parseSource(s.path, applyTextEdits(s.text, edits));
    if (!error) continue;
    editsByPath.delete(s.path);
    changesByPath.delete(s.path);
    out.push({ file: s.relFile, kind: 'parse-error', message: `${s.relFile}: the rewrite would not parse (${error.line}: ${error.message}), a ka-codemod bug; file left alone`, line: error.line });
  }
  return out;
}
