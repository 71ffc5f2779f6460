/** The lines org-scan prints on stderr: one per repository as it finishes, and the run's summary. */
import { formatBytes, groupThousands } from "../../lib/size.js";
import { escapeControlCharacters } from "../../output/paths.js";
import type { RepoOutcome } from "../../scan/scan-org.js";

const plural = (n: number, one: string, many = `${one}s`) => `${groupThousands(n)} ${n === 1 ? one : many}`;

/** "acme/api: fetched · incremental · 12 files (3.1 KiB) · 1 leak", or the reason it failed. */
export function describeOutcome(o: RepoOutcome): string {
  const name = escapeControlCharacters(o.repository);
  switch (o.status) {
    case "failed":
      return `${name}: failed: ${escapeControlCharacters(o.error ?? "unknown error")}`;
    case "empty":
      return `${name}: empty repository, nothing to scan`;
    case "up-to-date":
      return `${name}: ${o.mirror} · no new commits since the last scan`;
    default: {
      const mode =
        o.mode === "incremental" ? "new commits only" : `full history${o.fullBecause ? ` (${o.fullBecause})` : ""}`;
      const read = `${plural(o.commits, "commit")}, ${plural(o.files, "file")} (${formatBytes(o.bytes)})`;
      return `${name}: ${o.mirror} · ${mode} · ${read} · ${plural(o.findings, "leak")}`;
    }
  }
}

/** "org-scan acme: 5 repositories · 3 scanned · 1 up to date · 1 failed (acme/broken) · 4 leaks · 2.1 s". */
export function describeRun(org: string, outcomes: RepoOutcome[], findings: number, ms: number): string {
  const count = (s: RepoOutcome["status"]) => outcomes.filter((o) => o.status === s).length;
  const failed = outcomes.filter((o) => o.status === "failed").map((o) => escapeControlCharacters(o.repository));
  const parts = [plural(outcomes.length, "repository", "repositories"), `${count("scanned")} scanned`];
  if (count("up-to-date") > 0) parts.push(`${count("up-to-date")} up to date`);
  if (count("empty") > 0) parts.push(`${count("empty")} empty`);
  if (failed.length > 0) parts.push(`${failed.length} failed (${failed.join(", ")})`);
  parts.push(plural(findings, "leak"), `${(ms / 1000).toFixed(1)} s`);
  return `org-scan ${escapeControlCharacters(org)}: ${parts.join(" · ")}`;
}
