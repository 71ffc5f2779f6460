import assert from "node:assert/strict";
import { test } from "node:test";
import { isOutputFormat, OUTPUT_FORMATS, type OutputFormat, renderFindings } from "../../../src/output/index.js";
import { historyFinding, RAW_SECRET, sampleContext, sampleFinding } from "./sample-findings.js";

const findings = [sampleFinding(), historyFinding({ path: "" })];

test("every format renders, and each dispatches to its own formatter", () => {
  const outputs = new Map(OUTPUT_FORMATS.map((format) => [format, renderFindings(format, findings, sampleContext())]));
  assert.ok(outputs.get("text")!.includes("2 leaks found"));
  assert.equal(JSON.parse(outputs.get("json")!).length, 2);
  assert.equal(outputs.get("jsonl")!.trim().split("\n").length, 2);
  assert.equal(JSON.parse(outputs.get("sarif")!).version, "2.1.0");
  assert.ok(outputs.get("github")!.startsWith("::error "));
});

test("no format prints a raw secret unless the match is raw", () => {
  for (const format of OUTPUT_FORMATS) {
    assert.ok(!renderFindings(format, findings, sampleContext()).includes(RAW_SECRET), format);
  }
});

test("formatters are pure: the same input gives the same output and the findings are not changed", () => {
  const before = JSON.stringify(findings);
  for (const format of OUTPUT_FORMATS) {
    assert.equal(renderFindings(format, findings, sampleContext()), renderFindings(format, findings, sampleContext()));
  }
  assert.equal(JSON.stringify(findings), before);
});

test("an unknown format is a usage error", () => {
  assert.equal(isOutputFormat("sarif"), true);
  assert.equal(isOutputFormat("xml"), false);
  assert.throws(
    () => renderFindings("xml" as OutputFormat, findings, sampleContext()),
    (err: Error & { code?: string }) => err.code === "LS_USAGE" && /unknown output format "xml"/.test(err.message),
  );
});

test("a large scan renders in every format (linear string building)", () => {
  const many = Array.from({ length: 20_000 }, (_, i) =>
    sampleFinding({ path: `src/file-${i}.ts`, startLine: i + 1, secretHash: i.toString(16).padStart(64, "0") }),
  );
  for (const format of OUTPUT_FORMATS) {
    const text = renderFindings(format, many, sampleContext());
    assert.ok(text.length > many.length * 50, format);
  }
});
