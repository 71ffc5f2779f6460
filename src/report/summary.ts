/** The lines a report prints on stderr: one warning when it only spooled, else a short note. */
import type { ReportOutcome } from "./producer.js";

/** Lines to print (each without "leakstop: " and newline); `quiet` keeps only warnings. */
export function reportLines(o: ReportOutcome, quiet: boolean): string[] {
  const lines = o.warnings.map((w) => `warning: ${w}`);
  if (o.spooled) {
    const n = o.spooled.jobs;
    lines.push(
      `warning: ${o.target} did not answer: ${n} finding${n === 1 ? "" : "s"} spooled to ${o.spooled.file} (sent by the next --report run or leakstop report --flush)`,
    );
  } else if (o.unreachable !== undefined) {
    // Nothing new to send, but the spool still waits for a target that did not answer.
    if (o.pendingFiles > 0) {
      lines.push(
        `warning: ${o.target} did not answer: ${o.pendingFiles} spooled batch(es) still wait in ${o.spoolDir}`,
      );
    }
  } else if (!quiet) {
    const flushed = o.flushedFiles > 0 ? `, ${o.flushedFiles} spooled batch(es) delivered` : "";
    lines.push(`reported to ${o.target}: ${o.added} new, ${o.duplicates} already queued${flushed}`);
  }
  if (o.unsealed > 0) {
    lines.push(
      `warning: no report public key (LEAKSTOP_REPORT_PUBLIC_KEY, or the server's GET /v1/report-key): ${o.unsealed} revocable secret(s) reported unsealed, so they cannot be revoked by their provider`,
    );
  }
  return lines;
}
