/**
 * One test case published by another scanner, as `accuracy-peers` reads it: a text that scanner's
 * tests say holds a secret (positive; `want` lists the secrets where the test names them) or holds
 * none (negative). Cases are kept outside this repository, one JSON object a line, in *.jsonl files.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";

export interface PeerCase {
  /** Which scanner and version, e.g. "gitleaks v8.19.3". */
  source: string;
  /** That scanner's rule id (gitleaks) or detector folder (TruffleHog). */
  rule: string;
  kind: "positive" | "negative";
  text: string;
  /** The secrets the case names (positives); empty when the case only says "a finding". */
  want?: string[];
  /** A file path the case is tied to (gitleaks path rules). */
  path?: string;
  /** The test's own name for the row, if any. */
  name?: string;
}

/**
 * Every case in DIR/*.jsonl once (generated examples repeat), with a stable id: source, rule, kind
 * and its index among those.
 */
export function loadPeerCases(dir: string): (PeerCase & { id: string })[] {
  const out: (PeerCase & { id: string })[] = [];
  const seen = new Map<string, number>();
  const texts = new Set<string>();
  for (const f of readdirSync(dir)
    .filter((n) => n.endsWith(".jsonl"))
    .sort()) {
    for (const line of readFileSync(join(dir, f), "utf8").split("\n")) {
      if (!line.trim()) continue;
      const c = JSON.parse(line) as PeerCase;
      const key = `${c.source}:${c.rule}:${c.kind}`;
      if (texts.has(`${key}\0${c.path ?? ""}\0${c.text}`)) continue;
      texts.add(`${key}\0${c.path ?? ""}\0${c.text}`);
      const n = seen.get(key) ?? 0;
      seen.set(key, n + 1);
      out.push({ ...c, id: `${key}:${n}` });
    }
  }
  return out;
}
