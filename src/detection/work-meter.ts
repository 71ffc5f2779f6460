/**
 * What the engine did over a text, counted in deterministic units, so tests can prove that work
 * grows linearly with input (wall-clock time cannot: machines are noisy). Optional: the scan
 * path passes none and pays nothing.
 */
export interface WorkMeter {
  /** Regex executions (rule regexes, the keyword locator, the prefilter). */
  regexRuns: number;
  /** Bytes those executions advanced over. */
  regexBytes: number;
  /** Bytes searched for line boundaries around keyword windows. */
  windowBytes: number;
  /** Bytes decoded to turn offsets into columns. */
  positionBytes: number;
  /** Overlap checks between a hit and the spans other rules claimed. */
  shadowChecks: number;
}

export function newWorkMeter(): WorkMeter {
  return { regexRuns: 0, regexBytes: 0, windowBytes: 0, positionBytes: 0, shadowChecks: 0 };
}
