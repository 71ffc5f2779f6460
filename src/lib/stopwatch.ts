/**
 * Elapsed time for scan statistics, from `process.hrtime`: the `performance` global would load
 * node's perf_hooks modules (~1 ms of every pre-commit hook's start) for one subtraction.
 */

/** Starts a stopwatch; the returned function gives the milliseconds since. */
export function stopwatch(): () => number {
  const start = process.hrtime.bigint();
  return () => Number(process.hrtime.bigint() - start) / 1e6;
}
