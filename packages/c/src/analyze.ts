/**
 * The C analysis: read every candidate file as bytes, keep only the files that can matter (a text
 * prefilter on the socket calls, the project macros that expand to them and, round by round, the
 * project functions that carry sockets), parse those, extract their facts, drop the trees, and
 * decide the whole project at once.
 */
import { readFile } from 'node:fs/promises';
import type { AnalyzeRequest, FileProblem } from '@ka-codemod/core';
import { relativePath } from '@ka-codemod/core';
import { SEED_WORDS } from './api.js';
import type { CAnalysis } from './contract.js';
import type { FileFacts } from './facts.js';
import { buildMacroTable, scanDefines, type MacroTable } from './macros.js';
import { decideProject } from './project.js';
import { relevantFunctions } from './relevance.js';
import { parseFiles } from './parse-pool.js';

interface SourceFile {
  path: string;
  text: string;
}

export async function analyzeC(request: AnalyzeRequest): Promise<CAnalysis> {
  const started = Date.now();
  const problems: FileProblem[] = [];
  const sources: SourceFile[] = [];
  let bytesRead = 0;
  await forEachLimited(request.files, 16, async (file) => {
    try {
      const bytes = await readFile(file);
      bytesRead += bytes.length;
      sources.push({ path: file, text: bytes.toString('latin1') });
    } catch (error) {
      problems.push({ file: relativePath(request.root, file), kind: 'unreadable', message: `cannot read: ${(error as Error).message}` });
    }
  });
  sources.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));

  const macros = buildMacroTable(sources.flatMap((s) => scanDefines(s.text)));
  const facts: FileFacts[] = [];
  const parsed = new Set<string>();
  let words = [...SEED_WORDS, ...macros.aliases.keys()];
  const knownWords = new Set(words);
  for (let round = 0; words.length > 0 && round < 50; round++) {
    const pattern = prefilterPattern(words);
    const batch = sources.filter((s) => !parsed.has(s.path) && pattern.test(s.text));
    for (const s of batch) parsed.add(s.path);
    facts.push(...(await parseFiles(batch, macros, request.jobs ?? 1)));
    words = relevantFunctions(facts).filter((name) => !knownWords.has(name));
    for (const w of words) knownWords.add(w);
  }
  for (const f of facts) for (const p of f.problems) problems.push({ ...p, file: relativePath(request.root, f.path) });

  const decision = decideProject(facts, request.root);
  for (const helper of decision.keepaliveHelpers) helper.declaredIn = declaringHeaders(helper.name, helper.definedIn, sources);
  decision.sites.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : a.line - b.line || a.column - b.column));
  problems.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0));
  return {
    result: {
      sites: decision.sites,
      problems,
      stats: {
        filesRead: sources.length,
        bytesRead,
        filesParsed: parsed.size,
        macroAliases: macros.aliases.size,
        sites: decision.sites.length,
        ms: Date.now() - started,
      },
    },
    targets: decision.targets,
    keepaliveHelpers: decision.keepaliveHelpers,
  };
}

/**
 * A file can hold a site or a keepalive fact only if it calls one of these names (or names
 * SO_KEEPALIVE): sound for direct calls and macro invocations.
 */
export function prefilterPattern(words: readonly string[]): RegExp {
  const calls = words.filter((w) => w !== 'SO_KEEPALIVE').map(escape);
  const parts = [];
  if (calls.length > 0) parts.push(`\\b(?:${calls.join('|')})\\s*\\(`);
  if (words.includes('SO_KEEPALIVE')) parts.push('\\bSO_KEEPALIVE\\b');
  return new RegExp(parts.join('|'));
}

function escape(word: string): string {
  return word.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Headers that declare a helper, so a call from another file can include one. */
function declaringHeaders(name: string, definedIn: string, sources: readonly SourceFile[]): string[] {
  const declaration = new RegExp(`\\b${escape(name)}\\s*\\([^;{]*\\)\\s*;`);
  return sources.filter((s) => s.path !== definedIn && s.path.endsWith('.h') && declaration.test(s.text)).map((s) => s.path);
}

async function forEachLimited<T>(items: readonly T[], limit: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const workers = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) await fn(items[next++]!);
  });
  await Promise.all(workers);
}

export type { MacroTable };
