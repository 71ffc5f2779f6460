import assert from "node:assert/strict";
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";
import { baselineOf, readBaseline, writeBaseline } from "../../../src/findings/baseline.js";
import { fingerprintOf } from "../../../src/findings/fingerprint.js";
import { renderJson } from "../../../src/output/json.js";
import { renderJsonl } from "../../../src/output/jsonl.js";
import { historyFinding, RAW_SECRET, sampleFinding } from "../output/sample-findings.js";

const dir = mkdtempSync(join(tmpdir(), "leakstop-baseline-"));
after(() => rmSync(dir, { recursive: true, force: true }));

const findings = [
  sampleFinding({ path: "z/last.ts" }),
  sampleFinding({ path: "a/first.ts" }), // same secret and rule: same fingerprint, one entry
  sampleFinding({ ruleId: "generic-password", fingerprint: fingerprintOf("generic-password", "00".repeat(32)) }),
  historyFinding({ path: "", fingerprint: fingerprintOf("slack-webhook", "11".repeat(32)), ruleId: "slack-webhook" }),
];

function fileWith(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

function assertInvalid(path: string, reason: RegExp): void {
  assert.throws(
    () => readBaseline(path),
    (err: Error & { code?: string; exitCode?: number }) => {
      assert.equal(err.code, "LS_BASELINE_INVALID");
      assert.equal(err.exitCode, 2);
      assert.ok(err.message.includes(path), "names the file");
      assert.ok(!err.message.includes("\n"), "one line");
      assert.match(err.message, reason);
      return true;
    },
  );
}

test("write then read gives back every fingerprint", () => {
  const path = join(dir, "round-trip.json");
  writeBaseline(path, findings);
  assert.deepEqual(readBaseline(path), new Set(findings.map((f) => f.fingerprint)));
});

test("the written file has the documented shape, sorted and deduplicated, and no secret", () => {
  const path = join(dir, "shape.json");
  writeBaseline(path, findings);
  const text = readFileSync(path, "utf8");
  const file = JSON.parse(text);
  assert.deepEqual(Object.keys(file), ["version", "tool", "fingerprints"]);
  assert.equal(file.version, 1);
  assert.equal(file.tool, "leakstop");
  assert.equal(file.fingerprints.length, 3);
  for (const entry of file.fingerprints) assert.deepEqual(Object.keys(entry), ["fingerprint", "ruleId", "path"]);
  assert.deepEqual(
    file.fingerprints.map((e: { path: string }) => e.path),
    ["", "a/first.ts", "src/app.ts"],
  );
  assert.ok(!text.includes(RAW_SECRET), "no raw secret");
  assert.ok(!text.includes(findings[0]!.secretHash), "not even the secret's hash");
  assert.ok(text.endsWith("}\n"));
});

test("an empty scan writes an empty baseline that reads back as empty", () => {
  const path = join(dir, "empty.json");
  writeBaseline(path, []);
  assert.deepEqual(baselineOf([]).fingerprints, []);
  assert.equal(readBaseline(path).size, 0);
});

test("a --format json report is accepted as a baseline", () => {
  const path = fileWith("report.json", renderJson(findings));
  assert.deepEqual(readBaseline(path), new Set(findings.map((f) => f.fingerprint)));
  assert.equal(readBaseline(fileWith("empty-report.json", "[]\n")).size, 0);
});

test("a --format jsonl report is accepted as a baseline", () => {
  const path = fileWith("report.jsonl", renderJsonl(findings));
  assert.deepEqual(readBaseline(path), new Set(findings.map((f) => f.fingerprint)));
});

test("a file that is not a baseline is LS_BASELINE_INVALID with a one-line message naming it", () => {
  assertInvalid(fileWith("not-json.txt", "hello world\n"), /not JSON/);
  assertInvalid(fileWith("empty.txt", ""), /not JSON/);
  assertInvalid(fileWith("number.json", "42"), /object or an array/);
  assertInvalid(fileWith("other-tool.json", '{"version":1,"tool":"other","fingerprints":[]}'), /tool/);
  assertInvalid(fileWith("future.json", '{"version":2,"tool":"leakstop","fingerprints":[]}'), /version 2/);
  assertInvalid(fileWith("no-list.json", '{"version":1,"tool":"leakstop","fingerprints":{}}'), /not an array/);
  assertInvalid(
    fileWith("bad-entry.json", '{"version":1,"tool":"leakstop","fingerprints":[{"fingerprint":"NOT HEX!"}]}'),
    /entry 0/,
  );
  // A gitleaks report spells it "Fingerprint" and uses another scheme: refuse rather than ignore nothing.
  assertInvalid(fileWith("gitleaks.json", '[{"Fingerprint":"abc:file.txt:generic:3"}]'), /report entry 0/);
});

test("a version that is a string is reported by its type, not its value", () => {
  const path = fileWith("string-version.json", `{"version":"${RAW_SECRET}","tool":"leakstop","fingerprints":[]}`);
  assert.throws(
    () => readBaseline(path),
    (err: Error) => !err.message.includes(RAW_SECRET) && /version string/.test(err.message),
  );
});

test("an unreadable or missing baseline is LS_IO", () => {
  const missing = join(dir, "does-not-exist.json");
  assert.throws(
    () => readBaseline(missing),
    (err: Error & { code?: string }) => err.code === "LS_IO" && err.message.includes(missing),
  );
  assert.throws(
    () => readBaseline(dir),
    (err: Error & { code?: string }) => err.code === "LS_IO" && /EISDIR/.test(err.message),
  );
});

test("writing into a missing directory is LS_IO and leaves no temporary file", () => {
  const target = join(dir, "missing-dir", "baseline.json");
  assert.throws(
    () => writeBaseline(target, findings),
    (err: Error & { code?: string }) => err.code === "LS_IO" && err.message.includes(target),
  );
  assert.deepEqual(
    readdirSync(dir).filter((name) => name.endsWith(".tmp")),
    [],
  );
});
