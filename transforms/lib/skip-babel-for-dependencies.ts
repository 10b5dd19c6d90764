/**
 * jscodeshift loads a TypeScript transform through @babel/register with an `ignore` list that leaves
 * node_modules compiled too, so every later `require` goes through Babel: TypeScript itself (9 MB,
 * loaded by the engine) took about a minute on a cold run and left a 50 MB cache in $HOME. The
 * transform is already compiled by the time this module runs, and the engine and its dependencies
 * are plain JavaScript, so the hook is switched off before they load.
 *
 * Only acts when jscodeshift's runner already registered Babel (CommonJS, with @babel/register in
 * the module cache); under vitest, Node's ESM loader or `jscodeshift --no-babel` it does nothing.
 */
const REGISTER_ENTRY = /[\\/]@babel[\\/]register[\\/]lib[\\/]index\.c?js$/u;

interface BabelRegister {
  revert?: () => void;
}

export function skipBabelForDependencies(): boolean {
  if (typeof require !== 'function' || typeof require.cache !== 'object') return false;
  const entry = Object.keys(require.cache).find((path) => REGISTER_ENTRY.test(path));
  const register = entry === undefined ? undefined : (require.cache[entry]?.exports as BabelRegister | undefined);
  if (typeof register?.revert !== 'function') return false;
  register.revert();
  return true;
}

skipBabelForDependencies();
