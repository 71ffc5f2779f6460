import type { Finding } from "../../../src/findings/finding.js";
import { fingerprintOf } from "../../../src/findings/fingerprint.js";
import { redactSecret } from "../../../src/findings/redact.js";
import { sha256Hex } from "../../../src/lib/hash.js";
import type { RenderContext, RuleInfo } from "../../../src/output/index.js";

/** A made-up GitHub-shaped token: test data only, built at run time so no file holds it whole. */
export const RAW_SECRET = ["ghp", "_", "Zq8wXr4LmN2pK7sT1vY9bC3dF6gH0jA5eU8i"].join("");

/** A finding as the engine would produce it, with the match redacted unless `raw` is set. */
export function sampleFinding(overrides: Partial<Finding> = {}, raw = false): Finding {
  const secretHash = sha256Hex(RAW_SECRET);
  const ruleId = overrides.ruleId ?? "github-pat";
  return {
    ruleId,
    provider: "GitHub",
    description: "A GitHub personal access token: whoever holds it acts as the user on the API.",
    severity: "critical",
    path: "src/app.ts",
    startLine: 12,
    endLine: 12,
    startColumn: 15,
    endColumn: 15 + RAW_SECRET.length,
    match: raw ? RAW_SECRET : redactSecret(RAW_SECRET, 4),
    secretHash,
    fingerprint: fingerprintOf(ruleId, secretHash),
    validated: true,
    entropy: 4.7134,
    source: "tree",
    tags: ["vcs", "token"],
    ...overrides,
  };
}

/** A finding from history, with every git field. */
export function historyFinding(overrides: Partial<Finding> = {}): Finding {
  return sampleFinding({
    source: "history",
    commit: "3f786850e387550fdab836ed7e6dc881de23001b",
    author: "Ada Lovelace",
    email: "ada@example.com",
    date: "2026-11-20T10:00:00Z",
    repository: "acme/shop",
    ...overrides,
  });
}

export const SAMPLE_RULES: RuleInfo[] = [
  {
    id: "github-pat",
    provider: "GitHub",
    description: "A GitHub personal access token: whoever holds it acts as the user on the API.",
    severity: "critical",
    tags: ["vcs", "token"],
    references: ["https://docs.github.com/en/authentication/keeping-your-account-and-data-secure"],
  },
  {
    id: "stripe-secret-key",
    provider: "Stripe",
    description: "A Stripe secret key. It moves money.",
    severity: "high",
    tags: ["payments"],
    references: ["not a url", "https://docs.stripe.com/keys"],
  },
  {
    id: "generic-password",
    provider: "Generic",
    description: "A password assigned in code or config.",
    severity: "medium",
    tags: [],
    references: [],
  },
  { id: "slack-webhook", provider: "Slack", description: "", severity: "low", tags: ["chat"], references: [] },
];

export function sampleContext(overrides: Partial<RenderContext> = {}): RenderContext {
  return { rules: SAMPLE_RULES, root: "/work/repo", color: false, toolVersion: "0.1.0", ...overrides };
}
