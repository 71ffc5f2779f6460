/**
 * V8 optimises a function (TurboFan) once it has run a fixed amount of bytecode, its interrupt
 * budget. In a tree scan of a few seconds that is ~70 functions per thread, many of them the walk's
 * and the reader's that run for only part of the scan, and TurboFan took ~20 % of the scan's
 * instructions (git/git). With four times the budget only the engine's hottest functions are
 * optimised (a history scan of axios: TurboFan was ~25 % of its instructions). V8's flags are the
 * process's, worker threads included, so only a scan big enough for worker threads sets it (a
 * pre-commit's few files never do); and it stays set. Only processes that end with their scan set
 * it: `leakstop scan` (trees; histories in bin/leakstop.js's child node) and, on Linux, the child
 * node that runs the Action's, org-scan's and the scheduler's history scans (history-child.ts), so a
 * long-lived server, worker or scheduler does not keep it. Kept, it would be harmless (it only
 * delays TurboFan: hot code is still optimised, and findings are the same).
 *
 * When it is set matters: it changes V8's flag hash, and V8 takes a code cache only under the
 * flags it was made with. node's own built-ins carry one made under node's defaults, so every
 * built-in a thread loads after the change compiles from source (a git/git tree scan: 133 of them,
 * the worker's whole start-up among them). A tree scan's worker therefore sets it once it has
 * started and loaded its code (scan/worker.ts, `optimiseOnlyHotCode` in its init), with node:crypto
 * loaded first (the findings' hashes need it); the main thread loads node:crypto before it hands the
 * worker its init and does not set it itself. The workers' bundle takes the code cache the build
 * made under node's defaults (dist/scan-worker.HASH.cache, one per set of flags). A pool's workers load
 * at the same time, so the last of them to load sets it (`loaded`): set by the first, the others'
 * built-ins would compile from source. History scans do the same: their child node starts with its
 * memory flag but gives it back before loading anything (bin/leakstop.js), so every thread of it loads
 * under node's defaults too.
 */
import { setFlagsFromString } from "node:v8";
import { loadHashing } from "../lib/hash.js";

/** V8's default budget (132 KiB of bytecode in node 20), four times. */
const SCAN_INTERRUPT_BUDGET = 4 * 132 * 1024;

let set = false;

/**
 * @param loaded shared by a pool's threads ([threads loaded so far, threads]): the last one sets it
 */
export function optimiseOnlyHotCode(loaded?: Int32Array): void {
  if (set) return;
  set = true;
  loadHashing();
  if (loaded && Atomics.add(loaded, 0, 1) + 1 < Atomics.load(loaded, 1)) return;
  setFlagsFromString(`--interrupt-budget=${SCAN_INTERRUPT_BUDGET}`);
}
