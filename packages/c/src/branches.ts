/**
 * Views of a file with `#if` branches chosen, for code tree-sitter cannot parse with every branch
 * present (`#ifdef WIN32  if (a) {  #else  if (b) {  #endif`): blanked lines become spaces, so
 * every byte offset stays what it is in the file.
 * - `all`: every branch kept, only the directive lines blanked;
 * - `first`: the first branch of each group kept (what a preprocessor taking it would see);
 * - `rest`: the other branches kept instead, for the code only they hold;
 * - `restFirst`: the other branches of the outer groups, and inside them the first branch of each
 *   nested group (`#elif defined(BSD) ... #if defined(SOLARIS) socket(...) #else ... #endif`), which
 *   neither `first` nor `rest` shows.
 * With `level` n (for `rest` and `restFirst`), the groups with an alternative around a line take their
 * first branch down to the n-th, which shows its other branches, and the groups inside it then as
 * above: code in the `#else` of a group that itself sits in the first branch of an outer
 * `#if !defined(_WIN32) ... #else ... #endif` is level 1. A level deeper than every group is `first`.
 */
export type BranchView = 'all' | 'first' | 'rest' | 'restFirst';

const DIRECTIVE = /^[ \t]*#[ \t]*(if|ifdef|ifndef|elif|else|endif)\b/;

export function branchView(text: string, view: BranchView, level = 0): string {
  const { lines, kinds, hasAlternative } = directivesOf(text);
  const stack: Array<{ start: number; branch: number }> = [];
  const out = new Array<string>(lines.length);
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    const d = kinds[i];
    if (d) {
      if (d === 'if' || d === 'ifdef' || d === 'ifndef') stack.push({ start: i, branch: 0 });
      else if ((d === 'else' || d === 'elif') && stack.length > 0) stack.at(-1)!.branch++;
      else if (d === 'endif') stack.pop();
      out[i] = blank(line);
      continue;
    }
    if (view === 'all') {
      out[i] = line;
      continue;
    }
    const hidden =
      view === 'first' ? stack.some((g) => g.branch > 0) : hiddenFromLevel(stack, hasAlternative, level, view === 'restFirst' ? 'first' : 'rest');
    out[i] = hidden ? blank(line) : line;
  }
  return out.join('\n');
}

/** A file's lines, the directive each opens with, and which #if groups have an #else/#elif. */
interface Directives {
  lines: string[];
  kinds: Array<string | undefined>;
  hasAlternative: Map<number, boolean>;
}

/** The views of one file are asked for one after the other: its directives are found once. */
let lastDirectives: { text: string; directives: Directives } | null = null;

function directivesOf(text: string): Directives {
  if (lastDirectives?.text === text) return lastDirectives.directives;
  const lines = text.split('\n');
  const kinds = lines.map((line) => DIRECTIVE.exec(line)?.[1]);
  const hasAlternative = new Map<number, boolean>();
  const open: number[] = [];
  kinds.forEach((d, i) => {
    if (!d) return;
    if (d === 'if' || d === 'ifdef' || d === 'ifndef') {
      open.push(i);
      hasAlternative.set(i, false);
    } else if ((d === 'else' || d === 'elif') && open.length > 0) hasAlternative.set(open.at(-1)!, true);
    else if (d === 'endif') open.pop();
  });
  const directives = { lines, kinds, hasAlternative };
  lastDirectives = { text, directives };
  return directives;
}

/** A line as spaces (carriage returns kept): every offset stays what it is. */
function blank(line: string): string {
  return line.includes('\r') ? line.replace(/[^\r]/g, ' ') : ' '.repeat(line.length);
}

/**
 * The groups with an alternative around a line take their first branch until the `level`-th, which
 * shows its other branches; the groups inside those show their `nested` branches.
 */
function hiddenFromLevel(
  stack: ReadonlyArray<{ start: number; branch: number }>,
  hasAlternative: ReadonlyMap<number, boolean>,
  level: number,
  nested: 'first' | 'rest',
): boolean {
  let inRest = false;
  let seen = 0;
  for (const g of stack) {
    if (hasAlternative.get(g.start) !== true) continue;
    if (inRest) {
      if (nested === 'first' ? g.branch > 0 : g.branch === 0) return true;
    } else if (seen === level) {
      if (g.branch === 0) return true;
      inRest = true;
    } else {
      if (g.branch > 0) return true;
      seen++;
    }
  }
  return false;
}

/**
 * What a build reaching one line sees: the branch that line sits in for each group around it, and
 * the first branch of every other group. For code no level view shows (an `#else` inside a first
 * branch inside an `#else`: first, other, first, other).
 */
export function pathView(text: string, target: number): string {
  const lines = text.split('\n');
  const own = new Map<number, number>();
  const stack: Array<{ start: number; branch: number }> = [];
  const step = (line: string, i: number): boolean => {
    const d = DIRECTIVE.exec(line)?.[1];
    if (!d) return false;
    if (d === 'if' || d === 'ifdef' || d === 'ifndef') stack.push({ start: i, branch: 0 });
    else if ((d === 'else' || d === 'elif') && stack.length > 0) stack.at(-1)!.branch++;
    else if (d === 'endif') stack.pop();
    return true;
  };
  for (let i = 0; i <= target && i < lines.length; i++) step(lines[i]!, i);
  for (const g of stack) own.set(g.start, g.branch);
  stack.length = 0;
  return lines
    .map((line, i) => {
      if (step(line, i)) return blank(line);
      const hidden = stack.some((g) => (own.has(g.start) ? g.branch !== own.get(g.start) : g.branch > 0));
      return hidden ? blank(line) : line;
    })
    .join('\n');
}
