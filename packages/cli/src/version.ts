import { readFileSync } from 'node:fs';

/** The CLI package's own version: the same from src/ (tests) and dist/ (the binary). */
export function cliVersion(): string {
  const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string };
  return pkg.version;
}
