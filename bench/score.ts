/**
 * Scores a scan's findings against a corpus's labels. A finding matches a label in the same
 * file by secretHash (or an alternate span's hash), else by falling inside the label's line
 * span (multi-line keys, URLs whose secret a rule may cut differently). Each label counts once;
 * further findings of the same secret are duplicates, not false positives.
 */
import type { DecoyRecord, Label } from "./corpus/labels.js";

/** The fields of a SPEC §4 finding the scorer reads. */
export interface ScanFinding {
  ruleId: string;
  provider?: string;
  path: string;
  startLine: number;
  startColumn?: number;
  secretHash: string;
  match?: string;
  tags?: string[];
}

export interface FalsePositive {
  finding: ScanFinding;
  /** The decoy kind on that line, or "filler" when the line held no planted value. */
  trap: string;
}

export interface Score {
  /** `ruleIds`: every rule that reported this secret (the first finding plus duplicates). */
  truePositives: { label: Label; finding: ScanFinding; by: "hash" | "location"; ruleIds: string[] }[];
  falseNegatives: Label[];
  falsePositives: FalsePositive[];
  duplicates: number;
  /** Findings of ciphertext (tag "encrypted", e.g. Ansible Vault): informational by design, not scored. */
  informational: ScanFinding[];
}

export interface Ratios {
  precision: number;
  recall: number;
  f1: number;
}

function groupByPath<T extends { path: string }>(items: T[]): Map<string, T[]> {
  const m = new Map<string, T[]>();
  for (const it of items) {
    const list = m.get(it.path) ?? [];
    list.push(it);
    m.set(it.path, list);
  }
  return m;
}

const inSpan = (l: { line: number; endLine: number }, line: number) => line >= l.line && line <= l.endLine;

function findLabel(labels: Label[], f: ScanFinding, matched: Map<Label, unknown>): [Label, "hash" | "location"] | null {
  const byHash = labels.filter((l) => l.secretHash === f.secretHash || l.altHashes.includes(f.secretHash));
  const hashHit = byHash.find((l) => !matched.has(l)) ?? byHash[0];
  if (hashHit) return [hashHit, "hash"];
  const byLoc = labels.filter((l) => inSpan(l, f.startLine));
  const locHit = byLoc.find((l) => !matched.has(l)) ?? byLoc[0];
  return locHit ? [locHit, "location"] : null;
}

export function score(findings: ScanFinding[], labels: Label[], decoys: DecoyRecord[]): Score {
  const labelsByPath = groupByPath(labels);
  const decoysByPath = groupByPath(decoys);
  const matched = new Map<Label, Score["truePositives"][number]>();
  const out: Score = { truePositives: [], falseNegatives: [], falsePositives: [], duplicates: 0, informational: [] };
  for (const f of findings) {
    if (f.tags?.includes("encrypted")) {
      out.informational.push(f);
      continue;
    }
    const hit = findLabel(labelsByPath.get(f.path) ?? [], f, matched);
    if (!hit) {
      const trap = (decoysByPath.get(f.path) ?? []).find((d) => inSpan(d, f.startLine));
      out.falsePositives.push({ finding: f, trap: trap?.kind ?? "filler" });
      continue;
    }
    const [label, by] = hit;
    const seen = matched.get(label);
    if (seen) {
      out.duplicates++;
      seen.ruleIds.push(f.ruleId);
    } else {
      const tp = { label, finding: f, by, ruleIds: [f.ruleId] };
      matched.set(label, tp);
      out.truePositives.push(tp);
    }
  }
  out.falseNegatives = labels.filter((l) => !matched.has(l));
  return out;
}

export function ratios(tp: number, fp: number, fn: number): Ratios {
  const precision = tp + fp === 0 ? 1 : tp / (tp + fp);
  const recall = tp + fn === 0 ? 1 : tp / (tp + fn);
  const f1 = precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall);
  return { precision, recall, f1 };
}

/** Reads `--format json` output (an array) or `jsonl` (one object a line). */
export function parseFindings(text: string): ScanFinding[] {
  const t = text.trim();
  if (t === "") return [];
  if (t.startsWith("[")) return JSON.parse(t) as ScanFinding[];
  return t.split("\n").map((l) => JSON.parse(l) as ScanFinding);
}
