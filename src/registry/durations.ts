/** Parses the durations and rates the keys commands take: `90d`, `24h`, `100/60s`. */
import { LeakstopError } from "../lib/errors.js";

const UNIT_SECONDS: Record<string, number> = { s: 1, m: 60, min: 60, h: 3600, d: 86_400, w: 604_800 };

/** The longest duration accepted: 100 years (longer ones overflow dates and mean "never" anyway). */
export const MAX_DURATION_SECONDS = 100 * 365 * 86_400;

/** "90d", "24h", "30m", "45s", "2w" or a bare number of seconds -> seconds. Throws LS_USAGE naming `flag`. */
export function parseDuration(text: string, flag: string): number {
  const m = /^(\d+(?:\.\d+)?)\s*(s|m|min|h|d|w)?$/.exec(text.trim());
  if (!m) throw new LeakstopError("LS_USAGE", `${flag}: "${text}" is not a duration (e.g. 90d, 24h, 30m, 45s)`);
  const seconds = Number(m[1]) * (UNIT_SECONDS[m[2] ?? "s"] as number);
  if (!(seconds <= MAX_DURATION_SECONDS)) {
    throw new LeakstopError("LS_USAGE", `${flag}: "${text}" is longer than 100 years (36500d)`);
  }
  return seconds;
}

/** "100/60s", "100/m", "5000/1h" -> { limit, windowSeconds }. Throws LS_USAGE. */
export function parseRate(text: string): { limit: number; windowSeconds: number } {
  const m = /^(\d+)\s*\/\s*(\d*(?:\.\d+)?)\s*(s|m|min|h|d)?$/.exec(text.trim());
  const limit = m ? Number(m[1]) : 0;
  const windowSeconds = m ? Number(m[2] || 1) * (UNIT_SECONDS[m[3] ?? "s"] as number) : 0;
  if (!m || limit < 1 || !(windowSeconds > 0)) {
    throw new LeakstopError("LS_USAGE", `--rate: "${text}" is not a rate (e.g. 100/60s, 1000/h)`);
  }
  return { limit, windowSeconds };
}

/** Seconds as the shortest exact unit: 86400 -> "1d", 90 -> "90s". */
export function formatDuration(seconds: number): string {
  for (const unit of ["w", "d", "h", "m"] as const) {
    const size = UNIT_SECONDS[unit] as number;
    if (seconds >= size && seconds % size === 0) return `${seconds / size}${unit}`;
  }
  return `${seconds}s`;
}
