/**
 * C source as it comes: bytes, decoded as latin1 so that one character is one byte and every
 * tree-sitter index is a byte offset (files need not be UTF-8; CRLF stays as it is).
 */
import { createRequire } from 'node:module';
import type Parser from 'tree-sitter';
import type { FileProblem } from '@ka-codemod/core';
// the line helpers alone: worker threads load this module without the rest of core
import { lfLineStarts, positionIn } from '@ka-codemod/core/lines';

// `require`d, not imported: both packages are CommonJS, and importing them from an ES module runs
// Node's CommonJS export scanner over them first (about 10 ms of every start-up)
const requireHere = createRequire(import.meta.url);

let parser: Parser | null = null;

/** The one C parser of the engine (analysis and rewrite alike); tree-sitter loads with it. */
export function cParser(): Parser {
  if (!parser) {
    const TreeSitter = requireHere('tree-sitter') as typeof Parser & { SyntaxNode: unknown };
    const language = requireHere('tree-sitter-c') as Parser.Language & { nodeSubclasses?: unknown[] };
    // On its first setLanguage, tree-sitter's binding compiles a class per node type (with `eval`)
    // for field getters (`node.bodyNode`) this engine never uses: 10-25 ms CPU of every start-up,
    // and of every worker thread's. Handed a table that gives every type id (a uint16) the plain
    // node class, it skips that; nodes answer type, fields and positions as they did.
    language.nodeSubclasses ??= new Array<unknown>(0x10000).fill(TreeSitter.SyntaxNode);
    parser = new TreeSitter();
    parser.setLanguage(language);
  }
  return parser;
}

/** Bytes -> a string with one char per byte. */
export function bytesToText(bytes: Buffer): string {
  return bytes.toString('latin1');
}

/** Parses the whole text, or only the given byte ranges (offsets stay those of the whole text). */
export function parseC(text: string, ranges?: ReadonlyArray<{ start: number; end: number }>): Parser.Tree {
  if (!ranges) return cParser().parse(text);
  if (ranges.length === 0) return cParser().parse('');
  const positions = lastPositions?.text === text ? lastPositions.positions : new LinePositions(text);
  lastPositions = { text, positions };
  const includedRanges = ranges.map((r) => ({
    startIndex: r.start, endIndex: r.end, startPosition: positions.at(r.start), endPosition: positions.at(r.end),
  }));
  return cParser().parse(text, undefined, { includedRanges });
}

/** Chunks of one file are parsed one after the other: keep that file's line table. */
let lastPositions: { text: string; positions: LinePositions } | null = null;

class LinePositions {
  private readonly starts: number[];
  constructor(text: string) {
    this.starts = lfLineStarts(text);
  }
  at(index: number): { row: number; column: number } {
    const { line, column } = positionIn(this.starts, index);
    return { row: line, column };
  }
}

/** Regions tree-sitter could not parse: how many, and the 1-based line of the first. */
export function parseErrors(tree: Parser.Tree): { count: number; line: number } | null {
  const root = tree.rootNode;
  if (!root.hasError) return null;
  let count = 0;
  let first: Parser.SyntaxNode | null = null;
  const stack: Parser.SyntaxNode[] = [root];
  while (stack.length > 0) {
    const node = stack.pop()!;
    if (node.type === 'ERROR' || node.isMissing) {
      count++;
      if (!first || node.startIndex < first.startIndex) first = node;
      continue;
    }
    if (!node.hasError) continue;
    // all children in one call to the binding, not one call (and one node transfer) per child
    const children = node.children;
    for (let i = children.length - 1; i >= 0; i--) stack.push(children[i]!);
  }
  return { count: Math.max(count, 1), line: (first?.startPosition.row ?? 0) + 1 };
}

/** The unparsable regions of a file as one problem (the rest of the file is still analysed). */
export function parseProblem(errors: ReadonlyArray<{ count: number; line: number }>, file: string): FileProblem | null {
  if (errors.length === 0) return null;
  const count = errors.reduce((n, e) => n + e.count, 0);
  const line = Math.min(...errors.map((e) => e.line));
  return {
    file,
    kind: 'parse-error',
    message: `${count} region${count === 1 ? '' : 's'} could not be parsed (first at line ${line}); the rest of the file was analysed`,
    line,
  };
}
