import assert from "node:assert/strict";
import { test } from "node:test";
import type { Finding } from "../../../src/findings/finding.js";
import { kindsFromMinKind, triageFindings } from "../../../src/findings/triage.js";
import { sampleFinding } from "../output/sample-findings.js";

const at = (path: string, startLine = 1): Finding => sampleFinding({ path, startLine, fileKind: undefined });

test("code and config first, then test, docs, example, generated, vendored; the scan's order within a kind", () => {
  const input = [
    at("vendor/x.go"),
    at("test/a.test.ts"),
    at("src/b.ts", 2),
    at("README.md"),
    at(".env"),
    at("src/b.ts", 1),
    at("dist/app.js"),
    at("examples/c.ts"),
  ];
  assert.deepEqual(
    triageFindings(input, null).map((f) => `${f.path}:${f.startLine}`),
    [
      "src/b.ts:2",
      "src/b.ts:1",
      ".env:1",
      "test/a.test.ts:1",
      "README.md:1",
      "examples/c.ts:1",
      "dist/app.js:1",
      "vendor/x.go:1",
    ],
  );
});

test("only the kinds asked for; a finding's own fileKind wins over its path", () => {
  const input = [at("test/a.test.ts"), at("src/b.ts"), sampleFinding({ path: "src/c.ts", fileKind: "generated" })];
  assert.deepEqual(
    triageFindings(input, kindsFromMinKind("config", "--min-kind")).map((f) => f.path),
    ["src/b.ts"],
  );
  assert.deepEqual(
    triageFindings(input, ["test", "generated"]).map((f) => f.path),
    ["test/a.test.ts", "src/c.ts"],
  );
  assert.deepEqual(kindsFromMinKind("code", "x"), ["code"]);
  assert.throws(() => kindsFromMinKind("nope", "--min-kind"), /--min-kind must be one of code, config/);
});
