import { OUTPUT_FORMATS, type OutputFormat } from "../config/output-format.js";
import type { Finding } from "../findings/finding.js";
import { LeakstopError } from "../lib/errors.js";
import { renderGithub } from "./github.js";
import { renderJson } from "./json.js";
import { renderJsonl } from "./jsonl.js";
import type { RenderContext } from "./render-context.js";
import { renderSarif } from "./sarif.js";
import { renderText } from "./text.js";

// The names live with the config that validates `--format`; output re-exports them for its callers.
export { isOutputFormat, OUTPUT_FORMATS, type OutputFormat } from "../config/output-format.js";
export type { RenderContext, RuleInfo, ScanStats, VersionControl } from "./render-context.js";
export { toRuleInfo } from "./render-context.js";

/**
 * Renders findings in one format. Pure: the same findings and context give the same string.
 * Each formatter prints a finding's `match` as given (the engine redacts it unless --show-secrets)
 * and no other secret material.
 *
 * @throws LeakstopError LS_USAGE for a format that does not exist
 */
export function renderFindings(format: OutputFormat, findings: Finding[], ctx: RenderContext): string {
  switch (format) {
    case "text":
      return renderText(findings, ctx);
    case "json":
      return renderJson(findings);
    case "jsonl":
      return renderJsonl(findings);
    case "sarif":
      return renderSarif(findings, ctx);
    case "github":
      return renderGithub(findings, ctx);
    default:
      throw new LeakstopError(
        "LS_USAGE",
        `unknown output format ${JSON.stringify(String(format))} (expected ${OUTPUT_FORMATS.join(", ")})`,
      );
  }
}
