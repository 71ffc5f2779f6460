import { type Finding, kindOfFinding, type Severity } from "../findings/finding.js";
import { groupBySecret } from "../findings/group.js";
import { formatBytes, groupThousands } from "../lib/size.js";
import { escapeControlCharacters, reportedPath } from "./paths.js";
import type { RenderContext, ScanStats } from "./render-context.js";

const SEPARATOR = " · ";
const SHORT_SHA_LENGTH = 12;
/** A secret found in more places lists this many of them, then "…". */
const PLACES_SHOWN = 5;
const SEVERITY_ORDER: readonly Severity[] = ["critical", "high", "medium", "low"];

/** ANSI SGR sequences; applied only when the context asks for colour. */
const STYLE = {
  bold: "\u001b[1m",
  dim: "\u001b[2m",
  red: "\u001b[31m",
  green: "\u001b[32m",
  yellow: "\u001b[33m",
  cyan: "\u001b[36m",
  boldRed: "\u001b[1;31m",
  reset: "\u001b[0m",
} as const;

type Paint = (style: keyof typeof STYLE, text: string) => string;

const SEVERITY_STYLE: Record<Severity, keyof typeof STYLE> = {
  critical: "boldRed",
  high: "red",
  medium: "yellow",
  low: "cyan",
};

/**
 * `--format text`: one line per secret, "rule · severity · path:line:col · kind · match · fingerprint",
 * with "· in N places: …" when the same secret (secretHash) sits in several places, then a summary
 * line ("no leaks found" when there are none). Every value that comes from the scanned data has its
 * control characters escaped, so a file name cannot drive the terminal.
 */
export function renderText(findings: readonly Finding[], ctx: RenderContext): string {
  const paint: Paint = ctx.color ? (style, text) => `${STYLE[style]}${text}${STYLE.reset}` : (_style, text) => text;
  const lines = groupBySecret(findings).map((group) => groupLine(group, ctx.root, paint));
  if (ctx.summary !== false) lines.push(summaryLine(findings, ctx.stats, paint));
  return lines.length === 0 ? "" : `${lines.join("\n")}\n`;
}

function groupLine(group: Finding[], root: string, paint: Paint): string {
  const f = group[0]!;
  const parts = [
    paint("bold", escapeControlCharacters(f.ruleId)),
    paint(SEVERITY_STYLE[f.severity] ?? "bold", f.severity),
    escapeControlCharacters(locationOf(f, root)),
    kindOfFinding(f),
    escapeControlCharacters(f.match),
    paint("dim", f.fingerprint),
  ];
  if (group.length > 1) {
    const places = group.slice(0, PLACES_SHOWN).map((p) => `${locationOf(p, root)} (${kindOfFinding(p)})`);
    const more = group.length > PLACES_SHOWN ? ", …" : "";
    parts.push(escapeControlCharacters(`in ${group.length} places: ${places.join(", ")}${more}`));
  }
  return parts.join(SEPARATOR);
}

/**
 * "path:line:col", with "@<short sha>" for git sources; a commit message shows as "<commit SHA message>".
 * An org scan spans repositories, so its findings start with "owner/name:".
 */
function locationOf(f: Finding, root: string): string {
  const position = `${f.startLine}:${f.startColumn}`;
  const shortSha = f.commit?.slice(0, SHORT_SHA_LENGTH);
  const repo = f.source === "org" && f.repository ? `${f.repository}:` : "";
  if (f.tag !== undefined) return `${repo}<tag ${f.tag} message>:${position}${shortSha ? ` @${shortSha}` : ""}`;
  if (f.path === "") return `${repo}${shortSha ? `<commit ${shortSha} message>` : "<no path>"}:${position}`;
  const where = `${repo}${reportedPath(f.path, root)}:${position}`;
  return shortSha ? `${where} @${shortSha}` : where;
}

function summaryLine(findings: readonly Finding[], stats: ScanStats | undefined, paint: Paint): string {
  const scanned = stats ? `${SEPARATOR}${describeStats(stats)}` : "";
  if (findings.length === 0) return `${paint("green", "no leaks found")}${scanned}`;
  const counts = new Map<Severity, number>();
  for (const f of findings) counts.set(f.severity, (counts.get(f.severity) ?? 0) + 1);
  const bySeverity = SEVERITY_ORDER.filter((s) => counts.has(s)).map((s) => `${counts.get(s)} ${s}`);
  const noun = findings.length === 1 ? "leak" : "leaks";
  return `${paint("boldRed", `${findings.length} ${noun} found`)} (${bySeverity.join(", ")})${scanned}`;
}

/** "scanned 4,847 files (47.0 MiB) in 950 ms". */
export function describeStats(stats: ScanStats): string {
  if (stats.commits !== undefined) {
    const tags = stats.tags ? ` and ${groupThousands(stats.tags)} ${stats.tags === 1 ? "tag" : "tags"}` : "";
    const commits = `${groupThousands(stats.commits)} ${stats.commits === 1 ? "commit" : "commits"}${tags}`;
    const texts = `${groupThousands(stats.files)} blobs and messages`;
    return `scanned ${commits} (${texts}, ${formatBytes(stats.bytes)}) in ${groupThousands(Math.round(stats.ms))} ms`;
  }
  const files = `${groupThousands(stats.files)} ${stats.files === 1 ? "file" : "files"}`;
  if (stats.skippedBinary)
    return `skipped binary input (${formatBytes(stats.bytes)}), scanned ${files} in ${groupThousands(Math.round(stats.ms))} ms`;
  return `scanned ${files} (${formatBytes(stats.bytes)}) in ${groupThousands(Math.round(stats.ms))} ms`;
}
