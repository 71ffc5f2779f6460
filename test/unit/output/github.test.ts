import assert from "node:assert/strict";
import { test } from "node:test";
import { escapeData, escapeProperty, renderGithub } from "../../../src/output/github.js";
import { historyFinding, sampleContext, sampleFinding } from "./sample-findings.js";

test("one workflow command per finding with file, lines, columns and title", () => {
  const f = sampleFinding({ path: "/work/repo/src/app.ts" });
  const [line, summary] = renderGithub([f], sampleContext()).split("\n");
  assert.equal(
    line,
    `::error file=src/app.ts,line=12,endLine=12,col=15,endColumn=55,title=GitHub secret (github-pat)::` +
      `critical GitHub secret ${f.match} · code · fingerprint ${f.fingerprint}`,
  );
  assert.equal(summary, "leakstop: 1 leak found");
});

test("severity chooses the command: critical/high error, medium warning, low notice", () => {
  const commands = renderGithub(
    (["critical", "high", "medium", "low"] as const).map((severity) => sampleFinding({ severity })),
    sampleContext(),
  )
    .split("\n")
    .slice(0, 4)
    .map((line) => line.slice(0, line.indexOf(" ")));
  assert.deepEqual(commands, ["::error", "::error", "::warning", "::notice"]);
});

test("no findings prints only the summary", () => {
  assert.equal(renderGithub([], sampleContext()), "leakstop: no leaks found\n");
});

test("a commit-message finding has no file and names the commit", () => {
  const [line] = renderGithub([historyFinding({ path: "" })], sampleContext()).split("\n");
  assert.ok(line!.startsWith("::error title=GitHub secret (github-pat)::"));
  assert.ok(line!.includes("in commit 3f786850e387550fdab836ed7e6dc881de23001b (commit message)"));
});

test("values are escaped: a file name cannot end the command or inject another", () => {
  const f = sampleFinding({ path: "a,b:c%d\n::stop-commands::x\r.txt", match: "x%0A\n::add-mask::y…" });
  const output = renderGithub([f], sampleContext());
  const lines = output.split("\n");
  assert.equal(lines.length, 3, "one annotation line and the summary");
  // Control characters in a path are shown as text (\n, \r), as the text format shows them.
  assert.ok(lines[0]!.includes("file=a%2Cb%3Ac%25d\\n%3A%3Astop-commands%3A%3Ax\\r.txt,line=12"));
  assert.ok(lines[0]!.includes("x%250A\\n::add-mask::y…"));
  assert.ok(!/\n::(stop-commands|add-mask)/.test(output));
});

test("control characters in a path or match never reach the log raw, even after the runner unescapes", () => {
  const f = sampleFinding({ path: "a\u001b[31mred\u0007\u009b.txt", match: "ghp_\u001b]0;x\u0007" });
  const [line] = renderGithub([f], sampleContext()).split("\n");
  assert.ok(line!.includes("file=a\\u001b[31mred\\u0007\\u009b.txt,"), line);
  assert.ok(line!.includes("ghp_\\u001b]0;x\\u0007"), line);
  assert.doesNotMatch(line!, /[\u0000-\u001f\u007f-\u009f]/);
});

test("escaping follows the Actions runner's rules", () => {
  assert.equal(escapeData("50% done\r\nnext: a,b"), "50%25 done%0D%0Anext: a,b");
  assert.equal(escapeProperty("50% done\r\nnext: a,b"), "50%25 done%0D%0Anext%3A a%2Cb");
});
