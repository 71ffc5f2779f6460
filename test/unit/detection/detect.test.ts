import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { DEMO_TOKEN_RULE, detect, engineFromToml } from "../../helpers/engine.js";

const RULES = `
[[rules]]
id = "demo-token"
provider = "Demo"
description = "demo token for tests"
regex = '''\\b(dmo_[0-9A-Za-z]{24})\\b'''
keywords = ["dmo_"]
entropy = 3.0
[rules.allowlist]
stopwords = ["allowedword"]
paths = ['''(^|/)fixtures/''']
[rules.examples]
positives = ["dmo_Q3vX9kLp2Zt7Rw4Yb8Nc1Md6"]
negatives = ["dmo_xxxxxxxxxxxxxxxxxxxxxxxx"]

[[rules]]
id = "demo-generic"
provider = "Generic"
description = "generic demo rule"
regex = '''secret=([0-9A-Za-z_]{8,})'''
keywords = ["secret="]
kind = "generic"
[rules.examples]
positives = ["secret=Q3vX9kLp2Zt7"]
negatives = ["secret=short"]
`;
const TOKEN = "dmo_Q3vX9kLp2Zt7Rw4Yb8Nc1Md6";
const engine = engineFromToml(RULES);

describe("detectFragment", () => {
  it("reports exact 1-based line and UTF-16 columns, end exclusive", () => {
    const text = `first line\n  é🙂 x=${TOKEN};\n`;
    const [f] = detect(engine, text);
    assert.ok(f);
    assert.equal(f.startLine, 2);
    // "  é🙂 x=" is 2 + 1 + 2 (surrogate pair) + 1 + 2 = 8 UTF-16 units, so the token starts at column 9
    assert.equal(f.startColumn, 9);
    assert.equal(f.endColumn, 9 + TOKEN.length);
    assert.equal(f.endLine, 2);
  });

  it("counts CRLF files by \\n and keeps columns right", () => {
    const [f] = detect(engine, `a\r\nb\r\nkey: ${TOKEN}\r\n`);
    assert.equal(f?.startLine, 3);
    assert.equal(f?.startColumn, 6);
  });

  it("redacts unless asked to show secrets, and hashes the raw secret", () => {
    const [raw] = detect(engine, TOKEN, "a.txt", true);
    const [red] = detect(engine, TOKEN, "a.txt", false);
    assert.equal(raw?.match, TOKEN);
    assert.ok(red && !red.match.includes(TOKEN.slice(4, 12)));
    assert.equal(red?.secretHash, raw?.secretHash);
    assert.equal(red?.fingerprint, raw?.fingerprint);
  });

  it("drops placeholders, stopwords and allowlisted paths", () => {
    assert.equal(detect(engine, "dmo_xxxxxxxxxxxxxxxxxxxxxxxx").length, 0);
    assert.equal(detect(engine, "dmo_YOURTOKENHEREYOURTOKENHE").length, 0);
    assert.equal(detect(engine, "dmo_QallowedwordQ3vX9kLp2Ztz").length, 0);
    assert.equal(detect(engine, TOKEN, "test/fixtures/keys.txt").length, 0);
    assert.equal(detect(engine, TOKEN, "test/other/keys.txt").length, 1);
  });

  it("honours inline leakstop:allow on the secret's line only", () => {
    assert.equal(detect(engine, `t = "${TOKEN}" # leakstop:allow`).length, 0);
    assert.equal(detect(engine, `# leakstop:allow\nt = "${TOKEN}"`).length, 1);
  });

  it("drops values under the rule's entropy", () => {
    assert.equal(detect(engine, "dmo_abababababababababababab").length, 0);
  });

  it("lets a specific rule shadow a generic one on the same bytes", () => {
    const found = detect(engine, `secret=${TOKEN}`);
    assert.deepEqual(
      found.map((f) => f.ruleId),
      ["demo-token"],
    );
    assert.deepEqual(
      detect(engine, "secret=Q3vX9kLp2Zt7").map((f) => f.ruleId),
      ["demo-generic"],
    );
  });

  it("finds every occurrence, in order", () => {
    const found = detect(engine, `${TOKEN}\n${TOKEN.replace("Q3", "R5")}\n`);
    assert.deepEqual(
      found.map((f) => f.startLine),
      [1, 2],
    );
  });

  it("tolerates invalid UTF-8 around a secret", () => {
    const data = Buffer.concat([Buffer.from([0xff, 0xfe, 0xc3]), Buffer.from(` ${TOKEN}`)]);
    const found = detect(engine, data.toString("latin1"));
    assert.equal(found.length, 1);
  });
});

