/**
 * The parsed files of one analysis and their indexes: identifiers by name, property accesses by
 * name, named functions, calls by callee name. Sockets travel across functions and files by name
 * (factories, helpers, methods) within a package, and between the packages of a workspace only
 * through their imports (module-graph.ts), which works the same with and without a type checker.
 */
import { ts } from './typescript.js';
import { bindingSiteOf, collectModuleBindings, GAP, moduleValue, type BindingSite, type ModuleBindings } from './imports.js';
import type { TypeOracle } from './type-oracle.js';
import { sameBundleModule } from './bundle.js';
import nodePath from 'node:path';
import { accessedName, isFunctionLike, propertyNameText, skipOuterExpressions, stringValue } from './syntax.js';
import { countStyle, MODERN_KINDS, STYLE_KINDS, type StyleCounts } from './file-style.js';
import { defaultExportCallsIn, defaultExportSpecifier } from './default-calls.js';
import type { PackageManifest } from './engines-lookup.js';
import { defaultExportNames, packageLinks, resolveCandidates, resolveModule, type PackageLink } from './module-graph.js';

export type Callish = ts.CallExpression | ts.NewExpression;
type Declaration = ts.VariableDeclaration | ts.ParameterDeclaration | ts.BindingElement | ts.FunctionDeclaration | ts.ClassDeclaration;

export interface FileCtx {
  sf: ts.SourceFile;
  /** Absolute path (or the caller's name for a single source). */
  path: string;
  /** Site.file. */
  relFile: string;
  text: string;
  bindings: ModuleBindings;
  identifiers: Map<string, ts.Identifier[]>;
  propertyAccesses: Map<string, Array<ts.PropertyAccessExpression | ts.ElementAccessExpression>>;
  functions: Map<string, ts.FunctionLikeDeclaration[]>;
  classes: Map<string, ts.ClassLikeDeclaration[]>;
  calls: Map<string, Callish[]>;
  /** Every call and `new` of the file in source order, named or not (`(a ? f : g)()`): where sites are looked for. */
  allCalls: Callish[];
  /** nodeRange-derived facts are per file: the nearest package.json may differ. */
  nodeRange: string | null;
  /** The package the file belongs to (directory of its nearest package.json); links stay inside it. */
  packageDir: string | null;
  /** Relative module specifiers it imports or requires ('./event_handler'). */
  relativeImports: string[];
  /** Bare specifiers it imports or requires ('@acme/dialer', 'net'): packages, of the tree or not. */
  packageImports: string[];
  /** Quotes and semicolons, counted in the indexing walk for the file's style (rewrite.ts, fileStyle). */
  style: StyleCounts;
}

const K = ts.SyntaxKind;

/** Method and function names so common that linking them package-wide would merge unrelated code. */
const COMMON_NAMES = new Set(['connect', 'open', 'create', 'start', 'init', 'initialize', 'get', 'make', 'run', 'send', 'write', 'end', 'close', 'destroy', 'listen', 'on', 'once', 'emit', 'then', 'call', 'apply', 'bind', 'handle', 'handler', 'callback', 'cb', 'done', 'next', 'setup', 'build', 'execute', 'exec', 'request', 'dial', 'socket', 'getSocket', 'createSocket', 'reconnect']);

/** Globals whose methods never return a user's socket (Object.create, Promise.resolve, ...). */
const BUILTIN_RECEIVERS = new Set(['Object', 'Promise', 'Array', 'JSON', 'Math', 'Reflect', 'Buffer', 'console', 'process', 'Number', 'String', 'Date', 'Symbol', 'Map', 'Set']);

/**
 * Indexes a parsed file in one walk over every node. The walk also sets the parent pointers the
 * analysis climbs (parseSource leaves them to it: the parser's own pass would be a second full
 * walk) and gathers the binding sites for the module bindings.
 */
