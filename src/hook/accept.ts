/**
 * `leakstop hook accept`: adds what is staged now to the hook's baseline, keeping the entries
 * already there (`scan --write-baseline` would write only the current scan's). The third way out
 * the hook offers; the file holds fingerprints, rule ids and paths, never a secret.
 */
import { existsSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { BASELINE_VERSION, type BaselineEntry, baselineOf, readBaseline } from "../findings/baseline.js";
import type { Finding } from "../findings/finding.js";
import { LeakstopError } from "../lib/errors.js";

/** The entries of an existing baseline file (validated by readBaseline first); [] when there is none. */
function existingEntries(path: string): BaselineEntry[] {
  if (!existsSync(path)) return [];
  const known = readBaseline(path);
  const doc = JSON.parse(readFileSync(path, "utf8")) as { fingerprints?: unknown };
  const list = Array.isArray(doc) ? doc : Array.isArray(doc.fingerprints) ? doc.fingerprints : [];
  return (list as Partial<BaselineEntry>[])
    .filter((e) => typeof e.fingerprint === "string" && known.has(e.fingerprint))
    .map((e) => ({ fingerprint: e.fingerprint!, ruleId: String(e.ruleId ?? ""), path: String(e.path ?? "") }));
}

/** Merges `findings` into the baseline at `path`; returns how many fingerprints were new. */
export function acceptIntoBaseline(path: string, findings: readonly Finding[]): number {
  const entries = existingEntries(path);
  const have = new Set(entries.map((e) => e.fingerprint));
  const fresh = baselineOf(findings).fingerprints.filter((e) => !have.has(e.fingerprint));
  const all = [...entries, ...fresh].sort(
    (a, b) =>
      a.path.localeCompare(b.path) || a.ruleId.localeCompare(b.ruleId) || a.fingerprint.localeCompare(b.fingerprint),
  );
  const text = `${JSON.stringify({ version: BASELINE_VERSION, tool: "leakstop", fingerprints: all }, null, 2)}\n`;
  const temporary = `${path}.${process.pid}.tmp`;
  try {
    writeFileSync(temporary, text, { mode: 0o644 });
    renameSync(temporary, path);
  } catch (err) {
    throw new LeakstopError("LS_IO", `cannot write baseline ${path}: ${(err as { code?: string }).code ?? "error"}`);
  }
  return fresh.length;
}
