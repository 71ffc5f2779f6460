/**
 * `--report` for scan and org-scan: hands the findings to the report producer and prints its
 * lines. Loaded only when --report is given, so a plain scan never loads BullMQ, ioredis or
 * anything of the pipeline.
 */
import type { Finding } from "../../findings/finding.js";
import { readSealKeyFile } from "../../lib/sealed-box.js";
import type { Reporter } from "../../report/finding-job.js";
import { type ReportOptions, reportOptionsFromEnv } from "../../report/options.js";
import { reportAndSay } from "../../report/run-report.js";

/** Reads and checks the reporting environment, the report key file included (before the scan, so a typo fails fast). */
export function reportOptions(env: NodeJS.ProcessEnv = process.env): ReportOptions {
  const opts = reportOptionsFromEnv(env);
  if (opts.publicKeyPath) readSealKeyFile(opts.publicKeyPath, "public");
  return opts;
}

/** Reports `findings` (raw secrets by secretHash for sealing); prints one line, or one warning when it spooled. */
export function reportScanFindings(
  findings: readonly Finding[],
  rawSecrets: ReadonlyMap<string, string>,
  reporter: Reporter,
  opts: ReportOptions,
  quiet: boolean,
): Promise<void> {
  return reportAndSay(findings, rawSecrets, reporter, (t) => process.stderr.write(t), { quiet, options: opts });
}
