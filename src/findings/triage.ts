/**
 * What a scan reports and in which order (SPEC §3 `--min-kind`, `[scan] report`): findings in the
 * chosen file kinds only, code and config first. A finding is never dropped for sitting in a test
 * unless the user asked for that.
 */
import { LeakstopError } from "../lib/errors.js";
import { FILE_KINDS, type FileKind, isFileKind, kindRank } from "./file-kind.js";
import { type Finding, kindOfFinding } from "./finding.js";

/** `--min-kind KIND`: that kind and every more important one (code > config > the rest). */
export function kindsFromMinKind(kind: string, where: string): FileKind[] {
  if (!isFileKind(kind))
    throw new LeakstopError(
      "LS_USAGE",
      `${where} must be one of ${FILE_KINDS.join(", ")} (got ${JSON.stringify(kind.slice(0, 32))})`,
    );
  return FILE_KINDS.filter((k) => kindRank(k) <= kindRank(kind));
}

/**
 * The findings of the kinds in `report` (every kind when null), stably ordered by kind: code,
 * config, test, docs, example, generated, vendored. Within a kind the scan's order is kept.
 */
export function triageFindings(findings: readonly Finding[], report: readonly FileKind[] | null): Finding[] {
  const order = (f: Finding) => FILE_KINDS.indexOf(kindOfFinding(f));
  const kept = report === null ? [...findings] : findings.filter((f) => report.includes(kindOfFinding(f)));
  return kept
    .map((f, i) => ({ f, i, k: order(f) }))
    .sort((a, b) => a.k - b.k || a.i - b.i)
    .map((x) => x.f);
}
