#!/usr/bin/env node
// Thin launcher (CommonJS: bin/package.json says so, and node starts a CommonJS file without
// loading its ES module loader, which costs ~5 ms of every start). The compiled CLI lives in dist/
// (built by `npm ci` through the prepare script). `hook run` (every commit) starts from the build's
// single-file bundle dist/hook-run.cjs when it is there and up to date (src/cli/hook-main.ts);
// anything else, or a missing, stale or broken bundle, runs dist/src.
"use strict";
const failed = (err) => {
  process.stderr.write(`leakstop: cannot start (${err && err.code ? err.code : "load error"}); run "npm ci" or "npm run build" first\n`);
  process.exit(2);
};
const [command, sub] = process.argv.slice(2);

/** The hook's bundle, when this is `hook run` and the bundle loads and is up to date. */
function hookBundle() {
  if (command !== "hook" || sub !== "run" || process.env.LEAKSTOP_NO_HOOK_BUNDLE) return null;
  try {
    const bundle = require("../dist/hook-run.cjs");
    return bundle.isFresh() ? bundle : null;
  } catch {
    return null;
  }
}

const bundle = hookBundle();
(bundle ? bundle.start() : import("../dist/src/cli/main.js")).catch(failed);
