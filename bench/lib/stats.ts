/** Small measuring helpers shared by the verify benchmarks. */
import { readFileSync } from "node:fs";

/** The p-th percentile (0-100) of an ascending array; NaN when empty. */
export function percentile(sorted: Float64Array, p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] as number;
}

/** CPU seconds (user + system) a process has used so far, from /proc (Linux); NaN elsewhere. */
export function cpuSecondsOf(pid: number | null | undefined): number {
  const { user, system } = cpuSplitOf(pid);
  return user + system;
}

/** CPU seconds a process has used so far in user and in kernel (system) mode, from /proc (Linux); NaN elsewhere. */
export function cpuSplitOf(pid: number | null | undefined): { user: number; system: number } {
  if (!pid) return { user: Number.NaN, system: Number.NaN };
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    // Fields after the parenthesised command name: utime and stime are the 12th and 13th.
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return { user: Number(fields[11]) / 100, system: Number(fields[12]) / 100 };
  } catch {
    return { user: Number.NaN, system: Number.NaN };
  }
}
