/**
 * V8 optimises a function (TurboFan) once it has run a fixed amount of bytecode, its interrupt
 * budget. In a tree scan of a few seconds that is ~70 functions per thread, many of them the walk's
 * and the reader's that run for only part of the scan, and TurboFan took ~20 % of the scan's
 * instructions (git/git). With four times the budget only the engine's hottest functions are
 * optimised (a history scan of axios: TurboFan was ~25 % of its instructions). V8's flags are the
 * process's, worker threads included, so only a scan big enough for worker threads sets it (a
 * pre-commit's few files never do), before they start. V8 takes a code cache only under the flags it
 * was made with: the workers' (dist/scan-worker.HASH.cache, one per set of flags) are written by scans
 * that set this budget.
 */
import { setFlagsFromString } from "node:v8";

/** V8's default budget (132 KiB of bytecode in node 20), four times. */
const SCAN_INTERRUPT_BUDGET = 4 * 132 * 1024;

let set = false;

export function optimiseOnlyHotCode(): void {
  if (set) return;
  set = true;
  setFlagsFromString(`--interrupt-budget=${SCAN_INTERRUPT_BUDGET}`);
}
