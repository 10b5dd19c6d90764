import { resolve } from 'node:path';
import type { TSESLint } from '@typescript-eslint/utils';
import type { SiteFix } from '@ka-codemod/core';

/**
 * The engine's fix as an ESLint fixer, or undefined when ESLint cannot apply it here: a fix in another
 * file (a helper elsewhere) or in byte offsets. ESLint merges the returned non-overlapping fixes into one.
 */
export function siteFixer(fix: SiteFix | undefined, filename: string): TSESLint.ReportFixFunction | undefined {
  if (!fix || fix.unit !== 'utf16' || fix.edits.length === 0) return undefined;
  if (!samePath(fix.path, filename)) return undefined;
  const edits = [...fix.edits];
  return (fixer) => edits.map((e) => fixer.replaceTextRange([e.start, e.end], e.text));
}

function samePath(a: string, b: string): boolean {
  return resolve(a) === resolve(b);
}