export function buildFileCtx(sf: ts.SourceFile, path: string, relFile: string, nodeRange: string | null, packageDir: string | null = null): FileCtx {
  const bindingSites: BindingSite[] = [];
  const ctx: FileCtx = {
    sf, path, relFile, text: sf.text, nodeRange, packageDir, relativeImports: [], packageImports: [],
    bindings: { namespaces: new Map(), members: new Map() },
    identifiers: new Map(), propertyAccesses: new Map(), functions: new Map(), classes: new Map(), calls: new Map(), allCalls: [],
    style: { single: 0, double: 0, withSemi: 0, withoutSemi: 0, modern: 0 },
  };
  const text = sf.text;
  const push = <T>(map: Map<string, T[]>, key: string, value: T): void => {
    const list = map.get(key);
    if (list) list.push(value);
    else map.set(key, [value]);
  };
  let parent: ts.Node = sf;
  // One switch on the kind per node (kinds read once into K: every `ts.X` is a getter call on
  // TypeScript's module object, which a cold walk over every node pays in full).
  const visit = (n: ts.Node): void => {
    if (n !== sf) (n as { parent: ts.Node }).parent = parent;
    if (MODERN_KINDS.has(n.kind)) ctx.style.modern++;
    switch (n.kind) {
      case K.Identifier: {
        const id = n as ts.Identifier;
        if (!isMemberName(id)) push(ctx.identifiers, id.text, id);
        break;
      }
      case K.PropertyAccessExpression:
      case K.ElementAccessExpression: {
        const access = n as ts.PropertyAccessExpression | ts.ElementAccessExpression;
        const name = accessedName(access);
        if (name !== null) push(ctx.propertyAccesses, name, access);
        break;
      }
      case K.CallExpression:
      case K.NewExpression: {
        const call = n as Callish;
        ctx.allCalls.push(call);
        const name = lastCalleeName(call);
        if (name !== null) push(ctx.calls, name, call);
        const spec = call.kind === K.CallExpression && (name === 'require' || call.expression.kind === K.ImportKeyword) ? stringValue(call.arguments?.[0]) : null;
        if (spec) (spec.startsWith('.') ? ctx.relativeImports : ctx.packageImports).push(spec);
        break;
      }
      case K.ClassDeclaration:
      case K.ClassExpression: {
        const cls = n as ts.ClassLikeDeclaration;
        const name = cls.name?.text ?? (ts.isVariableDeclaration(cls.parent) && ts.isIdentifier(cls.parent.name) ? cls.parent.name.text : null);
        if (name) push(ctx.classes, name, cls);
        break;
      }
      case K.ImportDeclaration:
      case K.ExportDeclaration: {
        const decl = n as ts.ImportDeclaration | ts.ExportDeclaration;
        const spec = decl.moduleSpecifier ? stringValue(decl.moduleSpecifier) : null;
        if (spec) (spec.startsWith('.') ? ctx.relativeImports : ctx.packageImports).push(spec);
        break;
      }
      case K.VariableDeclaration:
      case K.BinaryExpression: {
        const binding = bindingSiteOf(n);
        if (binding) bindingSites.push(binding);
        break;
      }
      default:
        if (STYLE_KINDS.has(n.kind)) countStyle(n, text, ctx.style);
        else if (isFunctionLike(n)) for (const name of functionNames(n)) push(ctx.functions, name, n);
    }
    const outer = parent;
    parent = n;
    ts.forEachChild(n, visit);
    parent = outer;
  };
  visit(sf);
  ctx.bindings = collectModuleBindings(sf, bindingSites);
  return ctx;
}

/** Is the identifier the name of a member (`o.name`, `{ name: … }`, a method, field or accessor), not a reference? */
function isMemberName(id: ts.Identifier): boolean {
  const p = id.parent;
  switch (p.kind) {
    case K.PropertyAccessExpression:
    case K.PropertyAssignment:
    case K.MethodDeclaration:
    case K.PropertyDeclaration:
    case K.GetAccessor:
    case K.SetAccessor:
    case K.PropertySignature:
      return (p as ts.PropertyAccessExpression | ts.ObjectLiteralElementLike | ts.ClassElement | ts.TypeElement).name === id;
    default:
      return false;
  }
}

/** The last name of a call's callee: `a.b.c()` → c, `f()` → f, `(0, x.f)()` → f. */
export function lastCalleeName(call: Callish): string | null {
  let e = skipOuterExpressions(call.expression);
  if (ts.isBinaryExpression(e) && e.operatorToken.kind === ts.SyntaxKind.CommaToken) e = skipOuterExpressions(e.right);
  if (ts.isIdentifier(e)) return e.text;
  return accessedName(e);
}

/** Is the call's receiver a builtin global (`Object.create`), whose result is never a user's socket? */
export function hasBuiltinReceiver(call: Callish): boolean {
  const e = skipOuterExpressions(call.expression);
  return (ts.isPropertyAccessExpression(e) || ts.isElementAccessExpression(e)) && ts.isIdentifier(e.expression) && BUILTIN_RECEIVERS.has(e.expression.text);
}

/** The names a function is called by: its own, the variable or property it is assigned to. */
export function functionNames(fn: ts.FunctionLikeDeclaration): string[] {
  const names: string[] = [];
  if (ts.isConstructorDeclaration(fn)) {
    const cls = fn.parent;
    const name = cls.name?.text ?? (ts.isVariableDeclaration(cls.parent) && ts.isIdentifier(cls.parent.name) ? cls.parent.name.text : null);
    return name ? [`new ${name}`] : [];
  }
  if (fn.name) {
    const n = propertyNameText(fn.name as ts.PropertyName);
    if (n !== null) names.push(n);
  }
  const p = fn.parent;
  if (ts.isVariableDeclaration(p) && p.initializer === fn && ts.isIdentifier(p.name)) names.push(p.name.text);
  else if (ts.isPropertyAssignment(p) && p.initializer === fn) {
    const n = propertyNameText(p.name);
    if (n !== null) names.push(n);
  } else if (ts.isPropertyDeclaration(p) && p.initializer === fn) {
    const n = propertyNameText(p.name);
    if (n !== null) names.push(n);
  } else if (ts.isBinaryExpression(p) && p.right === fn && p.operatorToken.kind === ts.SyntaxKind.EqualsToken) {
    const left = skipOuterExpressions(p.left);
    const n = ts.isIdentifier(left) ? left.text : accessedName(left);
    if (n !== null) names.push(n);
  }
  return [...new Set(names)];
}

/** Human name of the function enclosing a node, for Site.function: `Class.method`, `f`, or null. */
export function describeEnclosingFunction(node: ts.Node): string | null {
  for (let n = node.parent; n; n = n.parent) {
    if (!isFunctionLike(n)) continue;
    const names = functionNames(n).filter((x) => !x.startsWith('new '));
    const cls = ts.isClassLike(n.parent) ? n.parent.name?.text ?? null : null;
    if (ts.isConstructorDeclaration(n)) return cls ? `${cls} constructor` : 'constructor';
    const own = names[0];
    if (own) {
      const p = n.parent;
      if (ts.isBinaryExpression(p)) {
        const left = skipOuterExpressions(p.left);
        return left.getText();
      }
      return cls ? `${cls}.${own}` : own;
    }
  }
  return null;
}

