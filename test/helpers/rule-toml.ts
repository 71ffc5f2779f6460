/** A complete user detector rule as TOML (an Acme token, `acme_` + 32 hex), for CLI tests of rule files. */

/** The rule's one positive example by default: a well-formed Acme token. */
export const ACME_TOKEN = "acme_8f3a9c1e7b2d4f6a0c5e9b1d3f7a2c4e";

/** The `[[rules]]` table of rule `id` with `regex` and these positive examples (one negative: `acme_short`). */
export function ruleToml(id: string, regex: string, positives: string[] = [ACME_TOKEN]): string {
  return `[[rules]]
id = "${id}"
provider = "Acme"
description = "An Acme token: whoever holds it calls the Acme API as its owner."
regex = '''${regex}'''
keywords = ["acme_"]
severity = "high"
references = ["https://example.com/docs/tokens"]
[rules.examples]
positives = ${JSON.stringify(positives)}
negatives = ["acme_short"]
`;
}
