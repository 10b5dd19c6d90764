/**
 * The parsed files of one analysis and their indexes: identifiers by name, property accesses by
 * name, named functions, calls by callee name. Sockets travel across functions and files by name
 * (factories, helpers, methods) within a package, and between the packages of a workspace only
 * through their imports (module-graph.ts), which works the same with and without a type checker.
 */
import { ts } from './typescript.js';
import { bindingSiteOf, collectModuleBindings, moduleValue, type BindingSite, type ModuleBindings } from './imports.js';
import type { TypeOracle } from './type-oracle.js';
import { sameBundleModule } from './bundle.js';
import nodePath from 'node:path';
import { accessedName, isFunctionLike, propertyNameText, skipOuterExpressions, stringValue } from './syntax.js';
import { countStyle, MODERN_KINDS, STYLE_KINDS, type StyleCounts } from './file-style.js';
import type { PackageManifest } from './engines-lookup.js';
import { defaultExportNames, packageLinks, resolveModule, type PackageLink } from './module-graph.js';

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

export class FileIndex {
  readonly files: FileCtx[] = [];
  /** The type checker's view, when the files come from a type-checked program. */
  types: TypeOracle | null = null;
  /** The package.json of each package directory of the files that has a name: how bare specifiers resolve (module-graph.ts). */
  readonly manifests = new Map<string, PackageManifest>();
  private readonly bySourceFile = new Map<ts.SourceFile, FileCtx>();
  private readonly scopeCache = new Map<ts.Node, Map<string, Declaration[]>>();

  add(ctx: FileCtx): void {
    this.files.push(ctx);
    this.bySourceFile.set(ctx.sf, ctx);
    this.packageCache.clear();
    this.neighborCache.clear();
    this.importerIndex = null;
    this.linkIndex = null;
    this.linksIntoCache.clear();
    this.byNameCache = null;
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
    const linked = this.linkedDeclarations(home, name, from, (f, n) => f.functions.get(n) ?? []);
    if (linked) return linked;
    return this.reach(home, name).flatMap((f) => f.functions.get(name) ?? []).filter((fn) => sameBundleModule(fn, from));
  }

  /**
   * Where a name can link to: the package, but for names every library reuses (connect, open,
   * create, …) only the file and its import neighbours, so unrelated classes do not merge.
   */
  private reach(ctx: FileCtx, name: string): FileCtx[] {
    return COMMON_NAMES.has(name) ? this.neighbors(ctx) : this.packageFiles(ctx);
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
    return this.linkedDeclarations(home, name, from, search) ?? this.packageFiles(home).flatMap((f) => search(f)).filter((fn) => sameBundleModule(fn, from));
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
    return names.flatMap((n) => this.packageFiles(target).flatMap((f) => search(f, n)));
  }

  /** Calls to a function name in every file of the package (a function's value may travel anywhere in it), and calls through imports of it in other packages. */
  callsNamed(name: string, from: ts.Node): Callish[] {
    const home = this.fileOf(from);
    // net.connect(…) is Node's, never a call of the project's own `connect`.
    const own = this.reach(home, name).flatMap((f) => (f.calls.get(name) ?? []).filter((c) => moduleValue(c.expression, f.bindings) === null && sameBundleModule(c, from)));
    const linked = this.linkedCalls(home, name);
    return linked.length ? [...own, ...linked] : own;
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

  private readonly neighborCache = new Map<FileCtx, FileCtx[]>();
  /** Per file, the files that import it (relative or package specifiers), in the order of `files`. */
  private importerIndex: Map<FileCtx, FileCtx[]> | null = null;

  /** What a file imports, resolved to parsed files (relative and package specifiers, in that order). */
  private importsOf(f: FileCtx): FileCtx[] {
    const found: FileCtx[] = [];
    for (const spec of f.relativeImports) {
      const hit = resolveModule(this, f, spec);
      if (hit) found.push(hit);
    }
    for (const spec of f.packageImports) {
      const hit = resolveModule(this, f, spec);
      if (hit) found.push(hit);
    }
    return found;
  }

  /** The file itself, the files it imports and the files that import it (module-graph.ts resolves the specifiers). */
  neighbors(ctx: FileCtx): FileCtx[] {
    // One file (ESLint, jscodeshift): no other file to resolve its imports to.
    if (this.files.length === 1) return this.files;
    let out = this.neighborCache.get(ctx);
    if (out) return out;
    if (!this.importerIndex) {
      const index = new Map<FileCtx, FileCtx[]>();
      for (const other of this.files) {
        for (const hit of new Set(this.importsOf(other))) {
          if (hit === other) continue;
          const list = index.get(hit);
          if (list) list.push(other);
          else index.set(hit, [other]);
        }
      }
      this.importerIndex = index;
    }
    const importers = this.importerIndex;
    const direct = (f: FileCtx): FileCtx[] => [...this.importsOf(f), ...(importers.get(f) ?? [])];
    const set = new Set<FileCtx>([ctx]);
    for (const f of direct(ctx)) {
      set.add(f);
      // Through a barrel (index.js re-exporting a folder) the real neighbours are one step further.
      if (/(^|[\\/])index\.[cm]?[jt]sx?$/.test(f.path)) for (const g of direct(f)) set.add(g);
    }
    out = [...set];
    this.neighborCache.set(ctx, out);
    return out;
  }

  private byPathCache: Map<string, FileCtx> | null = null;

  /** The parsed file at an absolute path, else null. */
  fileAt(absolute: string): FileCtx | null {
    if (!this.byPathCache || this.byPathCache.size !== this.files.length) this.byPathCache = new Map(this.files.map((f) => [nodePath.resolve(f.path), f]));
    return this.byPathCache.get(absolute) ?? null;
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

  /** The files of the same package as `ctx`. */
  packageFiles(ctx: FileCtx): FileCtx[] {
    let list = this.packageCache.get(ctx.packageDir);
    if (!list) this.packageCache.set(ctx.packageDir, (list = this.files.filter((f) => f.packageDir === ctx.packageDir)));
    return list;
  }

  private readonly packageCache = new Map<string | null, FileCtx[]>();

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
