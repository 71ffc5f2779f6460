/**
 * A provider's token written inside a broad format's encoded value (ghp_… as the password of an HTTP Basic
 * header): the decoded view's provider finding is the more specific one, so the token is reported once, by
 * its own rule, and not at all when its checksum is wrong (the broad rule stays silent on it either way).
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { builtinEngine, detect } from "../../helpers/engine.js";

const VALID = "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";
const WRONG = "ghp_wdq3EJkh5jp1Axg5U0Q4Kw2dXnOA7i2UR4Jc";
const b64 = (s: string) => Buffer.from(s).toString("base64");
const header = (userPass: string) => `curl -H "Authorization: Basic ${b64(userPass)}" https://api.github.com/user\n`;

describe("a provider token inside an encoded Basic credential", () => {
  const engine = builtinEngine();

  it("is reported once, by the provider's rule, as password or as user", () => {
    for (const text of [header(`octocat:${VALID}`), header(`${VALID}:x-oauth-basic`)]) {
      const found = detect(engine, text, "deploy.sh");
      assert.deepEqual(
        found.map((f) => f.ruleId),
        ["github-pat"],
        text,
      );
    }
  });

  it("is not reported by any rule when its checksum is wrong", () => {
    for (const text of [header(`octocat:${WRONG}`), header(`${WRONG}:x-oauth-basic`)]) {
      assert.deepEqual(detect(engine, text, "deploy.sh"), [], text);
    }
  });

  it("leaves a Basic header without a provider token to the header's rule", () => {
    const found = detect(engine, header("svc-reporting:g3W9tXP8bDon2gXbLwen"), "deploy.sh");
    assert.deepEqual(
      found.map((f) => f.ruleId),
      ["http-basic-auth-header"],
    );
  });
});
