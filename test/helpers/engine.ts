/** Builds engines from inline TOML for tests, with or without the built-in detectors. */

import { parse } from "smol-toml";
import { buildRuleSet } from "../../src/config/ruleset.js";
import { compileEngine, type Engine } from "../../src/detection/compile.js";
import { detectFragment } from "../../src/detection/detect.js";
import type { Finding } from "../../src/findings/finding.js";
import { readDetectorData } from "../../src/rules/load-detectors.js";
import type { RuleSet } from "../../src/rules/rule-set.js";
import { Problems } from "../../src/rules/toml-schema.js";
import { wholeFragment } from "../../src/sources/fragment.js";

/** The demo rule most engine tests share: a `dmo_` prefix and 24 alphanumerics, no checksum. */
export const DEMO_TOKEN_RULE = `[[rules]]
id = "demo-token"
provider = "Demo"
description = "demo token for tests"
regex = '''\\b(dmo_[0-9A-Za-z]{24})\\b'''
keywords = ["dmo_"]
[rules.examples]
positives = ["dmo_Q3vX9kLp2Zt7Rw4Yb8Nc1Md6"]
negatives = ["dmo_short"]
`;

/** A rule set holding only the rules of `toml` (a detector file's text). */
export function ruleSetFromToml(toml: string, issuers: string[] = []): RuleSet {
  const p = new Problems();
  const set = readDetectorData(parse(toml), "inline.toml", p, false);
  if (p.list.length > 0) throw new Error(p.list.join("\n"));
  return { rules: set.rules, allowlists: set.allowlists, settings: { issuers }, skipped: [] };
}

/** An engine holding only the rules of `toml` (a detector file's text). */
export function engineFromToml(toml: string, issuers: string[] = []): Engine {
  return compileEngine(ruleSetFromToml(toml, issuers));
}

let builtin: Engine | undefined;
/** The engine `leakstop scan` uses with no config (built once per test file). */
export function builtinEngine(): Engine {
  if (!builtin) {
    const rs = buildRuleSet(null, []);
    builtin = compileEngine(rs);
  }
  return builtin;
}

export function detect(engine: Engine, text: string, path = "file.txt", showSecrets = true): Finding[] {
  return detectFragment(engine, wholeFragment(Buffer.from(text, "utf8"), { path, source: "tree" }), { showSecrets });
}
