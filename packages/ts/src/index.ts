// Engine entry point: exports an `Engine` (see @ka-codemod/core) and the engine's pure helpers.
export {};
