// Loads the build's single-file bundles (dist/NAME.cjs) with V8's code cache: for bin/leakstop.js
// (hook run, scan) and bin/scan-worker.js (the scan's worker threads).
"use strict";

/** npm's fixed mtime for every file of a package tarball (as src/lib/npm-packed.ts). */
const NPM_PACKED_MTIME_MS = Date.UTC(1985, 9, 26, 8, 15, 0);

/**
 * Where V8 (node 20's V8 11) keeps, in a code cache's header, the hash of the V8 flags it was made
 * under: the fourth 32-bit word. V8 takes a cache only when that hash is its own, and its flags are
 * the process's: the command line's (the history child's --max-semi-space-size=2) and any set at
 * run time (the scan's interrupt budget, scan/tiering.ts).
 */
const FLAG_HASH_OFFSET = 12;

/** The hash of the V8 flags a code cache was made under, as 8 hex digits (null when it is too short). */
function flagHashOf(data) {
  return data.length >= FLAG_HASH_OFFSET + 4 ? data.readUInt32LE(FLAG_HASH_OFFSET).toString(16).padStart(8, "0") : null;
}

/**
 * The hash of the V8 flags in effect now, read from the code cache of a one-token script (~0.5 ms
 * in a new thread; node has no other way to ask). Flags can change while a process runs: asked each time.
 */
function v8FlagHash() {
  return flagHashOf(new (require("node:vm").Script)("0").createCachedData());
}

/**
 * The code cache file of bundle `file` (dist/NAME.cjs): dist/NAME.cache, or with `perFlags`
 * dist/NAME.HASH.cache, made under the V8 flags whose hash is HASH (the build writes one for each set
 * of flags the bundle runs under, named by flagHashOf its data): a thread then takes the one made under
 * its own flags, if any.
 */
function cacheFileOf(file, perFlags) {
  const hash = perFlags ? v8FlagHash() : null;
  return file.replace(/\.cjs$/, hash ? `.${hash}.cache` : ".cache");
}

/**
 * Loads a bundle as require() would, but compiled with V8's code cache (dist/NAME.cache beside
 * dist/NAME.cjs, written by the build: scripts/build-hook-bundle.mjs): node 20's require() cannot
 * use one, and compiling the bundle's functions is a tenth of the hook's work. V8 checks only a cache's versions,
 * flags and the source's length, and a damaged cache can crash node or run wrong constants, so the
 * cache's first line names the bundle (size, mtime) and the CRC-32 of the rest (an install from npm's
 * tarball gives every file npm's fixed mtime, which stands for the build's: src/lib/npm-packed.ts); anything else, a
 * node without zlib.crc32, or a cache V8 rejects, compiles from source.
 * @param options.perFlags take dist/NAME.HASH.cache, the one made under the V8 flags in effect now
 *   (cacheFileOf), instead of dist/NAME.cache
 * @returns the bundle's exports; `writeCache(FILE, flag)`: writes the cache of what V8 has compiled of
 *   it so far (`flag` as fs.writeFileSync's: "wx" leaves a FILE that another thread wrote first); and
 *   `cache`: "taken", "rejected" (by V8) or "none" (no cache file of this bundle, or not a sound one)
 */
function loadBundle(file, options = {}) {
  const vm = require("node:vm");
  const fs = require("node:fs");
  const path = require("node:path");
  const { crc32 } = require("node:zlib");
  const fd = fs.openSync(file, "r");
  let source;
  let tag;
  let packed;
  try {
    const st = fs.fstatSync(fd);
    tag = `leakstop-hook-cache ${st.size} ${st.mtimeMs} `;
    packed = st.mtimeMs === NPM_PACKED_MTIME_MS ? `leakstop-hook-cache ${st.size} ` : null;
    source = fs.readFileSync(fd, "utf8");
  } finally {
    fs.closeSync(fd);
  }
  let cachedData;
  try {
    const c = fs.readFileSync(cacheFileOf(file, options.perFlags === true));
    const eol = c.indexOf(10);
    const head = eol > 0 ? c.toString("latin1", 0, eol) : "";
    // "leakstop-hook-cache SIZE MTIME CRC": this bundle's size and mtime (any mtime in a packed install).
    const ours = head.startsWith(tag) || (packed !== null && head.startsWith(packed) && /^\d+(\.\d+)? \d+$/.test(head.slice(packed.length)));
    if (typeof crc32 === "function" && ours) {
      const data = c.subarray(eol + 1);
      if (head.slice(head.lastIndexOf(" ") + 1) === String(crc32(data))) cachedData = data;
    }
  } catch {
    // No cache: compiled from source.
  }
  const wrapped = `(function (exports, require, module, __filename, __dirname) {${source}\n})`;
  // No import() in it (node 20 offers none to a cached script): start() is given the launcher's.
  const script = new vm.Script(wrapped, { filename: file, cachedData });
  const writeCache = (out, flag = "w") => {
    if (typeof crc32 !== "function") return;
    const data = script.createCachedData();
    try {
      fs.writeFileSync(out, Buffer.concat([Buffer.from(`${tag}${crc32(data)}\n`, "latin1"), data]), { flag });
    } catch (err) {
      if (!err || err.code !== "EEXIST") throw err;
    }
  };
  const mod = { exports: {} };
  const req = require("node:module").createRequire(file);
  script.runInThisContext().call(mod.exports, mod.exports, req, mod, file, path.dirname(file));
  const cache = cachedData === undefined ? "none" : script.cachedDataRejected ? "rejected" : "taken";
  return { exports: mod.exports, writeCache, cache };
}

module.exports = { loadBundle, flagHashOf };
