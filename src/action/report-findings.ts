/**
 * The Action's reporting (inputs server-url + server-token): the findings go to the leakstop
 * server's POST /v1/findings, GitHub tokens sealed to its report key. Loaded only when server-url
 * is set. A server that does not answer leaves the findings in the spool with a warning
 * annotation; one that refuses them fails the step (LS_REPORT_REFUSED).
 */
import type { Finding } from "../findings/finding.js";
import { escapeData, escapeProperty } from "../output/github.js";
import { revocableRuleIds } from "../queue/revocable-rules.js";
import { reportOptionsFromEnv } from "../report/options.js";
import { reportFindings } from "../report/producer.js";
import { reportLines } from "../report/summary.js";
import type { ActionInputs } from "./inputs.js";

/** The rules whose raw secret the scan keeps in-process for sealing. */
export function revealRules(): string[] {
  return revocableRuleIds();
}

/** Sends the findings; one log line (a notice, or a warning annotation when they were spooled). */
export async function reportToServer(
  findings: readonly Finding[],
  rawSecrets: ReadonlyMap<string, string>,
  inputs: ActionInputs,
  env: NodeJS.ProcessEnv,
  log: (text: string) => void,
): Promise<void> {
  const opts = reportOptionsFromEnv({
    ...env,
    LEAKSTOP_SERVER: inputs.serverUrl ?? "",
    LEAKSTOP_TOKEN: inputs.serverToken ?? "",
  });
  const outcome = await reportFindings(findings, rawSecrets, "action", opts);
  for (const line of reportLines(outcome, false)) {
    const warning = line.startsWith("warning: ");
    const text = warning ? line.slice("warning: ".length) : line;
    const title = warning ? "leakstop: report" : "leakstop: findings reported";
    log(`::${warning ? "warning" : "notice"} title=${escapeProperty(title)}::${escapeData(text)}\n`);
  }
}
