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
  ]) {
    it(`rejects ${value}`, () => assert.equal(isPlaceholder(value), true));
  }
  for (const value of [
    "Q3vX9kLp2Zt7Rw4Yb8Nc1Md6",
    "a8f5f167f44f4964e6c998dee827110c",
    "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",
    "dckr_pat_lI8zOIxuDG_i1f_8hXBkA2JFDZG",
    // a run of one character is not a repeated unit (base64 of zero bytes inside key material)
    "MIIBCgKCAQEAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAq3vX9kLp2Zt7Rw4Yb8Nc1Md6",
  ]) {
    it(`keeps ${value.slice(0, 6)}…`, () => assert.equal(isPlaceholder(value, 0), false));
  }
});
