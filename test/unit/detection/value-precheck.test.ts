/**
 * The value pre-check may only skip a context rule where its regex matches nowhere: over every
 * built-in context rule and texts made of the rule examples (each rule's own and its neighbours'),
 * "value absent" always means "no match".
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { CompiledRule } from "../../../src/detection/compile.js";
import { execBuffer } from "../../../src/detection/regex.js";
import { valueMayOccur } from "../../../src/detection/value-precheck.js";
import { builtinEngine } from "../../helpers/engine.js";

const matches = (rule: CompiledRule, data: Buffer) => {
  rule.regex.lastIndex = 0;
  return execBuffer(rule.regex, data) !== null;
};

describe("value pre-check", () => {
  it("skips a context rule only where its regex matches nowhere", () => {
    const engine = builtinEngine();
    const context = engine.rules.filter((r) => r.spec.context !== undefined);
    assert.ok(context.length > 100, `${context.length} context rules`);
    const examples = engine.rules.flatMap((r) => [...r.spec.examples.positives, ...r.spec.examples.negatives]);
    let skipped = 0;
    context.forEach((rule, i) => {
      const own = [...rule.spec.examples.positives, ...rule.spec.examples.negatives];
      const texts = [...own, ...examples.slice((i * 7) % examples.length, ((i * 7) % examples.length) + 40)];
      // Its names with someone else's value, and its value with no name at all.
      texts.push(own.join("\n"), texts.join("\n"));
      for (const text of texts) {
        const data = Buffer.from(text);
        if (valueMayOccur(engine, rule, data, new Map())) continue;
        skipped++;
        assert.equal(matches(rule, data), false, `${rule.spec.id} on ${JSON.stringify(text.slice(0, 80))}`);
      }
    });
    assert.ok(skipped > 1000, `skipped ${skipped} runs`);
  });

  it("finds every positive example's value, so no context rule's own example is skipped", () => {
    const engine = builtinEngine();
    for (const rule of engine.rules.filter((r) => r.spec.context !== undefined))
      for (const text of rule.spec.examples.positives)
        assert.ok(valueMayOccur(engine, rule, Buffer.from(text), new Map()), `${rule.spec.id}: ${text.slice(0, 40)}`);
  });

  it("lets a rule run when its regex is not its context and value composed", () => {
    const engine = builtinEngine();
    const rule = engine.rules.find((r) => r.spec.context !== undefined)!;
    const edited = Object.create(rule, { spec: { value: { ...rule.spec, regex: `${rule.spec.regex}|x` } } });
    assert.equal(valueMayOccur(engine, edited, Buffer.from("-"), new Map()), true);
    assert.equal(valueMayOccur(engine, rule, Buffer.from("-"), new Map()), false);
  });
});
