#!/usr/bin/env node
// A committed shim: npm links workspace bins before `prepare` builds dist/, so the bin must exist in git.
import '../dist/bin.js';
