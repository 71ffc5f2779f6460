#!/usr/bin/env node
// Thin launcher: the compiled CLI lives in dist/ (built by `npm ci` through the prepare script).
import("../dist/src/cli/main.js").catch((err) => {
  process.stderr.write(`leakstop: cannot start (${err && err.code ? err.code : "load error"}); run "npm ci" or "npm run build" first\n`);
  process.exit(2);
});
