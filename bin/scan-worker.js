// A scan worker thread's entry (src/scan/pool.ts starts it): the worker from the build's single-file
// bundle dist/scan-worker.cjs, compiled with the V8 code cache made under the thread's V8 flags
// (dist/scan-worker.HASH.cache), when it is there and up to date (src/cli/scan-worker-main.ts), instead
// of the ~60 modules of dist/src/scan/worker.js that each thread would resolve, read and compile; a
// missing, stale or broken bundle runs dist/src.
"use strict";

function workerBundle() {
  try {
    const { loadBundle } = require("./load-bundle.js");
    // The code cache made under this process's V8 flags (a tree scan's or a history child's): V8 refuses any other.
    const { exports: bundle, writeCache } = loadBundle(require("node:path").join(__dirname, "../dist/scan-worker.cjs"), {
      perFlags: true,
    });
    if (!bundle.isFresh()) return null;
    // LEAKSTOP_WRITE_WORKER_CACHE=FILE (the build): the code cache of what this thread compiled by the
    // time the pool closes it (module code and the functions its scan ran); the first thread's is kept.
    const out = process.env.LEAKSTOP_WRITE_WORKER_CACHE;
    if (out)
      require("node:worker_threads").parentPort.on("message", (m) => {
        if (m === "close") writeCache(out, "wx");
      });
    return bundle;
  } catch {
    return null;
  }
}

const bundle = workerBundle();
if (bundle) bundle.start();
else
  import("../dist/src/scan/worker.js").catch((err) => {
    // Thrown again outside the promise: the pool sees the thread's 'error' event.
    setImmediate(() => {
      throw err;
    });
  });
