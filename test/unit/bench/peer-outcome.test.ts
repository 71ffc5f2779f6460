/**
 * accuracy-peers leaves a case judged wrong out of both figures whatever leakstop did on it: a judged
 * case leakstop gets "right" must not stay in the denominator (it would flatter found % and reported %).
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { judge, positiveElsewhere } from "../../../bench/accuracy-peers.js";
import { judgedWrong } from "../../../bench/peers/judged.js";
import { ELSEWHERE, figures, leftOut, type Outcome } from "../../../bench/peers/outcome.js";
import type { PeerCase } from "../../../bench/peers/peer-case.js";
import { providerMap } from "../../../bench/peers/provider-map.js";
import { buildRuleSet } from "../../../src/config/ruleset.js";
import { compileEngine } from "../../../src/detection/compile.js";

const TH = "trufflehog test";
const peer = (c: PeerCase, n = 0): PeerCase & { id: string } => ({ ...c, id: `${c.source}:${c.rule}:${c.kind}:${n}` });
const never = () => false;

/** A random-looking value built at run time (24 distinct letters and digits), so no key is written here. */
const RANDOM = Array.from({ length: 24 }, (_, i) => "abcdefghjkmnpqrstuvwxyz23456789"[(i * 7) % 31]).join("");
/** A TruffleHog row that holds a valid key under a credential's name, only far from the provider's name. */
const farKeyword = peer({
  source: TH,
  rule: "demo",
  kind: "negative",
  name: "valid pattern - no keyword",
  text: `[DEBUG] Using Key=${RANDOM}\n`,
});
const plainNegative = peer({ source: TH, rule: "demo", kind: "negative", text: "just some prose\n" }, 1);

