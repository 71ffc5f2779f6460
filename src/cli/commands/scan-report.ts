/**
 * `--report` for scan, org-scan, the Action and the hook: hands the findings to the report
 * producer and prints its lines. Loaded only when --report is given, so a plain scan never
 * loads BullMQ, ioredis or anything of the pipeline.
 */
import type { Finding } from "../../findings/finding.js";
import { escapeControlCharacters } from "../../output/paths.js";
import type { Reporter } from "../../report/finding-job.js";
import { type ReportOptions, reportOptionsFromEnv } from "../../report/options.js";
import { reportFindings } from "../../report/producer.js";
import { reportLines } from "../../report/summary.js";

/** Reads and checks the reporting environment (before the scan, so a typo fails fast). */
export function reportOptions(env: NodeJS.ProcessEnv = process.env): ReportOptions {
  return reportOptionsFromEnv(env);
}

/** Reports `findings` (raw secrets by secretHash for sealing); prints one line, or one warning when it spooled. */
export async function reportScanFindings(
  findings: readonly Finding[],
  rawSecrets: ReadonlyMap<string, string>,
  reporter: Reporter,
  opts: ReportOptions,
  quiet: boolean,
): Promise<void> {
  const outcome = await reportFindings(findings, rawSecrets, reporter, opts);
  for (const line of reportLines(outcome, quiet)) process.stderr.write(`leakstop: ${escapeControlCharacters(line)}\n`);
}
