/**
 * One secret, one entry (SPEC §4): every output that folds findings folds them the same way, by
 * `secretHash`, whatever rule found each place. JSON keeps one object per place with a shared `group`.
 */
import type { Finding } from "./finding.js";

/** Findings of one secret together, in the order each secret first came (the caller's order). */
export function groupBySecret(findings: readonly Finding[]): Finding[][] {
  const groups = new Map<string, Finding[]>();
  for (const f of findings) {
    const group = groups.get(f.secretHash);
    if (group) group.push(f);
    else groups.set(f.secretHash, [f]);
  }
  return [...groups.values()];
}