/**
 * A file the prefilter let in that no site can be in (no socket module, connection event or
 * `connect` in its text): it matters only when a lookup by name or import reaches it, so it is
 * parsed then (FileIndex.addPending), and a file no lookup reaches is never parsed.
 */
export interface PendingFile {
  path: string;
  relFile: string;
  text: string;
  packageDir: string | null;
  /** May it export a socket creator, its own or re-exported (module-graph.ts)? When not, importing it links none in. */
  mayExportCreators: boolean;
}

/** Identifier-like words (with \\u and \\x escapes decoded too): a superset of the names a parse finds. */
const WORD = /[A-Za-z_$][\w$]*/g;
const ESCAPE = /\\(?:u\{([0-9a-fA-F]+)\}|u([0-9a-fA-F]{4})|x([0-9a-fA-F]{2}))/g;
const PLAIN_NAME = /^[A-Za-z_$][\w$]*$/;
const ESCAPED = /\\[ux]/;
const callPatterns = new Map<string, RegExp>();

/**
 * Text where a call or `new` has this last callee name (lastCalleeName): the name followed by
 * what can come between it and the arguments (`(`, `?.(`, `)(` of `(0, x.name)(`, `']` of
 * `x['name'](`, `<T>(`, `!(`, `as T)(`), or after `new` and a qualified name (`new lib.Name;`).
 * A superset: any such text.
 */
export function callPattern(name: string): RegExp {
  let re = callPatterns.get(name);
  if (!re) {
    const n = name.replace(/\$/g, '\\$');
    re = new RegExp(String.raw`(?<![\w$])${n}(?![\w$])${GAP}(?:[()?<!'"\x60\]]|as\b|satisfies\b)|\bnew(?:[\w$.\s]|/\*(?:[^*]|\*(?!/))*\*/)*?(?<![\w$])${n}(?![\w$])`);
    callPatterns.set(name, re);
  }
  return re;
}

/** May the text call `name` (callPattern; with escapes in it, may a word decoded from it be the name)? */
export function mayCall(text: string, name: string): boolean {
  return callPattern(name).test(text) || (ESCAPED.test(text) && wordsOf(text).has(name));
}

/** An index module re-exporting its folder: through it, the real neighbours are one step further. */
const BARREL = /(^|[\\/])index\.[cm]?[jt]sx?$/;
/** Strings that may be relative module specifiers, in any quote (stringValue's literals). */
export const RELATIVE_SPEC = /'(\.[^'\n]*)'|"(\.[^"\n]*)"|`(\.[^`$]*)`/g;

function wordsOf(text: string): Set<string> {
  const words = new Set(text.match(WORD));
  if (text.includes('\\')) {
    const decoded = text.replace(ESCAPE, (m, a?: string, b?: string, c?: string) => {
      const code = parseInt(a ?? b ?? c!, 16);
      return code <= 0x10ffff ? String.fromCodePoint(code) : m;
    });
    for (const w of decoded.match(WORD) ?? []) words.add(w);
  }
  return words;
}

interface Slot {
  path: string;
  packageDir: string | null;
  ctx: FileCtx | null;
  /** Not parsed yet; null once parsed (or failed to parse: then ctx stays null). */
  pending: PendingFile | null;
}

export class FileIndex {
  /** The files parsed as they were added (add), in order: where sites are looked for. */
  readonly files: FileCtx[] = [];
  /** The type checker's view, when the files come from a type-checked program. */
  types: TypeOracle | null = null;
  /** The package.json of each package directory of the files that has a name: how bare specifiers resolve (module-graph.ts). */
  readonly manifests = new Map<string, PackageManifest>();
  private readonly bySourceFile = new Map<ts.SourceFile, FileCtx>();
  private readonly scopeCache = new Map<ts.Node, Map<string, Declaration[]>>();
  /** Every file in the order it was added, parsed or pending: the order every lookup answers in. */
  private readonly slots: Slot[] = [];
  private readonly slotOf = new Map<FileCtx, number>();
  /** Parses a pending file (the caller's parser, options and problem list); null when it does not parse. */
  materialize: ((file: PendingFile) => FileCtx | null) | null = null;

  add(ctx: FileCtx): void {
    this.files.push(ctx);
    this.bySourceFile.set(ctx.sf, ctx);
    this.slotOf.set(ctx, this.slots.length);
    this.slots.push({ path: nodePath.resolve(ctx.path), packageDir: ctx.packageDir, ctx, pending: null });
    this.importers = null;
    this.packageCache.clear();
    this.neighborCache.clear();
    this.groupCache.clear();
    this.importerIndex = null;
    this.linkIndex = null;
    this.linksIntoCache.clear();
    this.byNameCache = null;
  }

  /** A file parsed only when a lookup reaches it (see PendingFile); needs `materialize`. */
  addPending(file: PendingFile): void {
    this.slots.push({ path: nodePath.resolve(file.path), packageDir: file.packageDir, ctx: null, pending: file });
    this.importers = null;
    this.packageCache.clear();
    this.neighborCache.clear();
    this.groupCache.clear();
  }

  /** Files added, parsed or pending. */
  get fileCount(): number {
    return this.slots.length;
  }

  /** Pending files not parsed yet. */
  get pendingCount(): number {
    return this.slots.filter((s) => s.pending).length;
  }

  /** The slot's file, parsed now when it was pending (null when it does not parse). */
  private ctxAt(i: number): FileCtx | null {
    const slot = this.slots[i]!;
    if (slot.pending) {
      const file = slot.pending;
      slot.pending = null;
      const ctx = this.materialize?.(file) ?? null;
      if (ctx) {
        slot.ctx = ctx;
        this.bySourceFile.set(ctx.sf, ctx);
        this.slotOf.set(ctx, i);
      }
    }
    return slot.ctx;
  }

