import { type Finding, kindOfFinding, type Severity } from "../findings/finding.js";
import { escapeControlCharacters, messagePlace, reportedPath } from "./paths.js";
import type { RenderContext } from "./render-context.js";

type AnnotationCommand = "error" | "warning" | "notice";

const COMMAND: Record<Severity, AnnotationCommand> = {
  critical: "error",
  high: "error",
  medium: "warning",
  low: "notice",
};

/**
 * `--format github`: one GitHub Actions workflow command per finding
 * (`::error file=…,line=…,endLine=…,col=…,endColumn=…,title=…::message`), then a plain summary line.
 * critical/high become `error`, medium `warning`, low `notice`. Every value is escaped, so a file name
 * cannot end the command early or inject one of its own (`::stop-commands::`, `::add-mask::`).
 */
export function renderGithub(findings: readonly Finding[], ctx: RenderContext): string {
  const lines = findings.map((f) => annotation(f, ctx.root));
  const noun = findings.length === 1 ? "leak" : "leaks";
  if (ctx.summary !== false)
    lines.push(findings.length === 0 ? "leakstop: no leaks found" : `leakstop: ${findings.length} ${noun} found`);
  return lines.length === 0 ? "" : `${lines.join("\n")}\n`;
}

function annotation(f: Finding, root: string): string {
  const properties: [string, string][] = [];
  // Control characters in a file name would reach the log raw once the runner unescapes %XX.
  const path = escapeControlCharacters(reportedPath(f.path, root));
  // A commit-message finding has no file to point at: GitHub then shows the annotation on the run.
  if (path !== "") {
    properties.push(["file", path], ["line", String(f.startLine)], ["endLine", String(f.endLine)]);
    properties.push(["col", String(f.startColumn)], ["endColumn", String(f.endColumn)]);
  }
  properties.push(["title", `${f.provider} secret (${f.ruleId})`]);
  const list = properties.map(([key, value]) => `${key}=${escapeProperty(value)}`).join(",");
  return `::${COMMAND[f.severity] ?? "error"} ${list}::${escapeData(messageOf(f))}`;
}

/** The match as given (redacted unless --show-secrets), the file kind, the fingerprint and, for git sources, the commit. */
function messageOf(f: Finding): string {
  const commit = f.commit ? ` in ${escapeControlCharacters(messagePlace(f))}` : "";
  return `${f.severity} ${f.provider} secret ${escapeControlCharacters(f.match)}${commit} · ${kindOfFinding(f)} · fingerprint ${f.fingerprint}`;
}

/** Escapes a command's message, as the Actions runner unescapes it. */
export function escapeData(text: string): string {
  return text.replace(/%/g, "%25").replace(/\r/g, "%0D").replace(/\n/g, "%0A");
}

/** Escapes a command property value: also `:` and `,`, which would end the value. */
export function escapeProperty(text: string): string {
  return escapeData(text).replace(/:/g, "%3A").replace(/,/g, "%2C");
}
