/** The files the runner gives a step to talk back through: GITHUB_OUTPUT and GITHUB_STEP_SUMMARY. */

import { randomBytes } from "node:crypto";
import { appendFileSync } from "node:fs";
import { LeakstopError } from "../lib/errors.js";

/**
 * Appends step outputs to GITHUB_OUTPUT in the runner's multi-line form (`name<<DELIMITER`),
 * with a random delimiter so that no value can end its own entry early. No-op without the variable.
 */
export function writeOutputs(env: NodeJS.ProcessEnv, outputs: Record<string, string>): void {
  const file = env.GITHUB_OUTPUT;
  if (!file) return;
  let text = "";
  for (const [name, value] of Object.entries(outputs)) {
    const delimiter = `leakstop_${randomBytes(16).toString("hex")}`;
    text += `${name}<<${delimiter}\n${value}\n${delimiter}\n`;
  }
  append(file, text, "GITHUB_OUTPUT");
}

/** Appends Markdown to the job summary (GITHUB_STEP_SUMMARY). No-op without the variable. */
export function writeSummary(env: NodeJS.ProcessEnv, markdown: string): void {
  const file = env.GITHUB_STEP_SUMMARY;
  if (file) append(file, markdown, "GITHUB_STEP_SUMMARY");
}

function append(file: string, text: string, what: string): void {
  try {
    appendFileSync(file, text, "utf8");
  } catch (err) {
    throw new LeakstopError(
      "LS_IO",
      `cannot write ${what} (${file}): ${(err as { code?: string }).code ?? "write error"}`,
    );
  }
}
