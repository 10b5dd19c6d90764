import { detectEol } from '@ka-codemod/core';
import { ofType, type Node } from './parse.js';
import { WINDOWS_MARKERS } from '../libc.js';
import { hasWord, indentOf, sameLine } from '../text.js';

/** How the file around a site is written, so inserted code reads like its neighbours. */
export interface CodeStyle {
  eol: '\n' | '\r\n';
  /** One level of indentation: a tab, or N spaces. */
  unit: string;
  /** `kr`: `if (x) {`; `allman`: brace on its own line at the statement's indent; `gnu`: brace indented by `braceOffset`. */
  braces: 'kr' | 'allman' | 'gnu';
  braceOffset: string;
  /** `if (` or `if(`. */
  ifSpace: string;
  /** `f (x)` (GNU) or `f(x)`. */
  callSpace: string;
  /** Winsock-portable code: closesocket, INVALID_SOCKET, SOCKET_ERROR, `(const char *)&on`. */
  windows: boolean;
  /** Function definitions put the return type on its own line (BSD/GNU). */
  returnTypeOwnLine: boolean;
  /** Function bodies open with `{` on its own line. */
  functionBraceOwnLine: boolean;
}

// The line-ending rule is core's, shared with the writers; re-exported for the rewrite's callers.
export { detectEol };

export function isWindowsPortable(text: string): boolean {
  return WINDOWS_MARKERS.some((m) => hasWord(text, m));
}

/** The indentation step, learnt from how far function bodies sit inside their definitions. */
export function detectUnit(text: string, functions: readonly Node[]): string {
  const counts = new Map<string, number>();
  for (const fn of functions) {
    const body = fn.childForFieldName('body');
    // Preprocessor lines follow their own indentation (often none, or spaces after the #).
    const first = body?.namedChildren.find((c) => c.type !== 'comment' && !c.type.startsWith('preproc_'));
    if (!body || !first || sameLine(text, body.startIndex, first.startIndex)) continue;
    const outer = indentOf(text, fn.startIndex);
    const inner = indentOf(text, first.startIndex);
    if (inner.length > outer.length && inner.startsWith(outer)) {
      const step = inner.slice(outer.length);
      counts.set(step, (counts.get(step) ?? 0) + 1);
    }
  }
  let best: string | undefined;
  for (const [k, v] of counts) if (best === undefined || v > counts.get(best)!) best = k;
  return best ?? (/^\t/m.test(text) ? '\t' : '    ');
}

/** Statements with a body, and the part their body follows (`if (x)`, `while (x)`, `else`). */
function bodies(root: Node): { stmt: Node; head: Node; body: Node }[] {
  const out: { stmt: Node; head: Node; body: Node }[] = [];
  for (const s of ofType(root, ['if_statement', 'while_statement', 'for_statement'])) {
    const body = s.childForFieldName(s.type === 'if_statement' ? 'consequence' : 'body');
    const head = s.childForFieldName('condition') ?? body?.previousSibling;
    if (body && head && body.type === 'compound_statement') out.push({ stmt: s, head, body });
  }
  return out;
}

function braceStyleOf(text: string, found: ReturnType<typeof bodies>): { braces: CodeStyle['braces']; braceOffset: string } {
  let kr = 0;
  let allman = 0;
  let gnu = 0;
  let offset = '';
  for (const { stmt, head, body } of found) {
    if (sameLine(text, head.endIndex, body.startIndex)) kr++;
    else {
      const a = indentOf(text, stmt.startIndex);
      const b = indentOf(text, body.startIndex);
      if (a === b) allman++;
      else if (b.startsWith(a)) {
        gnu++;
        offset = b.slice(a.length);
      }
    }
  }
  if (gnu > kr && gnu > allman) return { braces: 'gnu', braceOffset: offset };
  return { braces: allman > kr ? 'allman' : 'kr', braceOffset: '' };
}

export function detectStyle(text: string, root: Node): CodeStyle {
  const functions = ofType(root, 'function_definition');
  const ifs = ofType(root, 'if_statement');
  let ifSpaced = 0;
  let ifTight = 0;
  for (const s of ifs) {
    if (text.startsWith('if(', s.startIndex)) ifTight++;
    else ifSpaced++;
  }
  let typeOwnLine = 0;
  let braceOwnLine = 0;
  for (const fn of functions) {
    const type = fn.childForFieldName('type');
    const decl = fn.childForFieldName('declarator');
    const body = fn.childForFieldName('body');
    if (type && decl && !sameLine(text, type.endIndex, decl.startIndex)) typeOwnLine++;
    if (decl && body && !sameLine(text, decl.endIndex, body.startIndex)) braceOwnLine++;
  }
  let callSpaced = 0;
  let callTight = 0;
  for (const c of ofType(root, 'call_expression')) {
    const args = c.childForFieldName('arguments');
    const fn = c.childForFieldName('function');
    if (!args || !fn) continue;
    if (args.startIndex > fn.endIndex) callSpaced++;
    else callTight++;
  }
  const unit = detectUnit(text, functions);
  // each statement's body looked up once, for the brace style and for whether there is any
  const found = bodies(root);
  let braces = braceStyleOf(text, found);
  // No braced body to learn from: `f (x)` calls say GNU, whose braces sit half a step in.
  if (found.length === 0 && callSpaced > callTight) braces = { braces: 'gnu', braceOffset: unit };
  return {
    eol: detectEol(text),
    callSpace: callSpaced > callTight ? ' ' : '',
    unit,
    ...braces,
    ifSpace: ifTight > ifSpaced ? '' : ' ',
    windows: isWindowsPortable(text),
    returnTypeOwnLine: functions.length > 0 && typeOwnLine * 2 > functions.length,
    functionBraceOwnLine: functions.length === 0 || braceOwnLine * 2 >= functions.length,
  };
}