  fileOf(node: ts.Node): FileCtx {
    const ctx = this.bySourceFile.get(node.getSourceFile());
    if (!ctx) throw new Error('node from a file outside the project');
    return ctx;
  }

  /** Functions with this name: the node's own file first, then what an import of another package binds it to, else the package (neighbours only for common names). */
  functionsNamed(name: string, from: ts.Node): ts.FunctionLikeDeclaration[] {
    const home = this.fileOf(from);
    const own = (home.functions.get(name) ?? []).filter((fn) => sameBundleModule(fn, from));
    if (own.length) return own;
    const target = name === 'default' ? this.defaultExportFile(from) : null;
    if (target) return defaultExportNames(target).flatMap((n) => target.functions.get(n) ?? []);
    const linked = this.linkedDeclarations(home, name, from, (f, n) => f.functions.get(n) ?? []);
    if (linked) return linked;
    return this.reach(home, name).flatMap((f) => f.functions.get(name) ?? []).filter((fn) => sameBundleModule(fn, from));
  }

  /**
   * Where a name can link to: the package, but for names every library reuses (connect, open,
   * create, …) only the file and its import neighbours, so unrelated classes do not merge. Files
   * whose text cannot hold the name are left out (a pending one is not parsed for it).
   */
  private reach(ctx: FileCtx, name: string, calls = false): FileCtx[] {
    return COMMON_NAMES.has(name) ? this.neighbors(ctx, name, calls) : this.linkedFiles(ctx, name, calls);
  }

  /** Constructors (or ES5 constructor functions) of a class name. */
  constructorsNamed(name: string, from: ts.Node): ts.FunctionLikeDeclaration[] {
    const search = (f: FileCtx, n = name): ts.FunctionLikeDeclaration[] => [
      ...(f.classes.get(n) ?? []).flatMap((c) => c.members.filter(ts.isConstructorDeclaration)),
      ...(f.functions.get(n) ?? []).filter((fn) => ts.isFunctionDeclaration(fn) || ts.isFunctionExpression(fn)),
    ];
    const home = this.fileOf(from);
    const own = search(home).filter((fn) => sameBundleModule(fn, from));
    if (own.length) return own;
    const target = name === 'default' ? this.defaultExportFile(from) : null;
    if (target) return defaultExportNames(target).flatMap((n) => search(target, n));
    return this.linkedDeclarations(home, name, from, search) ?? this.linkedFiles(home, name).flatMap((f) => search(f)).filter((fn) => sameBundleModule(fn, from));
  }

  /**
   * A name `from` uses that an import of another package of the tree binds (`import { dial } from
   * '@acme/net'`, `pkg.dial` on `const pkg = require('@acme/net')`): the declarations of that package
   * under the exported name (the imported file's own first). Null when no such import binds it.
   */
  private linkedDeclarations<T>(home: FileCtx, name: string, from: ts.Node, search: (f: FileCtx, exported: string) => T[]): T[] | null {
    const links = this.linksOf(home);
    if (links.length === 0) return null;
    let callee: ts.Node = from;
    if (ts.isCallExpression(from) || ts.isNewExpression(from)) {
      callee = skipOuterExpressions(from.expression);
      if (ts.isBinaryExpression(callee) && callee.operatorToken.kind === ts.SyntaxKind.CommaToken) callee = skipOuterExpressions(callee.right);
    }
    let link: PackageLink | undefined;
    let exported = name;
    if (ts.isIdentifier(callee) && callee.text === name) {
      link = links.find((l) => l.local === name && l.imported !== null);
      if (link) exported = link.imported!;
    } else if ((ts.isPropertyAccessExpression(callee) || ts.isElementAccessExpression(callee)) && accessedName(callee) === name) {
      const owner = skipOuterExpressions(callee.expression);
      if (ts.isIdentifier(owner)) link = links.find((l) => l.local === owner.text && l.imported === null);
    }
    if (!link) return null;
    const target = link.target;
    const names = exported === 'default' ? defaultExportNames(target) : [exported];
    for (const n of names) {
      const own = search(target, n);
      if (own.length) return own;
    }
    return names.flatMap((n) => this.packageFiles(target, n).flatMap((f) => search(f, n)));
  }

  /** Calls to a function name in every file of the package (a function's value may travel anywhere in it), and calls through imports of it in other packages. */
  callsNamed(name: string, from: ts.Node): Callish[] {
    const home = this.fileOf(from);
    // net.connect(…) is Node's, never a call of the project's own `connect`.
    const own = this.reach(home, name, true).flatMap((f) => (f.calls.get(name) ?? []).filter((c) => moduleValue(c.expression, f.bindings) === null && sameBundleModule(c, from)));
    const viaDefault = this.defaultExportCalls(home, name).filter((c) => !own.includes(c));
    const linked = this.linkedCalls(home, name).filter((c) => !viaDefault.includes(c));
    return viaDefault.length || linked.length ? [...own, ...viaDefault, ...linked] : own;
  }

  /** The parsed module whose default export `from` (a call or `new`) calls through `m.default`, else null. */
  private defaultExportFile(from: ts.Node): FileCtx | null {
    if (!ts.isCallExpression(from) && !ts.isNewExpression(from)) return null;
    const ctx = this.fileOf(from);
    const spec = defaultExportSpecifier(from, ctx);
    return spec?.startsWith('.') ? resolveModule(this, ctx, spec) : null;
  }

