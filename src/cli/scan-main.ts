/**
 * Entry point of `leakstop scan`'s single-file build (dist/scan-run.cjs, written by
 * scripts/build-hook-bundle.mjs next to the hook's): the scan command from one file compiled with
 * V8's code cache instead of ~130 modules that node would resolve, read and compile one by one
 * (for a small tree that is a large part of the scan). bin/leakstop.js uses it only when
 * {@link isFresh}; otherwise (no build, a stale or broken one) it runs main.ts. The pipeline that
 * `--report` loads is imported by URL (commands/scan.ts), so the bundle never holds it.
 */
import { setUrlImporter, type UrlImporter } from "../lib/import-url.js";
import { type BundleInputs, bundleIsFresh } from "./bundle-fresh.js";
import { runCli } from "./run-cli.js";

/** Set by the build: [path under dist/, size, mtime ms] of every compiled file the bundle holds. */
declare const LEAKSTOP_BUNDLE_INPUTS: BundleInputs | undefined;

/** True when this is the build's output and every file it was built from is unchanged. */
export function isFresh(): boolean {
  return bundleIsFresh(
    typeof LEAKSTOP_BUNDLE_INPUTS === "undefined" ? undefined : LEAKSTOP_BUNDLE_INPUTS,
    import.meta.url,
  );
}

/**
 * Runs `leakstop scan …` (bin/leakstop.js calls this only for `scan`).
 * @param importer the launcher's import(), which this bundle (run from a vm.Script) lacks
 */
export function start(importer?: UrlImporter): Promise<void> {
  if (importer) setUrlImporter(importer);
  return runCli(
    process.argv.slice(2),
    { scan: () => import("./commands/scan.js") },
    'usage: leakstop scan [PATH] [options] (see "leakstop --help")',
  );
}
