/**
 * Entry point of the scan workers' single-file build (dist/scan-worker.cjs, written by
 * scripts/build-hook-bundle.mjs): a worker thread's code from one file compiled with V8's code cache
 * instead of ~75 modules that each thread would resolve, read and compile. bin/scan-worker.js runs
 * it only when `isFresh()`; otherwise (no build, a stale or broken one) it runs scan/worker.ts.
 */
export { thisBundleIsFresh as isFresh } from "./bundle-fresh.js";

/** Runs the worker (it listens to the pool from then on). */
export function start(): Promise<unknown> {
  return import("../scan/worker.js");
}
