#!/usr/bin/env node
// Thin launcher (CommonJS: bin/package.json says so, and node starts a CommonJS file without
// loading its ES module loader, which costs ~5 ms of every start). The compiled CLI lives in dist/
// (built by `npm ci` through the prepare script). `hook run` (every commit) and `scan` start from the
// build's single-file bundles dist/hook-run.cjs and dist/scan-run.cjs when they are there and up to
// date (src/cli/hook-main.ts, src/cli/scan-main.ts); anything else, or a missing, stale or broken
// bundle, runs dist/src.
"use strict";
const failed = (err) => {
  process.stderr.write(`leakstop: cannot start (${err && err.code ? err.code : "load error"}); run "npm ci" or "npm run build" first\n`);
  process.exit(2);
};
const [command, sub] = process.argv.slice(2);

/**
 * `leakstop --version` answered here (as dist/src/cli/run-cli.ts would): through main.js it started
 * node's ES module loader and process.stdout's stream, ~45 M instructions over a bare node's ~85 M
 * (issue 6: --version within 1.3x of `node -e 0`). The version is package.json's, as there.
 */
function printVersion() {
  const fs = require("node:fs");
  const { version } = JSON.parse(fs.readFileSync(require("node:path").join(__dirname, "../package.json"), "utf8"));
  const text = `leakstop ${version}\n`;
  try {
    fs.writeSync(1, text);
  } catch (err) {
    // A non-blocking pipe that is full: the stream waits for it. A closed one (EPIPE): nothing to say.
    if (err && err.code === "EAGAIN") process.stdout.write(text);
    else if (!err || err.code !== "EPIPE") throw err;
  }
}

/** The bundle that runs this command (`hook run`, `scan`): null when there is none or it is off. */
function bundleName() {
  if (command === "hook" && sub === "run") return process.env.LEAKSTOP_NO_HOOK_BUNDLE ? null : "hook-run";
  if (command === "scan") return process.env.LEAKSTOP_NO_SCAN_BUNDLE ? null : "scan-run";
  return null;
}

/** This command's bundle, when it has one that loads and is up to date. */
function commandBundle() {
  const name = bundleName();
  if (name === null) return null;
  try {
    const { loadBundle } = require("./load-bundle.js");
    const out = process.env.LEAKSTOP_WRITE_HOOK_CACHE;
    // The history child runs under other V8 flags, and V8 refuses a code cache made under others: there
    // the scan bundle's is dist/scan-run.HASH.cache, the one the build made in such a child (HASH names the flags).
    const { exports: bundle, writeCache } = loadBundle(require("node:path").join(__dirname, `../dist/${name}.cjs`), {
      perFlags: inHistoryChild,
    });
    // LEAKSTOP_WRITE_HOOK_CACHE=FILE (the build) writes the code cache of the bundle this run loads at exit.
    if (out) process.on("exit", () => writeCache(out));
    return bundle.isFresh() ? bundle : null;
  } catch {
    return null;
  }
}

/**
 * `scan --history` reads gigabytes of blobs for a minute, and node's peak RSS is then largely
 * memory it no longer uses: glibc's malloc raises its mmap threshold each time a big buffer is
 * freed and then keeps freed memory in its heaps, and each thread's young generation grows to
 * 16 MB semi-spaces (the main thread only lists the history). Both are set before node starts, so
 * such a scan runs in a child node that has them (BENCHMARKS.md, `edges`: node's peak 265 -> ~225 MB);
 * its git processes get the environment the user gave. V8 sizes the main thread's young generation
 * from --max-semi-space-size when it starts, and the child then sets the flag back to V8's default
 * (0): V8 takes a code cache (node's built-ins', the bundles') only under the flags it was made with,
 * and with the flag kept every built-in the child and its worker threads loaded compiled from source
 * (an axios history: ~200 of them; the workers' young generation is set by resourceLimits). A signal
 * sent to this process is passed on to the child, and this one then ends as the child did. Returns
 * whether the child was started.
 * (src/scan/history-child.ts gives the Action's, org-scan's and the scheduler's history scans a child
 * node with the same settings.)
 */
const HISTORY_CHILD = "LEAKSTOP_HISTORY_CHILD";
/** This process is the child runHistoryChild started. */
let inHistoryChild = false;
const MALLOC_SETTINGS = { MALLOC_MMAP_THRESHOLD_: "131072", MALLOC_TRIM_THRESHOLD_: "131072" };
const FORWARDED_SIGNALS = ["SIGINT", "SIGTERM", "SIGHUP"];
function runHistoryChild() {
  const set = process.env[HISTORY_CHILD];
  if (set !== undefined) {
    inHistoryChild = true;
    require("node:v8").setFlagsFromString("--max-semi-space-size=0");
    for (const name of set.split(",")) if (name) delete process.env[name];
    delete process.env[HISTORY_CHILD];
    return false;
  }
  if (command !== "scan" || !process.argv.includes("--history") || process.platform !== "linux") return false;
  const env = { ...process.env };
  const added = Object.keys(MALLOC_SETTINGS).filter((name) => env[name] === undefined);
  for (const name of added) env[name] = MALLOC_SETTINGS[name];
  env[HISTORY_CHILD] = added.join(",");
  const args = ["--max-semi-space-size=2", ...process.execArgv, __filename, ...process.argv.slice(2)];
  const child = require("node:child_process").spawn(process.execPath, args, { stdio: "inherit", env });
  // Ctrl-C reaches both (same process group); `kill PID` or a CI runner's timeout reaches only this one.
  const forward = (signal) => child.kill(signal);
  for (const signal of FORWARDED_SIGNALS) process.on(signal, forward);
  child.on("error", failed);
  child.on("exit", (code, signal) => {
    for (const name of FORWARDED_SIGNALS) process.off(name, forward);
    // Ends as the child did: by its signal where that kills this process (node ignores SIGPIPE), else 128 + N.
    process.exitCode = code ?? 128 + (require("node:os").constants.signals[signal] ?? 0);
    if (signal) process.kill(process.pid, signal);
  });
  return true;
}

if (runHistoryChild()) {
  // The child does the work.
} else if (command === "--version" || command === "-V") {
  try {
    printVersion();
  } catch (err) {
    process.stderr.write(`leakstop: cannot print the version (${err && err.code ? err.code : "load error"})\n`);
    process.exitCode = 2;
  }
} else {
  const bundle = commandBundle();
  (bundle ? bundle.start((url) => import(url)) : import("../dist/src/cli/main.js")).catch(failed);
}