  /** Calls of `home`'s default export, when that is the function `name`, in the files that import `home` (default-calls.ts). */
  private defaultExportCalls(home: FileCtx, name: string): Callish[] {
    if (this.fileCount === 1 || !defaultExportNames(home).includes(name)) return [];
    return this.neighbors(home).filter((f) => f !== home).flatMap((f) => defaultExportCallsIn(f, (spec) => spec.startsWith('.') && resolveModule(this, f, spec) === home));
  }

  /**
   * Calls of the function `name` of `home`'s package from other packages of the tree, through the
   * bindings their imports make: `dial()` on `import { dial }`, `net2.dial()` on a namespace,
   * `dial()` on the default export. Never by name alone: a package that does not import this one
   * never calls it.
   */
  private linkedCalls(home: FileCtx, name: string): Callish[] {
    const into = this.linksInto(home.packageDir);
    if (into.length === 0) return [];
    const out: Callish[] = [];
    for (const { file, link } of into) {
      if (link.imported === null) {
        for (const c of file.calls.get(name) ?? []) {
          let callee = skipOuterExpressions(c.expression);
          if (ts.isBinaryExpression(callee) && callee.operatorToken.kind === ts.SyntaxKind.CommaToken) callee = skipOuterExpressions(callee.right);
          const owner = ts.isPropertyAccessExpression(callee) || ts.isElementAccessExpression(callee) ? skipOuterExpressions(callee.expression) : null;
          if (owner && ts.isIdentifier(owner) && owner.text === link.local) out.push(c);
        }
      }
      const direct = link.imported === name || ((link.imported === 'default' || link.imported === null) && defaultExportNames(link.target).includes(name));
      if (direct) for (const c of file.calls.get(link.local) ?? []) if (ts.isIdentifier(skipOuterExpressions(c.expression))) out.push(c);
    }
    return out;
  }

  private linkIndex: Map<FileCtx, PackageLink[]> | null = null;
  private readonly linksIntoCache = new Map<string | null, Array<{ file: FileCtx; link: PackageLink }>>();

  /** The file's imports of other packages of the tree (module-graph.ts). */
  private linksOf(ctx: FileCtx): PackageLink[] {
    this.linkIndex ??= new Map();
    let links = this.linkIndex.get(ctx);
    if (!links) this.linkIndex.set(ctx, (links = packageLinks(ctx, this)));
    return links;
  }

  /** The imports, in files of other packages, of modules of the package in `dir`. */
  private linksInto(dir: string | null): Array<{ file: FileCtx; link: PackageLink }> {
    if (dir === null || this.manifests.size === 0) return [];
    let list = this.linksIntoCache.get(dir);
    if (!list) {
      list = [];
      for (const file of this.files) for (const link of this.linksOf(file)) if (link.target.packageDir === dir) list.push({ file, link });
      this.linksIntoCache.set(dir, list);
    }
    return list;
  }

  /** Files where references to a function named `name` declared in `from`'s file may be. */
  filesReaching(name: string, from: ts.Node): FileCtx[] {
    return this.reach(this.fileOf(from), name);
  }

  private readonly neighborCache = new Map<FileCtx, Map<string, FileCtx[]>>();
  /** Per file, the files of other packages that import it by a package specifier (a workspace's; all parsed then). */
  private importerIndex: Map<FileCtx, FileCtx[]> | null = null;

  /** The files a file imports by package specifiers (module-graph.ts resolves them). */
  private packageImportsOf(f: FileCtx): FileCtx[] {
    const found: FileCtx[] = [];
    for (const spec of f.packageImports) {
      const hit = resolveModule(this, f, spec);
      if (hit) found.push(hit);
    }
    return found;
  }

  /** The files that import `f` by a package specifier, in the order of `files`. */
  private packageImportersOf(f: FileCtx): FileCtx[] {
    if (this.manifests.size === 0) return [];
    if (!this.importerIndex) {
      const index = new Map<FileCtx, FileCtx[]>();
      for (const other of this.files) {
        for (const hit of new Set(this.packageImportsOf(other))) {
          if (hit === other) continue;
          const list = index.get(hit);
          if (list) list.push(other);
          else index.set(hit, [other]);
        }
      }
      this.importerIndex = index;
    }
    return this.importerIndex.get(f) ?? [];
  }

  /**
   * The file itself, the files it imports and the files that import it (module-graph.ts resolves
   * the specifiers). With a name, the caller looks only for that name there: a pending file whose
   * words do not include it is left out unparsed (a barrel never: its own neighbours count).
   */
  neighbors(ctx: FileCtx, name?: string, calls = false): FileCtx[] {
    // One file (ESLint, jscodeshift): no other file to resolve its imports to.
    if (this.slots.length === 1) return [ctx];
    const key = name === undefined ? '' : `${calls ? '(' : '#'}${name}`;
    let cached = this.neighborCache.get(ctx);
    if (!cached) this.neighborCache.set(ctx, (cached = new Map()));
    let out = cached.get(key);
    if (out) return out;
    const wanted = (i: number): boolean => {
      const slot = this.slots[i]!;
      return !slot.pending || name === undefined || BARREL.test(slot.path) || this.mayHold(slot.pending, name, calls);
    };
    const direct = (f: FileCtx): FileCtx[] => {
      const found: FileCtx[] = [];
      for (const spec of f.relativeImports) {
        const hit = this.resolveWanted(f, spec, wanted);
        if (hit) found.push(hit);
      }
      const own = this.slots[this.slotOf.get(f)!]!.path;
      // The files that may import it, in order (a pending one is parsed only when a specifier in its text may name it).
      for (const i of this.importersOf(own)) {
        if (!wanted(i)) continue;
        const other = this.ctxAt(i);
        if (other && other !== f && other.relativeImports.some((spec) => this.resolvesTo(other, spec, own))) found.push(other);
      }
      // between the packages of a workspace, by their package specifiers
      if (this.manifests.size > 0) found.push(...this.packageImportsOf(f), ...this.packageImportersOf(f));
      return found;
    };
    const set = new Set<FileCtx>([ctx]);
    for (const f of direct(ctx)) {
      set.add(f);
      // Through a barrel (index.js re-exporting a folder) the real neighbours are one step further.
      if (BARREL.test(f.path)) for (const g of direct(f)) set.add(g);
    }
    out = [...set];
    cached.set(key, out);
    return out;
  }

