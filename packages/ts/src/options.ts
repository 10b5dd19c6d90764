/**
 * What an options object holds, as far as the code shows: object literals, the literal a variable
 * was initialised with, `opts.x = …` assignments to it, and spreads of such objects.
 */
import { ts } from './typescript.js';
import { functionNames, type FileIndex } from './file-index.js';
import { isAssignmentTarget, isFunctionLike, optionName, skipOuterExpressions } from './syntax.js';

/** Beyond this many callers, a parameter's options are not worth resolving. */
const MAX_CALLERS = 5;

export interface OptionsView {
  /** Property name → value expression (the last one written wins). */
  props: Map<string, ts.Expression>;
  /** An inline object literal written at the call (the place to add options). */
  literal: ts.ObjectLiteralExpression | null;
  /** false when some part is not visible (a spread of a parameter, an object from elsewhere). */
  complete: boolean;
  /**
   * The part the caller supplies, unseen: a parameter no caller in sight passes, `this.options`,
   * `options.tls`, or a spread of one. What it holds (keepAlive, path) is the caller's to decide.
   */
  fromCaller: ts.Expression | null;
}

export function isObjectLike(expr: ts.Expression | undefined, project: FileIndex): boolean {
  if (!expr) return false;
  const e = skipOuterExpressions(expr);
  if (ts.isObjectLiteralExpression(e)) return true;
  if (ts.isIdentifier(e)) {
    const d = project.declarationOf(e);
    return !!d && ts.isVariableDeclaration(d) && !!d.initializer && ts.isObjectLiteralExpression(skipOuterExpressions(d.initializer));
  }
  return false;
}

export function optionsView(expr: ts.Expression | undefined, project: FileIndex, depth = 0): OptionsView {
  const view: OptionsView = { props: new Map(), literal: null, complete: true, fromCaller: null };
  if (!expr || depth > 3) return { ...view, complete: false };
  const e = skipOuterExpressions(expr);
  // secure ? options.tls : {}: either object; what either holds may be there.
  if (ts.isConditionalExpression(e)) {
    for (const branch of [e.whenTrue, e.whenFalse]) {
      const inner = optionsView(branch, project, depth + 1);
      for (const [k, v] of inner.props) if (!view.props.has(k)) view.props.set(k, v);
      if (!inner.complete) view.complete = false;
      view.fromCaller ??= inner.fromCaller;
    }
    return view;
  }
  // Object.assign({}, defaults, options.tls, { pauseOnConnect: true }): the sources, in order.
  if (ts.isCallExpression(e) && isObjectAssign(e)) {
    for (const source of e.arguments) {
      if (ts.isSpreadElement(source)) {
        view.complete = false;
        continue;
      }
      const inner = optionsView(source, project, depth + 1);
      for (const [k, v] of inner.props) view.props.set(k, v);
      if (!inner.complete) view.complete = false;
      view.fromCaller ??= inner.fromCaller;
    }
    return view;
  }
  if (ts.isObjectLiteralExpression(e)) {
    if (depth === 0) view.literal = e;
    for (const prop of e.properties) {
      if (ts.isSpreadAssignment(prop)) {
        const inner = optionsView(prop.expression, project, depth + 1);
        for (const [k, v] of inner.props) view.props.set(k, v);
        if (!inner.complete) view.complete = false;
        view.fromCaller ??= inner.fromCaller;
        continue;
      }
      const name = optionName(prop);
      if (name === null) continue;
      if (ts.isPropertyAssignment(prop)) view.props.set(name, prop.initializer);
      else if (ts.isShorthandPropertyAssignment(prop)) view.props.set(name, prop.name);
    }
    return view;
  }
  if (ts.isIdentifier(e)) {
    const decl = project.declarationOf(e);
    if (!decl) return { ...view, complete: false };
    let complete = false;
    let fromCaller: ts.Expression | null = null;
    // A parameter: what the callers pass there (options built by the caller, tls.connect({ socket }) in a helper).
    if (ts.isParameter(decl) && isFunctionLike(decl.parent)) {
      let callers = 0;
      const index = decl.parent.parameters.indexOf(decl);
      const names = functionNames(decl.parent);
      for (const name of depth < 2 ? names : []) {
        const calls = project.callsNamed(name, decl);
        if (calls.length > MAX_CALLERS) continue;
        for (const call of calls) {
          const arg = call.arguments?.[index];
          if (!arg || ts.isSpreadElement(arg)) continue;
          callers++;
          const inner = optionsView(arg, project, depth + 1);
          for (const [k, v] of inner.props) if (!view.props.has(k)) view.props.set(k, v);
          fromCaller ??= inner.fromCaller;
        }
      }
      // A named function no code in sight calls (a public API): the options are the application's.
      // (An anonymous callback's parameter holds what the library itself passes it.)
      if (callers === 0 && names.length > 0) fromCaller = e;
    }
    if (ts.isVariableDeclaration(decl) && decl.initializer) {
      const inner = optionsView(decl.initializer, project, depth + 1);
      for (const [k, v] of inner.props) view.props.set(k, v);
      complete = inner.complete;
      fromCaller ??= inner.fromCaller;
    }
    for (const ref of project.referencesOf(decl)) {
      // opts = { ... } later, and opts.keepAlive = true after the declaration
      if (isAssignmentTarget(ref)) {
        const rhs = (ref.parent as ts.BinaryExpression).right;
        if (ts.isObjectLiteralExpression(skipOuterExpressions(rhs))) {
          for (const [k, v] of optionsView(rhs, project, depth + 1).props) view.props.set(k, v);
        }
        continue;
      }
      const access = ref.parent;
      if (ts.isPropertyAccessExpression(access) && access.expression === ref && isAssignmentTarget(access)) {
        view.props.set(access.name.text, (access.parent as ts.BinaryExpression).right);
      }
    }
    return { props: view.props, literal: null, complete, fromCaller };
  }
  if (ts.isPropertyAccessExpression(e)) {
    // self.options.secureOptions: writes to the same path anywhere in the file
    const path = normalizedPath(e);
    for (const [name, accesses] of project.fileOf(e).propertyAccesses) {
      for (const access of accesses) {
        if (!ts.isPropertyAccessExpression(access) || !isAssignmentTarget(access) || normalizedPath(access.expression) !== path) continue;
        view.props.set(name, (access.parent as ts.BinaryExpression).right);
      }
    }
    // this.options, options.tls: an object the caller handed in.
    return { ...view, complete: false, fromCaller: e };
  }
  return { ...view, complete: false };
}

/** `Object.assign(…)`. */
function isObjectAssign(call: ts.CallExpression): boolean {
  const callee = skipOuterExpressions(call.expression);
  return ts.isPropertyAccessExpression(callee) && callee.name.text === 'assign' && ts.isIdentifier(callee.expression) && callee.expression.text === 'Object';
}

/** `self.options.x` and `this.options.x` name the same object in a class or prototype method. */
function normalizedPath(e: ts.Expression): string {
  return e.getText().replace(/\s+/g, '').replace(/^(self|that|_this|_self|me)\./, 'this.');
}
