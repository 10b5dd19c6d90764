/**
 * A plain-JS copy of a tree-sitter tree, built in one cursor walk. Reading node properties
 * through the native binding costs far more than the walk itself, so extraction runs on this
 * copy; both the copy and the native tree are dropped once the file's facts are out.
 */
import type Parser from 'tree-sitter';
import { lfLineStarts, positionIn } from '@ka-codemod/core/lines';

export class LiteNode {
  parent: LiteNode | null = null;
  readonly children: LiteNode[] = [];
  private named: LiteNode[] | null = null;

  constructor(
    private readonly source: LiteSource,
    readonly type: string,
    readonly isNamed: boolean,
    readonly field: string | null,
    readonly startIndex: number,
    readonly endIndex: number,
  ) {}

  get text(): string {
    return this.source.text.slice(this.startIndex, this.endIndex);
  }

  get namedChildren(): LiteNode[] {
    return (this.named ??= this.children.filter((c) => c.isNamed));
  }

  get namedChildCount(): number {
    return this.namedChildren.length;
  }

  namedChild(i: number): LiteNode | null {
    return this.namedChildren[i] ?? null;
  }

  childForFieldName(name: string): LiteNode | null {
    for (const c of this.children) if (c.field === name) return c;
    return null;
  }

  /** The text from the start of the node's line to the node. */
  get linePrefix(): string {
    const text = this.source.text;
    return text.slice(text.lastIndexOf('\n', this.startIndex - 1) + 1, this.startIndex);
  }

  /** 0-based row and byte column, like tree-sitter's. */
  get startPosition(): { row: number; column: number } {
    return this.source.position(this.startIndex);
  }

  get endPosition(): { row: number; column: number } {
    return this.source.position(this.endIndex);
  }
}

export class LiteSource {
  private lineStarts: number[] | null = null;
  constructor(readonly text: string) {}

  position(index: number): { row: number; column: number } {
    const { line, column } = positionIn((this.lineStarts ??= lfLineStarts(this.text)), index);
    return { row: line, column };
  }
}

/** Nodes that hold top-level code: always copied, so the functions inside them can be chosen one by one. */
const CONTAINERS = new Set([
  'translation_unit', 'preproc_if', 'preproc_ifdef', 'preproc_else', 'preproc_elif', 'preproc_elifdef',
  'linkage_specification', 'declaration_list',
  // a file tree-sitter cannot parse as a whole comes back as one ERROR node holding the pieces
  'ERROR',
]);

/** tree-sitter-c's node type names, whether each is named, and field names, by id (one grammar). */
const typeNames: string[] = [];
const namedTypes: boolean[] = [];
const fieldNames: string[] = [];

/** A top-level region (a function, a declaration) left out of the copy. */
export interface SkippedRange {
  start: number;
  end: number;
}

/**
 * Copies the tree (named and anonymous nodes, with their field names). Top-level items for which
 * `keep(start, end)` says no are left out and listed in `skipped`, so a later round can still
 * extract them if they turn out to matter.
 */
export function liteTree(
  tree: Parser.Tree,
  text: string,
  keep: (start: number, end: number) => boolean = () => true,
  skipped: SkippedRange[] = [],
  source: LiteSource = new LiteSource(text),
): LiteNode {
  const cursor = tree.walk();
  const root = new LiteNode(source, cursor.nodeType, cursor.nodeIsNamed, null, cursor.startIndex, cursor.endIndex);
  let current = root; // the node at the cursor's parent position
  if (!cursor.gotoFirstChild()) return root;
  for (;;) {
    // names by id, asked of the binding once per id: each string getter makes a new string
    const id = cursor.nodeTypeId;
    let type = typeNames[id];
    if (type === undefined) {
      type = typeNames[id] = cursor.nodeType;
      namedTypes[id] = cursor.nodeIsNamed;
    }
    const isNamed = namedTypes[id]!;
    const fieldId = cursor.currentFieldId;
    const field = fieldId ? (fieldNames[fieldId] ??= cursor.currentFieldName) : null;
    const start = cursor.startIndex;
    const end = cursor.endIndex;
    if (CONTAINERS.has(current.type) && !CONTAINERS.has(type) && isNamed && type !== 'comment' && !keep(start, end)) {
      skipped.push({ start, end });
    } else {
      const node = new LiteNode(source, type, isNamed, field, start, end);
      node.parent = current;
      current.children.push(node);
      if (cursor.gotoFirstChild()) {
        current = node;
        continue;
      }
    }
    for (;;) {
      if (cursor.gotoNextSibling()) break;
      if (!cursor.gotoParent() || current === root) return root;
      current = current.parent!;
    }
  }
}