  /** The file at an absolute path (parsed now when it was pending), else null. */
  fileAt(absolute: string): FileCtx | null {
    this.resolveRelativeIndex();
    const i = this.byPathCache!.get(absolute);
    return i === undefined ? null : this.ctxAt(i);
  }

  private byNameCache: Map<string, string | null> | null = null;

  /** The directory of the one package of the tree with this package.json name; null when none or several. */
  packageNamed(name: string): string | null {
    if (!this.byNameCache) {
      this.byNameCache = new Map();
      for (const [dir, m] of this.manifests) this.byNameCache.set(m.name, this.byNameCache.has(m.name) ? null : dir);
    }
    return this.byNameCache.get(name) ?? null;
  }

  /**
   * resolveRelative, but a pending file `wanted` refuses is not parsed when no later candidate is
   * wanted: whatever the specifier resolves to then holds nothing the caller looks for (null).
   */
  private resolveWanted(from: FileCtx, spec: string, wanted: (slot: number) => boolean): FileCtx | null {
    this.resolveRelativeIndex();
    const hits = this.candidates(nodePath.dirname(from.path), spec).flatMap((c) => {
      const hit = this.byPathCache!.get(c);
      return hit === undefined ? [] : [hit];
    });
    for (let k = 0; k < hits.length; k++) {
      const i = hits[k]!;
      if (this.slots[i]!.pending && !wanted(i) && !hits.slice(k + 1).some(wanted)) return null;
      const ctx = this.ctxAt(i);
      if (ctx) return ctx;
    }
    return null;
  }

  private importers: Map<string, number[]> | null = null;
  private anySpecSlots: number[] = [];

  /**
   * The slots, in order, whose specifiers may name the file at `target` (an absolute path): a
   * parsed file's relative imports, a pending file's specifier-like strings (a superset of what its
   * parse finds; one with an escape may name any file). Built once for all files.
   */
  private importersOf(target: string): number[] {
    if (!this.importers) {
      const index = new Map<string, number[]>();
      this.anySpecSlots = [];
      this.slots.forEach((slot, i) => {
        let specs: readonly string[];
        if (slot.pending) {
          const found: string[] = [];
          for (const m of slot.pending.text.matchAll(RELATIVE_SPEC)) {
            const spec = m[1] ?? m[2] ?? m[3]!;
            if (spec.includes('\\')) {
              this.anySpecSlots.push(i);
              return;
            }
            found.push(spec);
          }
          specs = found;
        } else specs = slot.ctx?.relativeImports ?? [];
        const dir = nodePath.dirname(slot.path);
        for (const spec of specs) {
          for (const c of this.candidates(dir, spec)) {
            const list = index.get(c);
            if (!list) index.set(c, [i]);
            else if (list[list.length - 1] !== i) list.push(i);
          }
        }
      });
      this.importers = index;
    }
    const own = this.importers.get(target) ?? [];
    return this.anySpecSlots.length ? [...new Set([...own, ...this.anySpecSlots])].sort((a, b) => a - b) : own;
  }

  private readonly candidateCache = new Map<string, string[]>();

  /** resolveCandidates, remembered per directory and specifier. */
  private candidates(dir: string, spec: string): string[] {
    const key = `${dir}\0${spec}`;
    let list = this.candidateCache.get(key);
    if (!list) this.candidateCache.set(key, (list = resolveCandidates(dir, spec)));
    return list;
  }

  private byPathCache: Map<string, number> | null = null;

  private resolveRelativeIndex(): void {
    if (!this.byPathCache || this.byPathCache.size !== this.slots.length) this.byPathCache = new Map(this.slots.map((s, i) => [s.path, i]));
  }

  /** The file a relative specifier of `from` names (`./x`, `./x.js` for x.ts, `./dir` for its index), else null. */
  resolveRelative(from: FileCtx, spec: string): FileCtx | null {
    this.resolveRelativeIndex();
    for (const c of this.candidates(nodePath.dirname(from.path), spec)) {
      const hit = this.byPathCache!.get(c);
      // A file that does not parse is not one of the project's: the next candidate may be.
      const ctx = hit === undefined ? null : this.ctxAt(hit);
      if (ctx) return ctx;
    }
    return null;
  }

  /** Does resolveRelative(from, spec) give the file at `target`? Without parsing a pending file it would not give. */
  private resolvesTo(from: FileCtx, spec: string, target: string): boolean {
    const candidates = this.candidates(nodePath.dirname(from.path), spec);
    const at = candidates.indexOf(target);
    if (at < 0) return false;
    this.resolveRelativeIndex();
    // An earlier candidate that parses is the one resolved.
    for (const c of candidates.slice(0, at)) {
      const hit = this.byPathCache!.get(c);
      if (hit !== undefined && this.ctxAt(hit)) return false;
    }
    return this.byPathCache!.has(target);
  }

