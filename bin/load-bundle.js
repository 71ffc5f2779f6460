// Loads the build's single-file bundles (dist/NAME.cjs) with V8's code cache: for bin/leakstop.js
// (hook run, scan) and bin/scan-worker.js (the scan's worker threads).
"use strict";

/** npm's fixed mtime for every file of a package tarball (as src/lib/npm-packed.ts). */
const NPM_PACKED_MTIME_MS = Date.UTC(1985, 9, 26, 8, 15, 0);

/**
 * Loads a bundle as require() would, but compiled with V8's code cache (dist/NAME.cache beside
 * dist/NAME.cjs, written by the build: scripts/build-hook-bundle.mjs): node 20's require() cannot
 * use one, and compiling the bundle's functions is a tenth of the hook's work. V8 checks only a cache's versions,
 * flags and the source's length, and a damaged cache can crash node or run wrong constants, so the
 * cache's first line names the bundle (size, mtime) and the CRC-32 of the rest (an install from npm's
 * tarball gives every file npm's fixed mtime, which stands for the build's: src/lib/npm-packed.ts); anything else, a
 * node without zlib.crc32, or a cache V8 rejects, compiles from source.
 * @returns the bundle's exports, and `writeCache(FILE, flag)`: writes the cache of what V8 has compiled of
 *   it so far (`flag` as fs.writeFileSync's: "wx" leaves a FILE that another thread wrote first)
 */
function loadBundle(file) {
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
    const c = fs.readFileSync(file.replace(/\.cjs$/, ".cache"));
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
  return { exports: mod.exports, writeCache };
}

module.exports = { loadBundle };
