#!/usr/bin/env node
// A committed shim: npm links workspace bins before `prepare` builds, so the bin must exist in git.
// It runs the bundle (scripts/bundle-cli.mjs: one file loads faster than the ~60 modules of dist/).
import '../bundle/ka-codemod.js';
