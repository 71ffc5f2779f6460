import assert from "node:assert/strict";
import { test } from "node:test";
import { findingToJson, renderJson } from "../../../src/output/json.js";
import { renderJsonl } from "../../../src/output/jsonl.js";
import { historyFinding, RAW_SECRET, sampleFinding } from "./sample-findings.js";

const TREE_FIELDS = [
  "ruleId",
  "provider",
  "description",
  "severity",
  "path",
  "startLine",
  "endLine",
  "startColumn",
  "endColumn",
  "match",
  "secretHash",
  "fingerprint",
  "validated",
  "entropy",
  "source",
  "tags",
  "fileKind",
  "group",
];
const TAIL = ["tags", "fileKind", "group"];
const GIT_FIELDS = [...TREE_FIELDS.slice(0, -3), "commit", "author", "email", "date", "repository", ...TAIL];

test("a working-tree finding has exactly the SPEC §4 fields, in order, without the git ones", () => {
  const [object] = JSON.parse(renderJson([sampleFinding()]));
  assert.deepEqual(Object.keys(object), TREE_FIELDS);
  assert.equal(object.entropy, 4.71);
  assert.equal(object.validated, true);
  assert.deepEqual(object.tags, ["vcs", "token"]);
});

test("fileKind comes from the finding, else from its path; group is shared by one secret and stable", () => {
  const a = findingToJson(sampleFinding({ fileKind: "test" }));
  const b = findingToJson(sampleFinding({ path: "docs/setup.md" }));
  const other = findingToJson(sampleFinding({ secretHash: "0".repeat(64) }));
  assert.equal(a.fileKind, "test");
  assert.equal(b.fileKind, "docs");
  assert.equal(a.group, b.group);
  assert.match(String(a.group), /^[0-9a-f]{12}$/);
  assert.notEqual(a.group, other.group);
  assert.equal(other.group, findingToJson(sampleFinding({ secretHash: "0".repeat(64) })).group);
});

test("a history finding adds commit, author, email, date and repository before tags", () => {
  const [object] = JSON.parse(renderJson([historyFinding()]));
  assert.deepEqual(Object.keys(object), GIT_FIELDS);
  assert.equal(object.commit, "3f786850e387550fdab836ed7e6dc881de23001b");
});

test("only the optional fields present are written; validated null stays null", () => {
  const object = findingToJson(sampleFinding({ commit: "abc123", validated: null, entropy: Number.NaN }));
  assert.deepEqual(Object.keys(object), [...TREE_FIELDS.slice(0, -3), "commit", ...TAIL]);
  assert.equal(object.validated, null);
  assert.equal(object.entropy, 0);
});

test("fields a finding object carries beyond SPEC §4 never reach the output", () => {
  const leaky = { ...sampleFinding(), rawSecret: RAW_SECRET } as ReturnType<typeof sampleFinding>;
  const text = renderJson([leaky]) + renderJsonl([leaky]);
  assert.ok(!text.includes(RAW_SECRET));
});

test("the match is printed as given: redacted by default, raw only when the engine passes it raw", () => {
  assert.ok(!renderJson([sampleFinding()]).includes(RAW_SECRET));
  assert.equal(JSON.parse(renderJson([sampleFinding({}, true)]))[0].match, RAW_SECRET);
});

test("json is an indented array with a trailing newline; no findings is []", () => {
  assert.equal(renderJson([]), "[]\n");
  const text = renderJson([sampleFinding(), historyFinding()]);
  assert.ok(text.startsWith("[\n  {\n"));
  assert.ok(text.endsWith("]\n"));
  assert.equal(JSON.parse(text).length, 2);
});

test("jsonl is one JSON object a line, the same objects as json", () => {
  const findings = [sampleFinding(), historyFinding({ path: "", match: "multi\nline…" })];
  const text = renderJsonl(findings);
  const lines = text.split("\n");
  assert.equal(lines.pop(), "");
  assert.equal(lines.length, 2);
  assert.deepEqual(
    lines.map((line) => JSON.parse(line)),
    JSON.parse(renderJson(findings)),
  );
  assert.equal(renderJsonl([]), "");
});
