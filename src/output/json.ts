import { groupIdOf } from "../findings/file-kind.js";
import { type Finding, kindOfFinding } from "../findings/finding.js";

/** A finding as SPEC §4's JSON object: its fields in the SPEC's order, optional ones only when present. */
export type FindingJson = Record<string, unknown>;

const OPTIONAL_GIT_FIELDS = ["commit", "tag", "author", "email", "date", "repository"] as const;

/** Builds the SPEC §4 object for one finding (a fresh object: nothing else of the finding leaks into output). */
export function findingToJson(f: Finding): FindingJson {
  const out: FindingJson = {
    ruleId: f.ruleId,
    provider: f.provider,
    description: f.description,
    severity: f.severity,
    path: f.path,
    startLine: f.startLine,
    endLine: f.endLine,
    startColumn: f.startColumn,
    endColumn: f.endColumn,
    match: f.match,
    secretHash: f.secretHash,
    fingerprint: f.fingerprint,
    validated: f.validated,
    entropy: roundEntropy(f.entropy),
    source: f.source,
  };
  for (const field of OPTIONAL_GIT_FIELDS) {
    const value = f[field];
    if (value !== undefined) out[field] = value;
  }
  out.tags = [...f.tags];
  out.fileKind = kindOfFinding(f);
  out.group = groupIdOf(f.secretHash);
  return out;
}

/** Entropy with 2 decimals (bits per character); anything not finite becomes 0 so that the JSON stays valid. */
export function roundEntropy(entropy: number): number {
  return Number.isFinite(entropy) ? Math.round(entropy * 100) / 100 : 0;
}

/** `--format json`: one array of SPEC §4 objects, indented by 2 spaces, with a trailing newline. */
export function renderJson(findings: readonly Finding[]): string {
  return `${JSON.stringify(findings.map(findingToJson), null, 2)}\n`;
}
