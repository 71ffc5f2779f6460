/** Decides whether a candidate secret is allowlisted by a rule's, a file's or the user's allowlists. */
import type { CompiledAllowlist } from "./compile.js";
import { regexTest } from "./regex.js";

export interface Candidate {
  secret: string;
  match: string;
  /** Read lazily: only a regexTarget = "line" allowlist needs the line. */
  line: () => string;
  path: string;
}

/** True when the whole file is excluded by one of the allowlists' path patterns. */
export function pathAllowed(lists: CompiledAllowlist[], path: string): boolean {
  return lists.some((a) => a.paths.some((re) => regexTest(re, path)));
}

export function isAllowlisted(lists: CompiledAllowlist[], c: Candidate): boolean {
  for (const a of lists) {
    if (a.stopwords.length > 0) {
      const lower = c.secret.toLowerCase();
      if (a.stopwords.some((w) => lower.includes(w))) return true;
    }
    if (a.regexes.length > 0) {
      const target = a.target === "secret" ? c.secret : a.target === "match" ? c.match : c.line();
      if (a.regexes.some((re) => regexTest(re, target))) return true;
    }
  }
  return false;
}

/** Inline suppression: `leakstop:allow` (or gitleaks' `gitleaks:allow`) on the secret's line. */
export function hasInlineAllow(line: string): boolean {
  return line.includes("leakstop:allow") || line.includes("gitleaks:allow");
}
