/**
 * What the type checker says about a value, when there is one (a tsconfig.json in project mode, or
 * typescript-eslint's Program in the ESLint rule): is it a Node socket or server, whatever its origin?
 * Classes are recognised by their declarations in @types/node, also through subclasses.
 */
import { ts } from './typescript.js';

export type NodeValueKind = 'socket' | 'tls-socket' | 'server' | 'other';

export interface TypeOracle {
  /** null when the checker cannot tell (any, unknown, errors). */
  kindOf(expr: ts.Expression): NodeValueKind | null;
  /**
   * kindOf when that is one of Node's classes, else null ('other' too). A program without
   * @types/node answers null for every value, without building a checker (declaresNodeTypes).
   */
  nodeKindOf(expr: ts.Expression): Exclude<NodeValueKind, 'other'> | null;
}

const NODE_TYPES: ReadonlyArray<{ file: RegExp; name: string; kind: NodeValueKind }> = [
  { file: /[\\/]@types[\\/]node[\\/](?:ts[\d.]+[\\/])?tls\.d\.ts$/, name: 'TLSSocket', kind: 'tls-socket' },
  { file: /[\\/]@types[\\/]node[\\/](?:ts[\d.]+[\\/])?net\.d\.ts$/, name: 'Socket', kind: 'socket' },
  { file: /[\\/]@types[\\/]node[\\/](?:ts[\d.]+[\\/])?(?:net|tls|http|https)\.d\.ts$/, name: 'Server', kind: 'server' },
];

/** Is this one of the @types/node files whose classes kindOf recognises? */
export function declaresNodeTypes(fileName: string): boolean {
  return NODE_TYPES.some((t) => t.file.test(fileName));
}

export function checkerOracle(checker: ts.TypeChecker): TypeOracle {
  const classify = (type: ts.Type, depth: number): NodeValueKind | null => {
    if (type.flags & (ts.TypeFlags.Any | ts.TypeFlags.Unknown)) return null;
    if (type.isUnion()) {
      const kinds = type.types.filter((t) => !(t.flags & (ts.TypeFlags.Null | ts.TypeFlags.Undefined))).map((t) => classify(t, depth));
      if (kinds.length === 0 || kinds.includes(null)) return null;
      return kinds.every((k) => k === kinds[0]) ? kinds[0]! : 'other';
    }
    const symbol = type.getSymbol() ?? type.aliasSymbol;
    for (const decl of symbol?.declarations ?? []) {
      const file = decl.getSourceFile().fileName;
      const hit = NODE_TYPES.find((t) => t.name === symbol!.getName() && t.file.test(file));
      if (hit) return hit.kind;
    }
    if (depth < 6 && type.isClassOrInterface()) {
      for (const base of checker.getBaseTypes(type)) {
        const k = classify(base, depth + 1);
        if (k && k !== 'other') return k;
      }
    }
    return 'other';
  };
  const kindOf = (expr: ts.Expression): NodeValueKind | null => {
    try {
      return classify(checker.getTypeAtLocation(expr), 0);
    } catch {
      return null;
    }
  };
  return {
    kindOf,
    nodeKindOf: (expr) => {
      const k = kindOf(expr);
      return k === 'other' ? null : k;
    },
  };
}
