/**
 * One report run for an entry point (scan, org-scan, the hook): read the reporting environment,
 * report, and write the lines to say. Entry points load this lazily, only when reporting.
 */
import type { Finding } from "../findings/finding.js";
import type { Reporter } from "./finding-job.js";
import { type ReportOptions, reportOptionsFromEnv } from "./options.js";
import { reportFindings } from "./producer.js";
import { reportLines } from "./summary.js";

/** Reports `findings` and writes "leakstop: …" lines (one warning when they were only spooled). */
export async function reportAndSay(
  findings: readonly Finding[],
  rawSecrets: ReadonlyMap<string, string>,
  reporter: Reporter,
  write: (text: string) => void,
  opts: { quiet?: boolean; env?: NodeJS.ProcessEnv; options?: ReportOptions } = {},
): Promise<void> {
  const options = opts.options ?? reportOptionsFromEnv(opts.env ?? process.env);
  const outcome = await reportFindings(findings, rawSecrets, reporter, options);
  // Paths and URLs in these lines come from the environment: no control characters reach a terminal.
  for (const line of reportLines(outcome, opts.quiet === true)) {
    write(`leakstop: ${line.replace(/[\u0000-\u001f\u007f-\u009f]/g, " ")}\n`);
  }
}
