/**
 * Entry point of the pre-commit hook's single-file build (dist/hook-run.cjs, written by
 * scripts/build-hook-bundle.mjs): `leakstop hook run` from one file instead of ~50 modules, which
 * node would otherwise resolve, read and compile one by one at every commit. bin/leakstop.js uses
 * it only when {@link isFresh}; otherwise (no build, a stale or broken one) it runs main.ts.
 */
import { setUrlImporter, type UrlImporter } from "../lib/import-url.js";
import { type BundleInputs, bundleIsFresh } from "./bundle-fresh.js";
import { runCli } from "./run-cli.js";

/** Set by the build: [path under dist/, size, mtime ms] of every compiled file the bundle holds. */
declare const LEAKSTOP_BUNDLE_INPUTS: BundleInputs | undefined;

/**
 * True when this is the build's output and every file it was built from is unchanged (a `tsc`
 * since then makes it stale: the hook then runs the new code from dist/src, never the old copy).
 */
export function isFresh(): boolean {
  return bundleIsFresh(
    typeof LEAKSTOP_BUNDLE_INPUTS === "undefined" ? undefined : LEAKSTOP_BUNDLE_INPUTS,
    import.meta.url,
  );
}

/**
 * Runs `leakstop hook …` (bin/leakstop.js calls this only for `hook run`).
 * @param importer the launcher's import(), which this bundle (run from a vm.Script) lacks
 */
export function start(importer?: UrlImporter): Promise<void> {
  if (importer) setUrlImporter(importer);
  return runCli(
    process.argv.slice(2),
    { hook: () => import("./commands/hook.js") },
    'usage: leakstop hook install|run|accept (see "leakstop --help")',
  );
}
