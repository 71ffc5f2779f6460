#!/usr/bin/env node
// Thin launcher: the compiled CLI lives in dist/ (built by `npm ci` through the prepare script).
// `hook run` (every commit) starts from the build's single-file bundle when it is there and up to
// date (src/cli/hook-main.ts); anything else, or a missing, stale or broken bundle, runs dist/src.
const failed = (err) => {
  process.stderr.write(`leakstop: cannot start (${err && err.code ? err.code : "load error"}); run "npm ci" or "npm run build" first\n`);
  process.exit(2);
};
const main = () => import("../dist/src/cli/main.js");
const [command, sub] = process.argv.slice(2);
const start =
  command === "hook" && sub === "run" && !process.env.LEAKSTOP_NO_HOOK_BUNDLE
    ? import("../dist/hook-run.mjs").then((b) => (b.isFresh() ? b.start() : main()), main)
    : main();
start.catch(failed);
