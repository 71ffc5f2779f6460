/**
 * Peer cases judged wrong by hand: a "positive" that is no secret in its provider's documented
 * format (or a placeholder), or a "negative" that is one. Each judgment names the peer rule, says
 * why, and tests the case's text, so a new version of the cases is judged by the same reasons.
 * A judgment is only consulted for a case leakstop got "wrong".
 */
import type { PeerCase } from "./peer-case.js";

interface Judgment {
  /** "gitleaks:rule-id" or "trufflehog:detector" (the source's first word). */
  rule: string;
  kind: PeerCase["kind"];
  applies: (text: string) => boolean;
  why: string;
}

/** A PEM block whose body holds no base64 run long enough to be any key. */
const pemWithoutKey = (text: string) => /-----BEGIN [A-Z ]*PRIVATE KEY/.test(text) && !/[A-Za-z0-9+/]{64}/.test(text);

const JUDGMENTS: Judgment[] = [
  {
    rule: "gitleaks:private-key",
    kind: "positive",
    applies: pemWithoutKey,
    why: "the PEM body holds no key material",
  },
  {
    rule: "gitleaks:slack-webhook-url",
    kind: "positive",
    // Documented: hooks.slack.com/services/T…/B…/<secret>, workflows/T…/A…/<id>/<secret>.
    applies: (text) => !/hooks\.slack\.com\/(?:services|workflows)\/T[A-Z0-9]+\//.test(text),
    why: "no workspace id (T…) in the path: not Slack's documented webhook URL",
  },
  ...["gitleaks:snyk-api-token", "gitleaks:heroku-api-key"].map((rule) => ({
    rule,
    kind: "positive" as const,
    applies: (text: string) => text.includes("12345678-ABCD-ABCD-ABCD-1234567890AB"),
    why: "a placeholder UUID",
  })),
];

/** Why a case is judged wrong, if it is. */
export function judgedWrong(c: PeerCase): string | undefined {
  const rule = `${c.source.split(" ")[0]}:${c.rule}`;
  return JUDGMENTS.find((j) => j.rule === rule && j.kind === c.kind && j.applies(c.text))?.why;
}
