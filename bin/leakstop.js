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

/**
 * Loads a bundle as require() would, but compiled with V8's code cache (dist/NAME.cache beside
 * dist/NAME.cjs, written by the build: scripts/build-hook-bundle.mjs): node 20's require() cannot
 * use one, and compiling the bundle's functions is a tenth of the hook's work. V8 checks only a cache's versions,
 * flags and the source's length, and a damaged cache can crash node or run wrong constants, so the
 * cache's first line names the bundle (size, mtime) and the CRC-32 of the rest; anything else, a
 * node without zlib.crc32, or a cache V8 rejects, compiles from source.
 * LEAKSTOP_WRITE_HOOK_CACHE=FILE writes the cache of the bundle this run loads at exit.
 */
function loadBundle(file) {
  const vm = require("node:vm");
  const fs = require("node:fs");
  const path = require("node:path");
  const { crc32 } = require("node:zlib");
  const fd = fs.openSync(file, "r");
  let source;
  let tag;
  try {
    const st = fs.fstatSync(fd);
    tag = `leakstop-hook-cache ${st.size} ${st.mtimeMs} `;
    source = fs.readFileSync(fd, "utf8");
  } finally {
    fs.closeSync(fd);
  }
  let cachedData;
  try {
    const c = fs.readFileSync(file.replace(/\.cjs$/, ".cache"));
    const eol = c.indexOf(10);
    if (typeof crc32 === "function" && eol > 0 && c.toString("latin1", 0, tag.length) === tag) {
      const data = c.subarray(eol + 1);
      if (c.toString("latin1", tag.length, eol) === String(crc32(data))) cachedData = data;
    }
  } catch {
    // No cache: compiled from source.
  }
  const wrapped = `(function (exports, require, module, __filename, __dirname) {${source}\n})`;
  // No import() in it (node 20 offers none to a cached script): start() is given the launcher's.
  const script = new vm.Script(wrapped, { filename: file, cachedData });
  const out = process.env.LEAKSTOP_WRITE_HOOK_CACHE;
  if (out && typeof crc32 === "function")
    process.on("exit", () => {
      const data = script.createCachedData();
      fs.writeFileSync(out, Buffer.concat([Buffer.from(`${tag}${crc32(data)}\n`, "latin1"), data]));
    });
  const mod = { exports: {} };
  const req = require("node:module").createRequire(file);
  script.runInThisContext().call(mod.exports, mod.exports, req, mod, file, path.dirname(file));
  return mod.exports;
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
    const bundle = loadBundle(require("node:path").join(__dirname, `../dist/${name}.cjs`));
    return bundle.isFresh() ? bundle : null;
  } catch {
    return null;
  }
}

if (command === "--version" || command === "-V") {
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
