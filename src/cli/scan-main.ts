/**
 * Entry point of `leakstop scan`'s single-file build (dist/scan-run.cjs, written by
 * scripts/build-hook-bundle.mjs next to the hook's): the scan command from one file compiled with
 * V8's code cache instead of ~130 modules that node would resolve, read and compile one by one
 * (for a small tree that is a large part of the scan). bin/leakstop.js uses it only when
 * `isFresh()`; otherwise (no build, a stale or broken one) it runs main.ts. The pipeline that
 * `--report` loads is imported by URL (commands/scan.ts), so the bundle never holds it.
 */
import { bundleEntry } from "./bundle-entry.js";

/** bin/leakstop.js calls start() only for `scan`. */
export const { isFresh, start } = bundleEntry(
  { scan: () => import("./commands/scan.js") },
  'usage: leakstop scan [PATH] [options] (see "leakstop --help")',
);
