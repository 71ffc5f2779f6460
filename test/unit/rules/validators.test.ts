import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { getValidator } from "../../../src/rules/validators/index.js";

const settings = { issuers: [] } as never;

describe("gitlab-routable-crc32", () => {
  const check = (secret: string) =>
    getValidator("gitlab-routable-crc32")?.({ secret, match: secret, path: "", settings });
  it("accepts a routable token whose length holder and CRC match", () => {
    assert.equal(check("glpat-e8AIWKdXGHXfcbFXdcMGaL5m88_9bosIH5PrJ8.01.120m9hona"), true);
  });
  it("rejects a wrong CRC or a wrong length holder", () => {
    assert.equal(check("glpat-e8AIWKdXGHXfcbFXdcMGaL5m88_9bosIH5PrJ8.01.120m9honb"), false);
    assert.equal(check("glpat-e8AIWKdXGHXfcbFXdcMGaL5m88_9bosIH5PrJ8.01.130m9hona"), false);
    assert.equal(check("glpat-e8AIWKdXGHXfcbFXdcMGaL5m88_9bosIH5PrJ8.01.1dll5"), false);
  });
  it("leaves classic 20-character tokens unverified", () => {
    assert.equal(check("glpat-c3n17VaqMdLtEfo8JuZB"), null);
  });
});

describe("basic-auth-base64", () => {
  const check = (secret: string) => getValidator("basic-auth-base64")?.({ secret, match: secret, path: "", settings });
  it("accepts user:token", () => assert.equal(check(Buffer.from("ci-bot:Xk29fLq8Wv3Rt7Yp").toString("base64")), true));
  it("rejects placeholder passwords", () => {
    assert.equal(check(Buffer.from("username:password").toString("base64")), false);
    assert.equal(check(Buffer.from("user:changeme").toString("base64")), false);
  });
});
