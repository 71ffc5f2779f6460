/**
 * The job summary (GITHUB_STEP_SUMMARY): what was scanned, and one table row per finding with
 * links to the file at the commit that holds it. Paths and matches come from the repository, so
 * every cell is HTML-escaped and no cell can break the table or inject markup.
 */
import type { Finding } from "../findings/finding.js";
import { escapeControlCharacters } from "../output/paths.js";

/** GitHub caps a step summary at 1 MiB; a few hundred rows say all there is to say. */
export const MAX_SUMMARY_ROWS = 200;

export interface SummaryContext {
  /** What was scanned, e.g. "push to refs/heads/main: 1a2b3c4d5e6f..6f5e4d3c2b1a". */
  label: string;
  notes: readonly { text: string }[];
  /** e.g. "https://github.com/owner/name"; links are left out without it. */
  repositoryUrl: string | null;
  /** The commit the workflow runs on: tree findings link to it. */
  sha: string | null;
  /** Findings that the baseline hid. */
  baselined: number;
  sarifPath: string | null;
}

export function renderSummary(findings: readonly Finding[], ctx: SummaryContext): string {
  const out: string[] = [];
  const noun = findings.length === 1 ? "leak" : "leaks";
  out.push(findings.length === 0 ? "### leakstop: no leaks found" : `### leakstop: ${findings.length} ${noun} found`);
  out.push("", `Scanned: ${html(ctx.label)}.`);
  for (const note of ctx.notes) out.push("", `> ${html(note.text)}`);
  if (ctx.baselined > 0) out.push("", `${ctx.baselined} known finding(s) hidden by the baseline.`);
  if (findings.length > 0) {
    out.push(
      "",
      "| Severity | Rule | Where | Commit | Secret | Fingerprint |",
      "| --- | --- | --- | --- | --- | --- |",
    );
    for (const f of findings.slice(0, MAX_SUMMARY_ROWS)) out.push(row(f, ctx));
    if (findings.length > MAX_SUMMARY_ROWS)
      out.push(
        "",
        `… and ${findings.length - MAX_SUMMARY_ROWS} more (all of them are in the SARIF file and the annotations).`,
      );
    out.push(
      "",
      "Revoke or rotate each secret at its provider first: once pushed, deleting it from the code does not " +
        "make it safe. A false positive: add `leakstop:allow` to its line, or add its fingerprint to a baseline " +
        "(`leakstop scan --write-baseline FILE`).",
    );
  }
  if (ctx.sarifPath) out.push("", `SARIF: <code>${html(ctx.sarifPath)}</code>`);
  return `${out.join("\n")}\n`;
}

function row(f: Finding, ctx: SummaryContext): string {
  const commit = f.commit ?? null;
  const cells = [
    f.severity,
    code(f.ruleId),
    where(f, commit ?? ctx.sha, ctx.repositoryUrl),
    commit === null
      ? ""
      : link(code(commit.slice(0, 12)), ctx.repositoryUrl && objectUrl(ctx.repositoryUrl, f, commit)),
    code(f.match),
    code(f.fingerprint),
  ];
  return `| ${cells.join(" | ")} |`;
}

/** A commit's page, or for a tag's message the tag's (its object id is no commit). */
function objectUrl(repositoryUrl: string, f: Finding, commit: string): string {
  if (f.tag === undefined) return `${repositoryUrl}/commit/${commit}`;
  return `${repositoryUrl}/releases/tag/${f.tag.split("/").map(encodeURIComponent).join("/")}`;
}

function where(f: Finding, sha: string | null, repositoryUrl: string | null): string {
  if (f.tag !== undefined) return `tag ${code(f.tag)} message, line ${f.startLine}`;
  if (f.path === "") return `commit message, line ${f.startLine}`;
  const text = code(`${f.path}:${f.startLine}:${f.startColumn}`);
  if (repositoryUrl === null || sha === null) return text;
  const lines = f.endLine > f.startLine ? `#L${f.startLine}-L${f.endLine}` : `#L${f.startLine}`;
  const path = f.path.split("/").map(encodeURIComponent).join("/");
  return link(text, `${repositoryUrl}/blob/${sha}/${path}${lines}`);
}

function link(text: string, url: string | null): string {
  return url ? `<a href="${html(url)}">${text}</a>` : text;
}

function code(text: string): string {
  return `<code>${html(text)}</code>`;
}

/** HTML-escapes a cell's text (control characters shown as `\n`, `\u001b`); `|` would end the cell. */
export function html(text: string): string {
  return escapeControlCharacters(text)
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/"/g, "&quot;")
    .replace(/\|/g, "&#124;")
    .replace(/[`*_[\]\\]/g, (c) => `&#${c.charCodeAt(0)};`);
}
