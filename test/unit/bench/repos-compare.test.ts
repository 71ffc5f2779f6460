/**
 * The real-repository check (bench/accuracy-repos.ts) counts every finding against a judged list by
 * repository and secretHash: precision and the "not a secret" share by fileKind, unjudged findings
 * shown as drift, judged secrets a tool no longer reports shown as gone. Synthetic inputs only.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  fromGitleaks,
  fromLeakstop,
  kindTable,
  recordSeen,
  renderReport,
  skeleton,
  tally,
} from "../../../bench/repos/compare.js";
import { type JudgedList, parseJudgedList } from "../../../bench/repos/judged.js";
import type { FileKind } from "../../../src/findings/file-kind.js";
import { secretHashOf } from "../../../src/findings/secret-hash.js";

const H = (c: string) => c.repeat(64);
const COMMIT = "a".repeat(40);

const leak = (path: string, secretHash: string, fileKind?: FileKind, extra: object = {}) => ({
  ruleId: "generic-secret",
  path,
  startLine: 3,
  secretHash,
  match: "abcd…",
  ...(fileKind ? { fileKind } : {}),
  ...extra,
});

function list(): JudgedList {
  return {
    repos: [{ name: "o+r", commit: COMMIT, history: true }],
    judgments: [
      {
        repo: "o+r",
        secretHash: H("1"),
        verdict: "fixture",
        reason: "test key",
        rules: [],
        at: [],
        by: ["leakstop:tree"],
      },
      { repo: "o+r", secretHash: H("2"), verdict: "not a secret", reason: "an id", rules: [], at: [], by: [] },
      {
        repo: "o+r",
        secretHash: H("3"),
        verdict: "real",
        reason: "live key",
        rules: [],
        at: [],
        by: ["leakstop:tree"],
      },
    ],
  };
}

describe("accuracy-repos comparison", () => {
  it("counts every finding by fileKind, precision over judged findings only", () => {
    const findings = fromLeakstop("o+r", "tree", [
      leak("test/a.spec.js", H("1"), "test"),
      leak("test/b.spec.js", H("1"), "test"),
      leak("docs/x.md", H("2"), "docs"),
      leak("src/k.js", H("3"), "code"),
      leak("src/new.js", H("4"), "code"),
    ]);
    const t = tally(findings, list(), new Map([["o+r", new Set(["leakstop:tree"])]]));
    const kinds = t.byKind.get("leakstop:tree")!;
    assert.deepEqual(kinds.get("all"), { findings: 5, real: 1, fixture: 2, notSecret: 1, unjudged: 1 });
    assert.deepEqual(kinds.get("test"), { findings: 2, real: 0, fixture: 2, notSecret: 0, unjudged: 0 });
    assert.deepEqual(kinds.get("code"), { findings: 2, real: 1, fixture: 0, notSecret: 0, unjudged: 1 });
    const table = kindTable(t, "leakstop:tree");
    assert.match(table, /\| \*\*all\*\* \| 5 \| 1 \| 2 \| 1 \| 1 \| 75\.0 % \| 25\.0 % \|/);
    assert.doesNotMatch(table, /\| config \|/, "kinds with no finding are left out");
    assert.deepEqual(t.secrets.get("leakstop:tree"), { real: 1, fixture: 1, "not a secret": 1, unjudged: 1 });
    assert.equal(t.unjudged.length, 1);
    assert.equal(t.unjudged[0]!.path, "src/new.js");
  });

  it("a verdict belongs to the value: the same secretHash in another repo is not judged", () => {
    const t = tally(fromLeakstop("x+y", "tree", [leak("a.js", H("1"), "code")]), list(), new Map());
    assert.equal(t.unjudged.length, 1);
  });

  it("takes a finding's kind from its path when the scanner gave none", () => {
    const [f] = fromLeakstop("o+r", "history", [leak("test/fixtures/k.json", H("1"), undefined, { commit: COMMIT })]);
    assert.equal(f!.fileKind, "test");
    assert.equal(f!.commit, COMMIT);
  });

  it("reads gitleaks: cuts the scanned folder off the path and hashes the secret as leakstop does", () => {
    const secret = Array.from({ length: 32 }, (_, i) => "abcdefghjkmnpqrstuvwxyz23456789"[(i * 11) % 31]).join("");
    const [f] = fromGitleaks(
      "o+r",
      "tree",
      [{ RuleID: "generic-api-key", File: "/tmp/trees/o+r/docs/setup.md", StartLine: 9, Secret: secret }],
      "/tmp/trees/o+r/",
    );
    assert.equal(f!.path, "docs/setup.md");
    assert.equal(f!.fileKind, "docs");
    assert.equal(f!.secretHash, secretHashOf(secret));
    assert.ok(!f!.shown.includes(secret.slice(0, 8)), "only a few characters are kept for display");
  });

  it("shows a judged secret a tool:scope no longer reports as gone, only where that pair ran", () => {
    const findings = fromLeakstop("o+r", "tree", [leak("test/a.spec.js", H("1"), "test")]);
    const gone = tally(findings, list(), new Map([["o+r", new Set(["leakstop:tree"])]])).gone;
    assert.deepEqual(
      gone.map((g) => [g.pair, g.judgment.secretHash]),
      [["leakstop:tree", H("3")]],
    );
    assert.equal(tally(findings, list(), new Map([["o+r", new Set(["leakstop:history"])]])).gone.length, 0);
  });

  it("writes unjudged findings as one judgment to fill in per secret, and records who reports judged ones", () => {
    const findings = [
      ...fromLeakstop("o+r", "tree", [leak("a.js", H("5"), "code"), leak("b.js", H("5"), "code")]),
      ...fromLeakstop("o+r", "history", [leak("a.js", H("5"), "code", { commit: COMMIT })]),
    ];
    const sk = skeleton(findings);
    assert.equal(sk.length, 1);
    assert.equal(sk[0]!.verdict, "?");
    assert.deepEqual(sk[0]!.by, ["leakstop:tree", "leakstop:history"]);
    assert.deepEqual(sk[0]!.at, ["tree a.js:3", "tree b.js:3", "history aaaaaaa a.js:3"]);
    const judged = list();
    const [gl] = fromGitleaks("o+r", "tree", [{ RuleID: "generic-api-key", File: "t.js", StartLine: 1, Secret: "x" }]);
    judged.judgments[0]!.secretHash = gl!.secretHash;
    assert.equal(recordSeen(judged, [gl!]), 2);
    assert.deepEqual(judged.judgments[0]!.by, ["leakstop:tree", "gitleaks:tree"]);
    assert.deepEqual(judged.judgments[0]!.rules, ["gitleaks:generic-api-key"]);
  });

  it("the report names unjudged findings by location, redacted, never by value", () => {
    const findings = fromLeakstop("o+r", "tree", [leak("src/new.js", H("4"), "code")]);
    const out = renderReport(tally(findings, list(), new Map()), ["leakstop:tree", "gitleaks:tree"], 10);
    assert.match(out, /Unjudged findings: 1/);
    assert.match(out, /src\/new\.js:3 \[code\] abcd… 444444444444/);
    assert.match(out, /## gitleaks:tree: no findings/);
  });

  it("rejects a judged list with an unknown verdict, a short commit or a secret judged twice", () => {
    const ok = list();
    assert.doesNotThrow(() => parseJudgedList(JSON.stringify(ok)));
    const bad = list();
    (bad.judgments[0] as { verdict: string }).verdict = "maybe";
    assert.throws(() => parseJudgedList(JSON.stringify(bad)), /verdict/);
    const short = list();
    short.repos[0]!.commit = "abc";
    assert.throws(() => parseJudgedList(JSON.stringify(short)), /40 hex/);
    const twice = list();
    twice.judgments.push({ ...twice.judgments[0]! });
    assert.throws(() => parseJudgedList(JSON.stringify(twice)), /twice/);
  });
});
