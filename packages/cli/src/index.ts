export { main, buildProgram, type MainDeps } from './main.js';
export { EXIT, UsageError, type CliIo, type OutStream } from './io.js';
export { loadConfig, validateConfig, configSchema, type FileConfig } from './config.js';
export { renderText } from './format/text.js';
export { renderJson } from './format/json.js';
export { renderMarkdown } from './format/markdown.js';
export { renderHtml } from './format/html.js';
export { renderSarif, SARIF_RULES } from './format/sarif.js';
export { newFindings, fingerprint, type BaselineFinding } from './baseline.js';
