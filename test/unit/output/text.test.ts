import assert from "node:assert/strict";
import { test } from "node:test";
import { formatBytes } from "../../../src/lib/size.js";
import { describeStats, renderText } from "../../../src/output/text.js";
import { historyFinding, RAW_SECRET, sampleContext, sampleFinding } from "./sample-findings.js";

const ESC = "\u001b";

test("no findings prints 'no leaks found'", () => {
  assert.equal(renderText([], sampleContext()), "no leaks found\n");
});

test("a finding is one line: rule · severity · path:line:col · kind · match · fingerprint", () => {
  const f = sampleFinding();
  const [line, summary, end] = renderText([f], sampleContext()).split("\n");
  assert.equal(line, `github-pat · critical · src/app.ts:12:15 · code · ${f.match} · ${f.fingerprint}`);
  assert.equal(summary, "1 leak found (1 critical)");
  assert.equal(end, "");
});

test("the match is printed as given and the raw secret only when it is the match", () => {
  assert.ok(!renderText([sampleFinding()], sampleContext()).includes(RAW_SECRET));
  assert.ok(renderText([sampleFinding({}, true)], sampleContext()).includes(RAW_SECRET));
});

test("absolute paths are shown relative to the scan root", () => {
  const text = renderText([sampleFinding({ path: "/work/repo/config/.env" })], sampleContext());
  assert.ok(text.includes(" · config/.env:12:15 · "));
});

test("git findings show the short commit; commit-message findings say so", () => {
  const text = renderText(
    [historyFinding(), historyFinding({ path: "", startLine: 3, startColumn: 1, secretHash: "1".repeat(64) })],
    sampleContext(),
  );
  const [inFile, inMessage] = text.split("\n");
  assert.ok(inFile!.includes(" · src/app.ts:12:15 @3f786850e387 · "));
  assert.ok(inMessage!.includes(" · <commit 3f786850e387 message>:3:1 · "));
});

test("org-scan findings start with their repository", () => {
  const text = renderText(
    [
      historyFinding({ source: "org", repository: "acme/api" }),
      historyFinding({
        source: "org",
        repository: "acme/web",
        path: "",
        startLine: 3,
        startColumn: 1,
        secretHash: "1".repeat(64),
      }),
    ],
    sampleContext(),
  );
  const [inFile, inMessage] = text.split("\n");
  assert.ok(inFile!.includes(" · acme/api:src/app.ts:12:15 @3f786850e387 · "));
  assert.ok(inMessage!.includes(" · acme/web:<commit 3f786850e387 message>:3:1 · "));
});

test("the summary counts by severity, most severe first, and shows scan stats when given", () => {
  const findings = [
    sampleFinding({ severity: "low", secretHash: "1".repeat(64) }),
    sampleFinding({ severity: "critical", secretHash: "2".repeat(64) }),
    sampleFinding({ severity: "low", secretHash: "3".repeat(64) }),
    sampleFinding({ severity: "medium", secretHash: "4".repeat(64) }),
  ];
  const lines = renderText(findings, sampleContext({ stats: { files: 4847, bytes: 49283072, ms: 950.4 } })).split("\n");
  assert.equal(lines[4], "4 leaks found (1 critical, 1 medium, 2 low) · scanned 4,847 files (47.0 MiB) in 950 ms");
  assert.equal(
    renderText([], sampleContext({ stats: { files: 1, bytes: 10, ms: 2 } })),
    "no leaks found · scanned 1 file (10 B) in 2 ms\n",
  );
});

test("colour only when asked", () => {
  const findings = [sampleFinding()];
  assert.ok(!renderText(findings, sampleContext()).includes(ESC));
  const coloured = renderText(findings, sampleContext({ color: true }));
  assert.ok(coloured.includes(`${ESC}[1;31mcritical${ESC}[0m`));
  assert.ok(renderText([], sampleContext({ color: true })).includes(`${ESC}[32mno leaks found`));
});

test("control characters from scanned data are escaped, never sent to the terminal", () => {
  const f = sampleFinding({ path: `evil${ESC}]0;pwned\u0007\nname.txt`, match: "line1\nline2\u009b" });
  const text = renderText([f], sampleContext());
  assert.ok(!text.includes(ESC));
  assert.ok(!text.includes("\u0007"));
  assert.ok(!text.includes("\u009b"));
  assert.equal(text.split("\n").length, 3, "still one line per finding plus the summary");
  assert.ok(text.includes("evil\\u001b]0;pwned\\u0007\\nname.txt:12:15"));
  assert.ok(text.includes("line1\\nline2\\u009b"));
});

test("byte sizes use binary units", () => {
  assert.equal(formatBytes(0), "0 B");
  assert.equal(formatBytes(1023), "1023 B");
  assert.equal(formatBytes(1024), "1.0 KiB");
  assert.equal(formatBytes(3 * 1024 ** 3), "3.0 GiB");
  assert.equal(describeStats({ files: 0, bytes: 0, ms: 0 }), "scanned 0 files (0 B) in 0 ms");
  assert.equal(
    describeStats({ files: 0, bytes: 3000, ms: 14, skippedBinary: true }),
    "skipped binary input (2.9 KiB), scanned 0 files in 14 ms",
  );
});

test("a history scan's summary counts its commits and, when it read any, its annotated tags", () => {
  const history = { files: 6041, bytes: 1024, ms: 5, commits: 1701 };
  assert.equal(describeStats(history), "scanned 1,701 commits (6,041 blobs and messages, 1.0 KiB) in 5 ms");
  assert.equal(
    describeStats({ ...history, tags: 81 }),
    "scanned 1,701 commits and 81 tags (6,041 blobs and messages, 1.0 KiB) in 5 ms",
  );
  assert.match(describeStats({ ...history, commits: 1, tags: 1 }), /^scanned 1 commit and 1 tag \(/);
});

test("--quiet (summary: false) prints the findings only, and nothing at all when there are none", () => {
  assert.equal(renderText([], sampleContext({ summary: false })), "");
  const out = renderText([sampleFinding()], sampleContext({ summary: false }));
  assert.equal(out.trimEnd().split("\n").length, 1);
  assert.doesNotMatch(out, /leaks? found/);
});

test("one secret in several places is one line: the first place, then 'in N places' with the first few and …", () => {
  const places = ["src/app.ts", "test/app.test.ts", "docs/setup.md", "a.ts", "b.ts", "c.ts", "d.ts"];
  const findings = places.map((path, i) => sampleFinding({ path, startLine: i + 1, fileKind: undefined }));
  const other = sampleFinding({ path: "lib/x.ts", secretHash: "5".repeat(64) });
  const lines = renderText([...findings, other], sampleContext()).split("\n");
  assert.equal(lines.length, 4, "two secrets, a summary, the final newline");
  assert.ok(lines[0]!.startsWith("github-pat · critical · src/app.ts:1:15 · code · "));
  assert.ok(
    lines[0]!.endsWith(
      " · in 7 places: src/app.ts:1:15 (code), test/app.test.ts:2:15 (test), docs/setup.md:3:15 (docs), a.ts:4:15 (code), b.ts:5:15 (code), …",
    ),
  );
  assert.ok(lines[1]!.includes(" · lib/x.ts:12:15 · code · "));
  assert.doesNotMatch(lines[1]!, /places/);
  assert.equal(lines[2], "8 leaks found (8 critical)");
});