describe("one finding per secret, with the built-in detectors", () => {
  it("a wrong-checksum token is not reported by the generic detector either", async () => {
    const { builtinEngine } = await import("../../helpers/engine.js");
    const { crcToken } = await import("../../helpers/secrets.js");
    const good = crcToken("ghp_");
    const bad = `${good.slice(0, -1)}${good.endsWith("A") ? "B" : "A"}`;
    assert.deepEqual(
      detect(builtinEngine(), `GITHUB_TOKEN=${good}`).map((f) => f.ruleId),
      ["github-pat"],
    );
    assert.deepEqual(detect(builtinEngine(), `GITHUB_TOKEN=${bad}`), []);
  });

  it("a provider rule wins over the generic detector on the same bytes", async () => {
    const { builtinEngine } = await import("../../helpers/engine.js");
    const { generateKey } = await import("../../../src/keyformat/key-format.js");
    const found = detect(builtinEngine(), `api_key = "${generateKey("lsk", "live")}"`);
    assert.deepEqual(
      found.map((f) => [f.ruleId, f.validated]),
      [["leakstop-key", true]],
    );
  });
});

describe("JSON-escaped quotes", () => {
  it('provider rules see values inside \\" quotes, at their true columns', async () => {
    const { builtinEngine } = await import("../../helpers/engine.js");
    const secret = "4cbKcE2XMGl5QojL+HuHPbVbPkUnh6pM+gskldmx";
    const line = `    "aws_secret_access_key = \\"${secret}\\"\\n",`;
    const found = detect(builtinEngine(), `{\n "source": [\n${line}\n ]\n}`, "notebook.ipynb");
    const f = found.find((x) => x.match === secret);
    assert.ok(f, JSON.stringify(found.map((x) => x.ruleId)));
    assert.equal(f.ruleId, "aws-secret-access-key");
    assert.equal(f.startLine, 3);
    assert.equal(f.startColumn, line.indexOf(secret) + 1);
  });
  it("leaves a provider's prefix followed by a character of no token alphabet to no rule (issuer-prefix.ts)", () => {
    const prefixed = engineFromToml(`${DEMO_TOKEN_RULE}
[[rules]]
id = "demo-catch-all"
provider = "Generic"
description = "catch-all demo rule"
regex = '''token=([^\\s]{8,})'''
keywords = ["token="]
kind = "entropy"
[rules.examples]
positives = ["token=Q3vX9kLp2Zt7"]
negatives = []
`);
    // the provider's format broken by "?": neither rule reports it
    assert.deepEqual(detect(prefixed, "token=dmo_Q3vX9kLp2?t7Rw4Yb8Nc1Md6\n"), []);
    // a prefixed value in a token alphabet, only of another length, is still the catch-all's
    assert.deepEqual(
      detect(prefixed, "token=dmo_Q3vX9kLp2Zt7Rw4Yb8\n").map((f) => f.ruleId),
      ["demo-catch-all"],
    );
    // the same character without the prefix is the catch-all's as well
    assert.deepEqual(
      detect(prefixed, "token=Q3vX9kLp2?t7Rw4Yb8Nc1Md6\n").map((f) => f.ruleId),
      ["demo-catch-all"],
    );
  });
});
