import type { Finding } from "../findings/finding.js";
import { findingToJson } from "./json.js";

/** `--format jsonl`: one SPEC §4 object a line (the same objects as `--format json`); nothing for no findings. */
export function renderJsonl(findings: readonly Finding[]): string {
  if (findings.length === 0) return "";
  return `${findings.map((f) => JSON.stringify(findingToJson(f))).join("\n")}\n`;
}
