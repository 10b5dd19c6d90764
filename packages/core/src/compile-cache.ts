/**
 * A V8 code cache for the large CommonJS modules a command loads: compiling TypeScript's 9 MB
 * typescript.js took 0.2-0.3 s at every start of an audit with JS files, most of a one-file audit;
 * from the cache it takes a few milliseconds. The CLI turns it on (enableCompileCache); a library
 * (the ESLint plugin, the jscodeshift transform) never does, so requireCompiled is a plain require there.
 *
 * Node 22.1 and later cache every module themselves (module.enableCompileCache, in Node's default
 * directory). Before that, requireCompiled keeps one cache file per module in a directory of the
 * user's own (mode 700, owned by the user, else no cache) under the OS temp directory, written
 * atomically when the process exits, and rewritten when V8 rejects it (another Node, other flags).
 * NODE_DISABLE_COMPILE_CACHE=1 turns both off, as it does Node's own.
 */
import { lstatSync, mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import Module, { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import vm from 'node:vm';

let cacheDir: string | null = null;
const unsaved = new Map<string, vm.Script>();

/**
 * Turns the cache on for this process. With `dir`, the module-by-module cache there, whatever the
 * Node version (tests); without, Node's own where it has one, else the per-user temp directory.
 */
export function enableCompileCache(dir?: string): void {
  if (process.env['NODE_DISABLE_COMPILE_CACHE']) return;
  const builtIn = (Module as unknown as { enableCompileCache?: () => unknown }).enableCompileCache;
  if (dir === undefined && typeof builtIn === 'function') {
    builtIn();
    return;
  }
  const uid = process.getuid?.();
  cacheDir = privateDirectory(dir ?? path.join(os.tmpdir(), `ka-codemod-compile-cache${uid === undefined ? '' : `-${uid}`}`), uid);
  if (cacheDir) process.once('exit', saveCompileCache);
}

/** The directory when it is (or can be made) a directory only this user can write, else null. */
function privateDirectory(dir: string, uid: number | undefined): string | null {
  try {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    const st = lstatSync(dir);
    if (!st.isDirectory()) return null;
    if (process.platform !== 'win32' && ((uid !== undefined && st.uid !== uid) || (st.mode & 0o077) !== 0)) return null;
    return dir;
  } catch {
    return null;
  }
}

/**
 * `require(id)`, compiled with the code cache when the cache is on: the module is registered in
 * `require.cache` as Node's loader would, so a later `require(id)` gets the same exports.
 */
export function requireCompiled(req: NodeJS.Require, id: string): unknown {
  if (cacheDir === null) return req(id);
  let file: string;
  let source: string;
  let size: number;
  let mtime: number;
  try {
    file = req.resolve(id);
    if (req.cache[file] || !file.endsWith('.js')) return req(id);
    const st = statSync(file);
    size = st.size;
    mtime = Math.round(st.mtimeMs);
    source = readFileSync(file, 'utf8');
  } catch {
    return req(id);
  }
  // One file per module version and Node (V8 also checks the source and its flags and rejects a mismatch).
  const name = `${path.basename(path.dirname(path.dirname(file)))}-${path.basename(file, '.js')}-${size}-${mtime}-${process.version}-${process.arch}.bin`;
  const cachePath = path.join(cacheDir, name);
  let cachedData: Buffer | undefined;
  try {
    cachedData = readFileSync(cachePath);
  } catch {
    cachedData = undefined;
  }
  const script = new vm.Script(Module.wrap(source), { filename: file, cachedData, importModuleDynamically: vm.constants.USE_MAIN_CONTEXT_DEFAULT_LOADER });
  const mod = new Module(file);
  mod.filename = file;
  req.cache[file] = mod;
  try {
    (script.runInThisContext() as (...args: unknown[]) => void).call(mod.exports, mod.exports, createRequire(file), mod, file, path.dirname(file));
  } catch (error) {
    delete req.cache[file];
    throw error;
  }
  mod.loaded = true;
  if (!cachedData || script.cachedDataRejected) unsaved.set(cachePath, script);
  return mod.exports;
}

/**
 * Writes the caches of the modules compiled without one (at exit, so that the functions the run
 * compiled are in them). Atomic: a rename over the old file; a failure only means no cache.
 */
export function saveCompileCache(): void {
  for (const [cachePath, script] of unsaved) {
    const temp = `${cachePath}.${process.pid}.tmp`;
    try {
      writeFileSync(temp, script.createCachedData(), { mode: 0o600 });
      renameSync(temp, cachePath);
    } catch {
      // no cache this time
    }
  }
  unsaved.clear();
}
