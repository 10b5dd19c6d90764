import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { DEFAULT_OPTIONS, readSourceFileSync } from '@ka-codemod/core';
import { tsEngine } from '../src/engine.js';
import { analyzeSources } from '../src/run.js';

const SRC = fileURLToPath(new URL('../src/', import.meta.url));

/** The modules engine.ts loads when it is imported: static imports of values, followed (type-only imports and `import()` left out). */
function staticGraph(entry: string): Set<string> {
  const seen = new Set<string>();
  const pending = [entry];
  while (pending.length > 0) {
    const file = pending.pop()!;
    if (seen.has(file)) continue;
    seen.add(file);
    const text = readFileSync(path.join(SRC, file), 'utf8');
    for (const m of text.matchAll(/^(?:import|export)\s+(?!type\b)[^;]*?from\s+'([^']+)'/gms)) {
      const spec = m[1]!;
      if (spec.startsWith('./')) pending.push(spec.slice(2).replace(/\.js$/, '.ts'));
      else seen.add(spec);
    }
  }
  return seen;
}

describe('the project-mode entry', () => {
  it('does not load TypeScript when imported: the analysis (run.ts) comes in with import() once a file is worth parsing', () => {
    const graph = staticGraph('engine.ts');
    expect(graph.has('run.ts')).toBe(false);
    expect(graph.has('typescript.ts')).toBe(false);
    expect(graph.has('typescript')).toBe(false);
  });

  it('answers a tree without socket code as the full analysis does', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'ka-ts-lazy-'));
    try {
      const files = ['a.ts', 'b.js', 'c.d.ts'].map((name) => path.join(dir, name));
      writeFileSync(files[0]!, 'export const x = 1;\n');
      writeFileSync(files[1]!, 'module.exports = function add(a, b) { return a + b; };\n');
      writeFileSync(files[2]!, "import net from 'node:net';\nexport declare const s: net.Socket;\n");
      const request = { root: dir, files, options: DEFAULT_OPTIONS };
      const sources = files.map((f) => ({ path: f, relFile: path.basename(f), text: readSourceFileSync(f, dir).ok ? readFileSync(f, 'utf8') : '' }));
      const full = analyzeSources(sources, DEFAULT_OPTIONS, {}, true);
      const planned = await tsEngine.plan(request);
      expect(planned.sites).toEqual(full.sites);
      expect(planned.problems).toEqual(full.problems);
      expect(planned.files).toEqual([]);
      expect(planned.stats).toMatchObject({ filesParsed: 0, sites: 0 });
      expect((await tsEngine.analyze(request)).sites).toEqual([]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
