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
  /** Bytes the views read or copy (escaped quotes, unescape, the decoded view's base64 search and decoding). */
  viewBytes: number;
}

/** The part of a meter the views count in. */
export type ViewMeter = Pick<WorkMeter, "viewBytes">;

export function newWorkMeter(): WorkMeter {
  return { regexRuns: 0, regexBytes: 0, windowBytes: 0, positionBytes: 0, shadowChecks: 0, viewBytes: 0 };
}
