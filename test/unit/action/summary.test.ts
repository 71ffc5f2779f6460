import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { MAX_SUMMARY_ROWS, renderSummary, type SummaryContext } from "../../../src/action/summary.js";
import { historyFinding, RAW_SECRET, sampleFinding } from "../output/sample-findings.js";

const ctx: SummaryContext = {
  label: "push to refs/heads/main: 1a2b3c4d5e6f..6f5e4d3c2b1a",
  notes: [],
  repositoryUrl: "https://github.com/acme/shop",
  sha: "f".repeat(40),
  baselined: 0,
  sarifPath: "/home/runner/work/shop/leakstop.sarif",
};

describe("job summary", () => {
  it("a clean run says so and what was scanned", () => {
    const md = renderSummary([], ctx);
    assert.match(
      md,
      /^### leakstop: no leaks found\n\nScanned: push to refs\/heads\/main: 1a2b3c4d5e6f\.\.6f5e4d3c2b1a\./,
    );
    assert.ok(!md.includes("| Severity"));
  });

  it("one row per finding, linking the file at its commit and the commit", () => {
    const f = historyFinding({ path: "config/app.env", startLine: 3, endLine: 3, startColumn: 9 });
    const md = renderSummary([f], ctx);
    assert.match(md, /^### leakstop: 1 leak found/);
    const row = md.split("\n").find((l) => l.startsWith("| critical"))!;
    assert.ok(
      row.includes(
        `<a href="https://github.com/acme/shop/blob/${f.commit}/config/app.env#L3"><code>config/app.env:3:9</code></a>`,
      ),
    );
    assert.ok(row.includes(`<a href="https://github.com/acme/shop/commit/${f.commit}"><code>3f786850e387</code></a>`));
    assert.ok(row.includes(`<code>${f.fingerprint}</code>`));
    assert.ok(md.includes("Revoke or rotate"));
  });

  it("a tree finding links the workflow's commit; a commit message has no link", () => {
    const md = renderSummary([sampleFinding(), historyFinding({ path: "", startLine: 2 })], ctx);
    assert.ok(md.includes(`/blob/${ctx.sha}/src/app.ts#L12`));
    assert.ok(md.includes("| commit message, line 2 |"));
  });

  it("never carries a raw secret it was not given, and escapes every cell", () => {
    const hostile = sampleFinding({ path: "a|b/<img src=x>/`x`\n*y*.env", match: "ghp_|<b>…" });
    const md = renderSummary([hostile], ctx);
    assert.ok(!md.includes(RAW_SECRET));
    const row = md.split("\n").find((l) => l.startsWith("| critical"))!;
    assert.equal(row.split(" | ").length, 6, "no cell breaks the table");
    assert.ok(!row.includes("<img") && !row.includes("<b>"));
    assert.ok(row.includes("a&#124;b/&lt;img src=x&gt;/&#96;x&#96;&#92;n&#42;y&#42;.env"));
    assert.ok(
      row.includes("a%7Cb/%3Cimg%20src%3Dx%3E/%60x%60%0A&#42;y&#42;.env#L12"),
      "the link's path is percent-encoded",
    );
  });

  it("caps the table, notes and the baseline count are shown", () => {
    const many = Array.from({ length: MAX_SUMMARY_ROWS + 5 }, (_, i) => sampleFinding({ startLine: i + 1 }));
    const md = renderSummary(many, { ...ctx, notes: [{ text: "first push: every commit" }], baselined: 2 });
    assert.equal(md.split("\n").filter((l) => l.startsWith("| critical")).length, MAX_SUMMARY_ROWS);
    assert.match(md, /… and 5 more/);
    assert.match(md, /> first push: every commit/);
    assert.match(md, /2 known finding\(s\) hidden by the baseline/);
  });
});