  /**
   * Can the module a relative specifier of `from` names export a socket creator? False only when
   * every file it may name is pending and exports none (then it is not parsed for the question).
   */
  mayExportCreators(from: FileCtx, spec: string): boolean {
    this.resolveRelativeIndex();
    for (const c of this.candidates(nodePath.dirname(from.path), spec)) {
      const hit = this.byPathCache!.get(c);
      if (hit === undefined) continue;
      const slot = this.slots[hit]!;
      if (!slot.pending || slot.pending.mayExportCreators) return true;
    }
    return false;
  }

  /**
   * The files of the same package as `ctx`; with a name, only those whose text may hold it (a
   * pending file is parsed when its words include the name).
   */
  packageFiles(ctx: FileCtx, name?: string, calls = false): FileCtx[] {
    return this.parseWhere(this.packageSlots(ctx.packageDir), name === undefined ? null : (p) => this.mayHold(p, name, calls));
  }

  /**
   * Classes named `name` in `ctx` and the files its names link to (linkedFiles, or the whole
   * package), `ctx` first. A pending file is parsed only when its text may declare one (`class
   * Name`, `Name = class`): most files that name a base class (EventEmitter, Duplex) only extend it.
   */
  classesNamed(ctx: FileCtx, name: string, within: 'linked' | 'package' = 'linked'): ts.ClassLikeDeclaration[] {
    const slots = within === 'linked' ? this.linkedSlots(ctx) : this.packageSlots(ctx.packageDir);
    const files = this.parseWhere(slots, (p) => this.mayDeclareClass(p, name));
    return [ctx, ...files.filter((f) => f !== ctx)].flatMap((f) => f.classes.get(name) ?? []);
  }

  /** The files of these slots, a pending one parsed only when `wanted` (null: every one) says it may answer. */
  private parseWhere(slots: readonly number[], wanted: ((file: PendingFile) => boolean) | null): FileCtx[] {
    const out: FileCtx[] = [];
    for (const i of slots) {
      const pending = this.slots[i]!.pending;
      if (pending && wanted && !wanted(pending)) continue;
      const f = this.ctxAt(i);
      if (f) out.push(f);
    }
    return out;
  }

  /** May a parse of the pending file find a class named `name` (FileCtx.classes: a class declaration or expression so named, or assigned to a variable of that name)? */
  private mayDeclareClass(file: PendingFile, name: string): boolean {
    if (!PLAIN_NAME.test(name) || ESCAPED.test(file.text)) return this.mayHold(file, name);
    const n = name.replace(/\$/g, '\\$');
    return new RegExp(String.raw`\bclass\s+${n}(?![\w$])|(?<![\w$.])${n}${GAP}=${GAP}class\b`).test(file.text);
  }


  private readonly packageCache = new Map<string | null, number[]>();
  private readonly words = new Map<PendingFile, Set<string>>();

  /** May a parse of the pending file find `name` (an identifier, a member or a property name)? */
  private mayHold(file: PendingFile, name: string, calls = false): boolean {
    // A private name (`#socket`) is written with its '#', which no word takes in.
    const word = name.startsWith('#') ? name.slice(1) : name;
    if (!PLAIN_NAME.test(word)) return true;
    let words = this.words.get(file);
    if (!words) this.words.set(file, (words = wordsOf(file.text)));
    if (!words.has(word)) return false;
    // A call of it (calls): written as one, unless the file writes names with escapes.
    return !calls || ESCAPED.test(file.text) || callPattern(word).test(file.text);
  }

  /**
   * The files of the package a name used in `ctx` may link to: the package less the files of the
   * other groups its relative imports join. A package that ships two builds of its sources side by
   * side (dist/cjs and dist/esm) has two such groups, each importing only its own: a function of
   * one build is never called from the other, though both hold the same names. A file that imports
   * no file of the package and that none imports belongs to no group and links package-wide, as
   * every file of a package whose files all import each other does.
   */
  linkedFiles(ctx: FileCtx, name?: string, calls = false): FileCtx[] {
    return this.parseWhere(this.linkedSlots(ctx), name === undefined ? null : (p) => this.mayHold(p, name, calls));
  }

  /** The slots of linkedFiles: the package less the slots of the other import groups. */
  private linkedSlots(ctx: FileCtx): number[] {
    const slots = this.packageSlots(ctx.packageDir);
    let groups = this.groupCache.get(ctx.packageDir);
    if (!groups) this.groupCache.set(ctx.packageDir, (groups = this.importGroups(slots)));
    const own = groups.get(this.slotOf.get(ctx)!);
    if (own === undefined) return slots;
    return slots.filter((i) => {
      const group = groups.get(i);
      return group === undefined || group === own;
    });
  }


  private readonly groupCache = new Map<string | null, Map<number, number>>();

