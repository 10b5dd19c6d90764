/**
 * The engine's first text test, free of TypeScript: the project-mode face (engine.ts) asks it
 * before it loads the compiler, so a tree whose files mention no socket module, keepalive or
 * listener never loads TypeScript's 9 MB (most of a small audit's time).
 */

/** Mentions a socket module by name: `'net'`, `"node:tls"`, `'http'`, `'https'`. */
export function mentionsSocketModule(text: string): boolean {
  return /['"](?:node:)?(?:net|tls|https?)['"]/.test(text);
}

/** Worth parsing: mentions a socket module, keepalive, 'error'/'connection' listeners (helpers in other files). */
export function worthParsing(text: string): boolean {
  return mentionsSocketModule(text) || /setKeepAlive|['"](?:error|connection)['"]/.test(text);
}
