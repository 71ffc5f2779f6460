/**
 * The registry's credential screen for free-text fields, built on leakstop's own
 * detection engine (every built-in detector, own keys with their checksum). It is
 * compiled once per process, by the entry point (server start-up, or the CLI for
 * the subcommands that store text); the verify path never loads it.
 */
import { buildRuleSet } from "../config/ruleset.js";
import { compileEngine, onlyUserRules } from "../detection/compile.js";
import { detectFragment } from "../detection/detect.js";
import { wholeFragment } from "../sources/fragment.js";
import type { SecretScreen } from "./free-text.js";

/**
 * Compiles the built-in detectors into a screen: text in, the first matching rule id (or null)
 * out. `eager` (the server) compiles every regex now; otherwise each compiles on first use
 * (a one-shot CLI run).
 */
export function compileSecretScreen(opts: { eager?: boolean } = {}): SecretScreen {
  const ruleSet = buildRuleSet(null, [], { examples: false });
  const eager = opts.eager ?? true;
  const engine = compileEngine(ruleSet, eager ? () => true : onlyUserRules);
  return (text) => {
    if (text.length < 8) return null;
    const fragment = wholeFragment(Buffer.from(text, "utf8"), { path: "registry-field", source: "tree" });
    const findings = detectFragment(engine, fragment, { showSecrets: false });
    return findings[0]?.ruleId ?? null;
  };
}
