/**
 * Modules inside a bundle: esbuild's `__commonJS({ "lib/x.js"(exports, module) { … } })`, webpack's
 * `(module, exports, __webpack_require__) => { … }`, browserify's `function (require, module, exports)`.
 * Each wrapper is a module of its own: links by name (functions, calls, properties, events) stay
 * inside it, as they stay inside a file elsewhere, so one library's `this.stream` or `connect()`
 * is not another's.
 */
import { ts } from './typescript.js';
import { isFunctionLike } from './syntax.js';

const WRAPPER_PARAMETER = /^(exports\d*|module\d*|require\d*|__webpack_require__|__unused_webpack_module|__unused_webpack_exports|__webpack_exports__|__webpack_module__)$/;
const BUNDLE_TEXT = /__webpack_require__|__commonJS\w*\(|function\s*\(\s*require\s*,\s*module\s*,\s*exports\s*\)/;

const bundled = new WeakMap<ts.SourceFile, boolean>();

/** Does the file hold bundled modules at all (a cheap text test, once per file)? */
export function isBundle(sf: ts.SourceFile): boolean {
  let b = bundled.get(sf);
  if (b === undefined) bundled.set(sf, (b = BUNDLE_TEXT.test(sf.text)));
  return b;
}

/** A function whose parameters are a module wrapper's (exports, module, require …). */
export function isModuleWrapper(fn: ts.FunctionLikeDeclaration): boolean {
  const names = fn.parameters.map((p) => (ts.isIdentifier(p.name) ? p.name.text : ''));
  return names.length > 0 && names.length <= 3 && names.every((n) => WRAPPER_PARAMETER.test(n)) && names.some((n) => /^(exports|module|__unused_webpack_module|__webpack_exports__)/.test(n));
}

/** The bundled module a node sits in, or null (not a bundle, or outside every wrapper). */
export function bundleModuleOf(node: ts.Node): ts.Node | null {
  if (!isBundle(node.getSourceFile())) return null;
  for (let n: ts.Node | undefined = node.parent; n; n = n.parent) if (isFunctionLike(n) && isModuleWrapper(n)) return n;
  return null;
}

/**
 * Can a name-based link join `a` and `b`: the same module of a bundle, or modules where one
 * requires the other (esbuild `require_x()`, webpack `__webpack_require__("./x.js")`) — the
 * import neighbours a file has outside a bundle.
 */
export function sameBundleModule(a: ts.Node, b: ts.Node): boolean {
  if (a.getSourceFile() !== b.getSourceFile()) return true;
  const ma = bundleModuleOf(a);
  const mb = bundleModuleOf(b);
  if (ma === mb) return true;
  if (!ma || !mb) return false;
  const links = moduleLinks(a.getSourceFile());
  return !!links.get(ma)?.has(mb);
}

const linkCache = new WeakMap<ts.SourceFile, Map<ts.Node, Set<ts.Node>>>();

/** Which modules of a bundle require which (both directions). */
function moduleLinks(sf: ts.SourceFile): Map<ts.Node, Set<ts.Node>> {
  let links = linkCache.get(sf);
  if (links) return links;
  links = new Map();
  const byKey = new Map<string, ts.Node>();
  const wrappers: ts.FunctionLikeDeclaration[] = [];
  const visit = (n: ts.Node): void => {
    if (isFunctionLike(n) && isModuleWrapper(n)) {
      wrappers.push(n);
      for (const key of moduleKeys(n)) byKey.set(key, n);
    }
    ts.forEachChild(n, visit);
  };
  visit(sf);
  const link = (x: ts.Node, y: ts.Node) => {
    if (x === y) return;
    let s = links!.get(x);
    if (!s) links!.set(x, (s = new Set()));
    s.add(y);
  };
  for (const w of wrappers) {
    const find = (n: ts.Node): void => {
      if (ts.isCallExpression(n)) {
        const callee = n.expression;
        const key = ts.isIdentifier(callee) && /^require_/.test(callee.text) ? callee.text : ts.isIdentifier(callee) && callee.text === '__webpack_require__' && n.arguments[0] && (ts.isStringLiteral(n.arguments[0]) || ts.isNumericLiteral(n.arguments[0])) ? n.arguments[0].text : null;
        const target = key !== null ? byKey.get(key) : undefined;
        if (target) {
          link(w, target);
          link(target, w);
        }
      }
      if (n !== w && isFunctionLike(n) && isModuleWrapper(n)) return;
      ts.forEachChild(n, find);
    };
    if (w.body) find(w.body);
  }
  // Through a barrel (a module that only re-exports others) the real neighbours are one step further.
  for (const w of wrappers) {
    if (!isBarrel(w)) continue;
    const around = [...(links.get(w) ?? [])];
    for (const x of around) for (const y of around) link(x, y);
  }
  linkCache.set(sf, links);
  return links;
}

/** A module whose body only re-exports (`exports.X = require_x().default`): no functions or classes of its own. */
function isBarrel(w: ts.FunctionLikeDeclaration): boolean {
  const body = w.body;
  if (!body || !ts.isBlock(body) || body.statements.length > 30) return false;
  return body.statements.every((st) => ts.isExpressionStatement(st) || ts.isVariableStatement(st)) && !/=>|function\b|class\b/.test(body.getText());
}

/**
 * The names a module is required by: `var require_x = __commonJS({ "x.js"(exports, module) {…} })`
 * (esbuild), `var require_x = __commonJSMin((exports, module) => {…})` (rolldown), webpack's
 * `"./x.js": (module, …) =>`.
 */
function moduleKeys(w: ts.FunctionLikeDeclaration): string[] {
  const keys: string[] = [];
  let n: ts.Node = w;
  for (let steps = 0; steps < 6 && n.parent; steps++) {
    const p: ts.Node = n.parent;
    if ((ts.isPropertyAssignment(p) || ts.isMethodDeclaration(p)) && (ts.isStringLiteral(p.name) || ts.isNumericLiteral(p.name) || ts.isIdentifier(p.name))) keys.push(p.name.text);
    else if (ts.isMethodDeclaration(n) && (ts.isStringLiteral(n.name) || ts.isNumericLiteral(n.name) || ts.isIdentifier(n.name)) && steps === 0) keys.push(n.name.text);
    if (ts.isVariableDeclaration(p)) {
      if (ts.isIdentifier(p.name)) keys.push(p.name.text);
      break;
    }
    if (!(ts.isParenthesizedExpression(p) || ts.isPropertyAssignment(p) || ts.isObjectLiteralExpression(p) || ts.isCallExpression(p) || ts.isMethodDeclaration(p))) break;
    n = p;
  }
  return keys;
}