describe("peer cases judged wrong", () => {
  it("are judged from the case alone, before leakstop runs", () => {
    assert.equal(leftOut(farKeyword, never)?.class.startsWith("case itself wrong"), true);
    assert.equal(leftOut(plainNegative, never), undefined);
  });

  it("a far-keyword row is judged only when its value sits under a credential's name", () => {
    const underData = { ...farKeyword, text: `demo keyword is not close to the real key in the data\n = '${RANDOM}'` };
    assert.equal(judgedWrong(farKeyword)?.class.includes("keyword nearer"), true);
    assert.equal(judgedWrong(underData), undefined, "a bare `data =` row is an ordinary negative");
  });

  it("a random value under a credential's name excludes expansions, `=`-led and quote-holding values, inner words", () => {
    const row = (text: string) => ({ ...plainNegative, name: "invalid pattern", text });
    assert.equal(judgedWrong(row(`apiKey := "${RANDOM}"`))?.class.includes("exact format"), true);
    assert.equal(judgedWrong(row(`DEMO_ACCESS_KEY=\${DEMO_ACCESS_KEY:=${RANDOM}}`)), undefined, "shell expansion");
    assert.equal(judgedWrong(row(`key = '=${RANDOM}'`)), undefined, "a value beginning with =");
    assert.equal(judgedWrong(row(`demo_api_token = "token:"${RANDOM}""`)), undefined, "a string holding quotes");
    assert.equal(judgedWrong(row(`monkeylearn = '${RANDOM}'`)), undefined, "key only inside a longer word");
  });

  it("a positive whose named secrets all hold a typed stand-in is left out; a drawn one is not", () => {
    const pos = (want: string[]) => peer({ source: TH, rule: "demo", kind: "positive", text: want.join("\n"), want });
    for (const standIn of [
      "demo_live_" + "b".repeat(30),
      "demo-abcdefgh" + RANDOM,
      `demo_${RANDOM}FAKE`,
      "a1b2c3d4e5f6a7b8",
    ]) {
      assert.equal(judgedWrong(pos([standIn]))?.class, "case itself wrong", standIn);
    }
    assert.equal(judgedWrong(pos([`demo_${RANDOM}`])), undefined, "a drawn value");
    assert.equal(
      judgedWrong(pos([`demo_${RANDOM}`, "demo_live_" + "b".repeat(30)])),
      undefined,
      "one drawn secret of two",
    );
    // base64 zero bytes inside a token are no stand-in; a whole credential file is not judged by one field
    assert.equal(judgedWrong(pos([`0.AgABAAAAAAD${RANDOM}`])), undefined, "zero bytes in base64");
    assert.equal(judgedWrong(pos([`{"client_id":"123456789012","key":"${RANDOM.repeat(12)}"}`])), undefined);
    // past 256 characters: judged by a stand-in inside the key material, not by a typed field or host beside it
    const long = RANDOM.repeat(12);
    assert.equal(judgedWrong(pos([`FlyV1 fm2_${long}abcdefghijklmnop${long}`]))?.class, "case itself wrong");
    assert.equal(judgedWrong(pos([`https://defaultabc123def456.example.com/x?sig=${long}`])), undefined);
  });

  it("URLs with stand-in passwords and jwt.io's example claims are left out; a drawn password is not", () => {
    const pos = (want: string[], rule = "demo") =>
      peer({ source: TH, rule, kind: "positive", text: want.join("\n"), want });
    assert.equal(judgedWrong(pos(["amqps://user123:pass456@mq.internal:5672/vh"]))?.class, "case itself wrong");
    assert.equal(
      judgedWrong(pos(["sqlserver://sa:P%40ssw0rd%21@localhost?database=master"]))?.class,
      "case itself wrong",
    );
    assert.equal(
      judgedWrong(pos(["jdbc:hive2://h.example.com:10000/db;user=u;password=MyPa$$w0rd..."]))?.class,
      "case itself wrong",
    );
    assert.equal(judgedWrong(pos([`amqps://svc:${RANDOM}@mq.internal:5672/vh`])), undefined, "a drawn password");
    assert.equal(judgedWrong(pos([`https://store.blob.core.windows.net/c?sig=${RANDOM}`])), undefined, "no password");
    const jwtIo = `eyJhbGciOiJFZERTQSJ9.eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4gRG9lIn0.${RANDOM}`;
    assert.equal(judgedWrong(pos([jwtIo], "jwt"))?.class.includes("documented example"), true);
  });

  it("a negative that another rule of the same scanner reports is left out, reported or not", () => {
    const positive: PeerCase = { source: TH, rule: "other", kind: "positive", text: "same text\n" };
    const negative = peer({ source: TH, rule: "demo", kind: "negative", text: "same text\n" });
    assert.equal(leftOut(negative, positiveElsewhere([positive, negative]))?.class, ELSEWHERE);
    assert.equal(leftOut({ ...negative, source: "gitleaks test" }, positiveElsewhere([positive])), undefined);
  });

  it("a judged case leakstop gets right leaves the numerator and the denominator", () => {
    const rules = buildRuleSet(null, [], { examples: false });
    const engine = compileEngine(rules);
    const map = providerMap(rules.rules);
    const judged = judge(engine, map, never, farKeyword);
    assert.equal(judged.ok, true, "leakstop reports nothing on it");
    assert.ok(judged.judged, "and it is judged all the same");
    const counted = judge(engine, map, never, plainNegative);
    assert.equal(counted.ok, true);
    assert.equal(counted.judged, undefined);
    const f = figures([judged, counted]);
    assert.deepEqual([f.negatives, f.reported, f.judged, f.judgedRight], [1, 0, 1, 1]);
  });

  it("figures count judged positives out whether found or missed", () => {
    const c = peer({ source: TH, rule: "demo", kind: "positive", text: "x" });
    const out = (ok: boolean, judged: boolean): Outcome => ({
      c,
      provider: "Demo",
      findings: [],
      ok,
      ...(judged ? { judged: { class: "case itself wrong" as const } } : {}),
    });
    const f = figures([out(true, true), out(false, true), out(true, false), out(false, false)]);
    assert.deepEqual([f.positives, f.found, f.judged, f.judgedRight], [2, 1, 2, 1]);
  });
});
