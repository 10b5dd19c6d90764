/**
 * What a file is before it is parsed: a declaration file and a minified bundle are not source
 * code a socket site can be fixed in, so the engine never parses them (both faces: CLI and the
 * single-file path of ESLint and jscodeshift).
 */

/**
 * `.d.ts`, `.d.mts`, `.d.cts` and `.d.<ext>.ts` (TypeScript 5's declaration files for arbitrary
 * extensions): types only, no statements run, so no socket is ever created there.
 */
export function isDeclarationFile(fileName: string): boolean {
  return /\.d\.(?:[cm]?ts|[^./\\]+\.ts)$/i.test(fileName);
}

/**
 * Lines of minified code average thousands of characters (a minifier writes a whole module per
 * line); hand-written and compiled (tsc, babel) code stays under a few hundred even with long data
 * lines. Measured on the JS corpora and the npm CLI: the longest non-minified average is 518
 * (emscripten output), the shortest minified one 1,714.
 */
export const MINIFIED_AVERAGE_LINE = 1000;

/** A last-line source-map comment (often a whole inline map) is not code: compiled output keeps one. */
const SOURCE_MAP_COMMENT = /^\/\/[#@] source(?:Mapping)?URL=/u;

/**
 * The average line length when the text is minified build output, else null. A minified file's
 * sites are copies of sites in the sources it was built from, and a rewrite there would be undone
 * by the next build: it is reported, not analysed (and not parsed: minified code is the slowest to parse).
 */
export function minifiedLineLength(text: string): number | null {
  // Cheap exit first: a text shorter than one minified line cannot average one.
  if (text.length <= MINIFIED_AVERAGE_LINE) return null;
  let code = text.trimEnd();
  const lastLine = code.lastIndexOf('\n') + 1;
  if (SOURCE_MAP_COMMENT.test(code.slice(lastLine, lastLine + 24))) code = code.slice(0, lastLine);
  let lines = 1;
  for (let i = code.indexOf('\n'); i !== -1; i = code.indexOf('\n', i + 1)) lines++;
  const average = code.length / lines;
  return average > MINIFIED_AVERAGE_LINE ? Math.round(average) : null;
}