  /**
   * The slots of one package joined by relative imports (either direction), numbered per group;
   * slots in no group of two or more are left out. A pending file's specifiers are the
   * specifier-like strings of its text (a superset of what its parse finds), resolved to the first
   * file of the tree a candidate path names, without parsing it.
   */
  private importGroups(slots: readonly number[]): Map<number, number> {
    this.resolveRelativeIndex();
    const inPackage = new Set(slots);
    const root = new Map<number, number>(slots.map((i) => [i, i]));
    const find = (i: number): number => {
      let r = i;
      while (root.get(r) !== r) r = root.get(r)!;
      root.set(i, r);
      return r;
    };
    const joined = new Set<number>();
    for (const i of slots) {
      const slot = this.slots[i]!;
      const specs = slot.pending ? [...slot.pending.text.matchAll(RELATIVE_SPEC)].map((m) => m[1] ?? m[2] ?? m[3]!) : (slot.ctx?.relativeImports ?? []);
      const dir = nodePath.dirname(slot.path);
      for (const spec of specs) {
        const j = this.candidates(dir, spec).map((c) => this.byPathCache!.get(c)).find((k) => k !== undefined);
        if (j === undefined || j === i || !inPackage.has(j)) continue;
        root.set(find(i), find(j));
        joined.add(i).add(j);
      }
    }
    const ids = new Map<number, number>();
    const out = new Map<number, number>();
    for (const i of joined) {
      const r = find(i);
      let id = ids.get(r);
      if (id === undefined) ids.set(r, (id = ids.size));
      out.set(i, id);
    }
    return out;
  }

  /** The slots of the files of one package, in order. */
  private packageSlots(dir: string | null): number[] {
    let list = this.packageCache.get(dir);
    if (!list) this.packageCache.set(dir, (list = this.slots.flatMap((s, i) => (s.packageDir === dir ? [i] : []))));
    return list;
  }

  /** The declaration an identifier refers to, by lexical scope (null for globals and imports). */
  declarationOf(id: ts.Identifier): Declaration | null {
    let best: Declaration | null = null;
    for (let scope: ts.Node | undefined = id.parent; scope; scope = scope.parent) {
      if (!(isFunctionLike(scope) || ts.isSourceFile(scope))) continue;
      const candidates = this.declarationsIn(scope).get(id.text);
      if (!candidates?.length) continue;
      // Innermost block-scoped declaration whose block contains the reference, else the first.
      let bestDepth = -1;
      for (const d of candidates) {
        const block = blockScopeOf(d);
        if (!containsNode(block, id)) continue;
        const depth = depthOf(block);
        if (depth > bestDepth) {
          bestDepth = depth;
          best = d;
        }
      }
      return best ?? candidates[0]!;
    }
    return null;
  }

  /** Identifiers that refer to a declaration. */
  referencesOf(decl: Declaration): ts.Identifier[] {
    const name = decl.name && ts.isIdentifier(decl.name) ? decl.name.text : null;
    if (name === null) return [];
    const ctx = this.fileOf(decl);
    // Only identifiers inside the declaration's scope can refer to it: a cheap position test first.
    let scope: ts.Node = blockScopeOf(decl);
    if (ts.isFunctionDeclaration(decl) || ts.isClassDeclaration(decl)) scope = decl.parent ?? scope;
    const from = scope.pos;
    const to = scope.end;
    return (ctx.identifiers.get(name) ?? []).filter((id) => id !== decl.name && id.pos >= from && id.end <= to && this.declarationOf(id) === decl);
  }

  private declarationsIn(scope: ts.Node): Map<string, Declaration[]> {
    let map = this.scopeCache.get(scope);
    if (map) return map;
    map = new Map();
    const add = (name: ts.BindingName | undefined, d: Declaration): void => {
      if (!name) return;
      if (ts.isIdentifier(name)) {
        const list = map!.get(name.text);
        if (list) list.push(d);
        else map!.set(name.text, [d]);
      } else for (const el of name.elements) if (ts.isBindingElement(el)) add(el.name, el);
    };
    if (isFunctionLike(scope)) {
      for (const p of scope.parameters) add(p.name, p);
      if ((ts.isFunctionExpression(scope)) && scope.name) add(scope.name, scope as unknown as ts.FunctionDeclaration);
    }
    const walk = (n: ts.Node): void => {
      if (ts.isVariableDeclaration(n)) add(n.name, n);
      else if (ts.isFunctionDeclaration(n) && n.name) add(n.name, n);
      else if (ts.isClassDeclaration(n) && n.name) add(n.name, n);
      if (ts.isParameter(n) && n.parent !== scope) return;
      if (isFunctionLike(n) && n !== scope) return;
      ts.forEachChild(n, walk);
    };
    if (isFunctionLike(scope)) {
      if (scope.body) walk(scope.body);
    } else walk(scope);
    this.scopeCache.set(scope, map);
    return map;
  }
}


function blockScopeOf(d: Declaration): ts.Node {
  if (ts.isParameter(d)) return d.parent;
  let decl: ts.Node = d;
  while (ts.isBindingElement(decl)) decl = decl.parent.parent;
  if (ts.isVariableDeclaration(decl)) {
    const list = decl.parent;
    const blockScoped = ts.isVariableDeclarationList(list) && (list.flags & (ts.NodeFlags.Let | ts.NodeFlags.Const)) !== 0;
    for (let n: ts.Node | undefined = decl.parent; n; n = n.parent) {
      if (isFunctionLike(n) || ts.isSourceFile(n)) return n;
      if (blockScoped && (ts.isBlock(n) || ts.isForStatement(n) || ts.isForOfStatement(n) || ts.isForInStatement(n) || ts.isCaseBlock(n) || ts.isCatchClause(n))) return n;
    }
  }
  for (let n: ts.Node | undefined = d.parent; n; n = n.parent) if (isFunctionLike(n) || ts.isSourceFile(n)) return n;
  return d.getSourceFile();
}

function containsNode(outer: ts.Node, inner: ts.Node): boolean {
  return inner.pos >= outer.pos && inner.end <= outer.end && inner.getSourceFile() === outer.getSourceFile();
}

function depthOf(n: ts.Node): number {
  let d = 0;
  for (let p: ts.Node | undefined = n; p; p = p.parent) d++;
  return d;
}

export type { Declaration };
