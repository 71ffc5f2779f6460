import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { isPlaceholder } from "../../../../src/rules/validators/placeholder.js";

describe("isPlaceholder", () => {
  for (const value of [
    "sk_live_xxxxxxxxxxxxxxxxxxxxxxxx",
    "<your-api-key>",
    // biome-ignore lint/suspicious/noTemplateCurlyInString: the literal text ${API_KEY} is the point
    "${API_KEY}",
    "{{ api_key }}",
    "process.env.API_KEY",
    "YOUR_API_KEY_HERE",
    "changeme1234",
    "aaaaaaaaaaaaaaaa",
    "1234567890abcdef",
    "****************",
    "sk-...abcd",
    "dckr_pat_your-docker-hub-access-token",
    "glpat-your_gitlab_personal_token",
    "abc123abc123abc123abc123abc123ab-us6",
    "deadbeefdeadbeefdeadbeefdeadbeef",
    "lin_api_aB3daB3daB3daB3daB3daB3daB3daB3daB3daB3d",
    // "fake" typed as a word into a value (between digits, separators or at an end)
    "SK_bddcfb88fake8f7c4d9aefake7de1fc",
    "fake_stripe_live_token_Qx7vLp2Rk9",
  ]) {
    it(`rejects ${value}`, () => assert.equal(isPlaceholder(value), true));
  }
  for (const value of [
    "Q3vX9kLp2Zt7Rw4Yb8Nc1Md6",
    "a8f5f167f44f4964e6c998dee827110c",
    "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",
    "dckr_pat_lI8zOIxuDG_i1f_8hXBkA2JFDZG",
    // "fake" inside drawn letters is chance, not a word
    "Qx7vLpFakeRk9Zt4Wm8Hc3N1a2b",
    // a run of one character is not a repeated unit (base64 of zero bytes inside key material)
    "MIIBCgKCAQEAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAq3vX9kLp2Zt7Rw4Yb8Nc1Md6",
  ]) {
    it(`keeps ${value.slice(0, 6)}…`, () => assert.equal(isPlaceholder(value, 0), false));
  }

  describe("a PEM block, judged word by word", () => {
    // Random base64 now and then holds "xXXx", "lorem" or "1234567" among its digits: key material, not a mask.
    const body = [
      "MIIEowIBAAKCAQEAxXXxq3vX9kLp2Zt7Rw4Yb8Nc1Md6LoremQ9Zt4Wm8Hc3Nr2Lm9Wp4",
      "Zv1Nb6Yc3Fh5Js0Ga2Ec7Ix4Ou9PyMkT3DpDummyk2Qx7vLp2Rk9Zt4Wm8Hc3N1a2b3",
      "Zt7Rw4Yb8Nc1Md6Zt7Rw4Yb8Nc1Md6I=",
    ];
    const pem = (lines: string[]) =>
      ["-----BEGIN RSA PRIVATE KEY-----", ...lines, "-----END RSA PRIVATE KEY-----"].join("\n");
    it("keeps random base64 that happens to hold xXXx, lorem or dummy", () =>
      assert.equal(isPlaceholder(pem(body)), false));
    it("keeps it with encryption headers and as escaped \\n text", () => {
      assert.equal(
        isPlaceholder(pem(["Proc-Type: 4,ENCRYPTED", "DEK-Info: AES-128-CBC,0A1B2C3D", "", ...body])),
        false,
      );
      assert.equal(isPlaceholder(pem(body).replace(/\n/g, "\\n")), false);
    });
    for (const lines of [
      [],
      ["..."],
      ["MIIEvQIBADANBgkqhkiG9w0BAQEFAASC..."],
      ["<your private key here>"],
      ["YOUR_PRIVATE_KEY"],
      ["MIIEowIBAAKCAQEAxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"],
      ["MIIEowIBAAKCAQEAexampleExampleKeyForTheDocs"],
    ]) {
      it(`rejects a body of ${JSON.stringify(lines)}`, () => assert.equal(isPlaceholder(pem(lines)), true));
    }
  });
});
