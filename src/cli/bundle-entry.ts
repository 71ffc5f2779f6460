/**
 * What the entry points of the single-file builds (hook-main.ts for `hook run`, scan-main.ts for
 * `scan`: dist/hook-run.cjs and dist/scan-run.cjs, written by scripts/build-hook-bundle.mjs) share:
 * the freshness check bin/leakstop.js asks before using one, and the start that runs the command.
 */
import { setUrlImporter, type UrlImporter } from "../lib/import-url.js";
import { thisBundleIsFresh } from "./bundle-fresh.js";
import { type CommandTable, runCli } from "./run-cli.js";

export interface BundleEntry {
  /**
   * True when this is the build's output and every file it was built from is unchanged (a `tsc`
   * since then makes it stale: the command then runs the new code from dist/src, never the old copy).
   */
  isFresh(): boolean;
  /**
   * Runs the command line (bin/leakstop.js calls this only for the bundle's own command).
   * @param importer the launcher's import(), which a bundle (run from a vm.Script) lacks
   */
  start(importer?: UrlImporter): Promise<void>;
}

/** The entry point of a bundle that runs `commands` (one, lazily imported), with `usage` for bad input. */
export function bundleEntry(commands: CommandTable, usage: string): BundleEntry {
  return {
    isFresh: thisBundleIsFresh,
    start(importer) {
      if (importer) setUrlImporter(importer);
      return runCli(process.argv.slice(2), commands, usage);
    },
  };
}
