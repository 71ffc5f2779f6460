/**
 * Entry point of the pre-commit hook's single-file build (dist/hook-run.cjs, written by
 * scripts/build-hook-bundle.mjs): `leakstop hook run` from one file instead of ~50 modules, which
 * node would otherwise resolve, read and compile one by one at every commit. bin/leakstop.js uses
 * it only when `isFresh()`; otherwise (no build, a stale or broken one) it runs main.ts.
 */
import { bundleEntry } from "./bundle-entry.js";

/** bin/leakstop.js calls start() only for `hook run`. */
export const { isFresh, start } = bundleEntry(
  { hook: () => import("./commands/hook.js") },
  'usage: leakstop hook install|run|accept (see "leakstop --help")',
);
