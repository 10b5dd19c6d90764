export * from './site.js';
export * from './engine.js';
export * from './edits.js';
export * from './files.js';
export * from './report/index.js';
export * from './encoding.js';
export * from './source-file.js';
export * from './walk.js';
