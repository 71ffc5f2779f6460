/**
 * Whether a single-file build (dist/hook-run.cjs, dist/scan-run.cjs: scripts/build-hook-bundle.mjs)
 * may run: it is the build's output and every compiled file it was built from is unchanged. A `tsc`
 * since then makes it stale, and the command then runs the new code from dist/src, never the old copy.
 * An install from npm's tarball (every mtime npm's fixed one) keeps it fresh: lib/npm-packed.ts.
 */
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { sameMtime } from "../lib/npm-packed.js";
import { sizeMtime } from "../lib/size-mtime.js";

/** [path under dist/, size, mtime ms] of each compiled file a bundle holds (set by the build). */
export type BundleInputs = [string, number, number][];

/**
 * @param inputs the bundle's records, undefined outside a bundle (dist/src is never "fresh")
 * @param distUrl a URL inside dist/ whose parent's parent is dist/ (a module of dist/src/cli)
 */
export function bundleIsFresh(inputs: BundleInputs | undefined, distUrl: string): boolean {
  if (inputs === undefined) return false;
  const dist = fileURLToPath(new URL("../../", distUrl));
  try {
    return inputs.every(([rel, size, mtimeMs]) => {
      const [actualSize, actualMtimeMs] = sizeMtime(join(dist, rel));
      return actualSize === size && sameMtime(actualMtimeMs, mtimeMs);
    });
  } catch {
    return false;
  }
}

/** Set by the build in each bundle: [path under dist/, size, mtime ms] of every compiled file it holds. */
declare const LEAKSTOP_BUNDLE_INPUTS: BundleInputs | undefined;

/** Whether the single-file build running this code may run (never outside one: dist/src is not "fresh"). */
export function thisBundleIsFresh(): boolean {
  return bundleIsFresh(
    typeof LEAKSTOP_BUNDLE_INPUTS === "undefined" ? undefined : LEAKSTOP_BUNDLE_INPUTS,
    import.meta.url,
  );
}
