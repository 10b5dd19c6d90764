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
 */
export type BranchView = 'all' | 'first' | 'rest' | 'restFirst';

const DIRECTIVE = /^[ \t]*#[ \t]*(if|ifdef|ifndef|elif|else|endif)\b/;

export function branchView(text: string, view: BranchView): string {
  const lines = text.split('\n');
  // first pass: which #if groups have an #else/#elif
  const hasAlternative = new Map<number, boolean>();
  const open: number[] = [];
  lines.forEach((line, i) => {
    const d = DIRECTIVE.exec(line)?.[1];
    if (!d) return;
    if (d === 'if' || d === 'ifdef' || d === 'ifndef') {
      open.push(i);
      hasAlternative.set(i, false);
    } else if ((d === 'else' || d === 'elif') && open.length > 0) hasAlternative.set(open.at(-1)!, true);
    else if (d === 'endif') open.pop();
  });
  const stack: Array<{ start: number; branch: number }> = [];
  const blank = (line: string) => line.replace(/[^\r]/g, ' ');
  return lines
    .map((line, i) => {
      const d = DIRECTIVE.exec(line)?.[1];
      if (d) {
        if (d === 'if' || d === 'ifdef' || d === 'ifndef') stack.push({ start: i, branch: 0 });
        else if ((d === 'else' || d === 'elif') && stack.length > 0) stack.at(-1)!.branch++;
        else if (d === 'endif') stack.pop();
        return blank(line);
      }
      if (view === 'all') return line;
      const hidden =
        view === 'restFirst'
          ? hiddenInRestFirst(stack, hasAlternative)
          : stack.some((g) => (view === 'first' ? g.branch > 0 : g.branch === 0 && hasAlternative.get(g.start) === true));
      return hidden ? blank(line) : line;
    })
    .join('\n');
}

/** Outer groups show their other branches; once inside one, nested groups show their first. */
function hiddenInRestFirst(stack: ReadonlyArray<{ start: number; branch: number }>, hasAlternative: ReadonlyMap<number, boolean>): boolean {
  let inRest = false;
  for (const g of stack) {
    if (inRest) {
      if (g.branch > 0) return true;
    } else if (g.branch > 0) inRest = true;
    else if (hasAlternative.get(g.start) === true) return true;
  }
  return false;
}
