/**
 * The check that the shared assignment forms and the provider forms share: one secret written in
 * each form is found by a built-in context rule (datadog-api-key) and by a rule written from
 * context + value alone, and a near miss of each form is not a finding.
 */
import assert from "node:assert/strict";
import { it } from "node:test";
import { builtinEngine, detect, engineFromToml } from "./engine.js";

/** The secret every form writes (32 hex: datadog-api-key's shape). */
export const FORM_KEY = "c0b8f3e91a7d4265be1f09d3a6c27e58";

/** A context rule written as data, with the built-in Datadog rule's names. */
export const DEMO_CONTEXT_RULE = `
[[rules]]
id = "demo-api-key"
provider = "Demo"
description = "demo key: a context rule written as data"
context = '''(?:datadog|\\bdd)[\\w.-]{0,20}?{section}?api[_.-]?key'''
value = '''([a-f0-9]{32})\\b'''
keywords = ["datadog", "dd_api", "dd-api", "ddapi", "dd.api"]
[rules.examples]
positives = ["DD_API_KEY=${FORM_KEY}"]
negatives = ["DD_API_KEY=${FORM_KEY}0"]
`;

/**
 * Registers, for both engines, a test that every [form, path, text] of `positives` yields FORM_KEY
 * and one that no [form, text] of `negatives` yields a finding of the rule.
 */
export function itFindsEveryForm(
  positives: [string, string, string][],
  negatives: [string, string][],
  foundTitle: string,
): void {
  const engines: [string, ReturnType<typeof builtinEngine>, string][] = [
    ["built-in datadog-api-key", builtinEngine(), "datadog-api-key"],
    ["a context rule from data", engineFromToml(DEMO_CONTEXT_RULE), "demo-api-key"],
  ];
  for (const [label, engine, ruleId] of engines) {
    it(`${label}: ${foundTitle}`, () => {
      const missed = positives
        .filter(([, path, text]) => {
          const found = detect(engine, text, path).filter((f) => f.ruleId === ruleId);
          return !found.some((f) => f.match === FORM_KEY);
        })
        .map(([form, path]) => `${form} (${path})`);
      assert.deepEqual(missed, []);
    });
    it(`${label}: a near miss of each form is not a finding`, () => {
      const found = negatives.filter(([, text]) => detect(engine, text).some((f) => f.ruleId === ruleId));
      assert.deepEqual(
        found.map(([form]) => form),
        [],
      );
    });
  }
}
