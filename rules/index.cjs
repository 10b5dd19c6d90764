// The CommonJS entry: `require('eslint-plugin-keepalive')` in an eslint.config.js gives the plugin
// itself (rules, configs), not an ES module namespace. Node >= 20.19 requires the ES module below.
'use strict';
module.exports = require('./dist/index.js').default;
