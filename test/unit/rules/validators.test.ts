import assert from "node:assert/strict";
import { createHmac } from "node:crypto";
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

describe("jwk-private", () => {
  const check = (secret: string) => getValidator("jwk-private")?.({ secret, match: secret, path: "", settings });
  const D = "xTia-OBkEmNcjzwBoLmyFP2qkpuwk9OiVvJHMI3Ccl0";
  it("accepts a key with its private member, in any order, escaped quotes too", () => {
    assert.equal(check(`{"kty": "EC", "crv": "P-256", "x": "Y0dh", "d": "${D}"}`), true);
    assert.equal(check(`{"crv": "Ed25519", "d": "${D}", "kty": "OKP"}`), true);
    assert.equal(check(`{\\"kty\\":\\"oct\\",\\"k\\":\\"${D}\\"}`), true);
  });
  it("rejects public keys, placeholders, short members and another type's member", () => {
    assert.equal(check('{"kty": "EC", "crv": "P-256", "x": "Y0dhmlG35z3bMlzuG9Xq2f3_zNoUSTwJs-SI_WqDoyY"}'), false);
    assert.equal(check('{"kty": "RSA", "n": "0vx7", "e": "AQAB", "d": "<private-exponent>"}'), false);
    assert.equal(check('{"kty": "EC", "d": "abc"}'), false);
    assert.equal(check(`{"kty": "oct", "d": "${D}"}`), false);
  });
});

describe("basic-auth-base64", () => {
  const check = (secret: string) => getValidator("basic-auth-base64")?.({ secret, match: secret, path: "", settings });
  it("accepts user:token", () => assert.equal(check(Buffer.from("ci-bot:Xk29fLq8Wv3Rt7Yp").toString("base64")), true));
  it("rejects placeholder passwords", () => {
    assert.equal(check(Buffer.from("username:password").toString("base64")), false);
    assert.equal(check(Buffer.from("user:changeme").toString("base64")), false);
  });
  it("judges a GitHub or npm token as password or user by its checksum, as the token alone", () => {
    const b64 = (text: string) => Buffer.from(text).toString("base64");
    assert.equal(check(b64("octocat: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")), true);
    assert.equal(check(b64("octocat:ghp_wdq3EJkh5jp1Axg5U0Q4Kw2dXnOA7i2UR4Jc")), false);
    assert.equal(check(b64("ghp_wdq3EJkh5jp1Axg5U0Q4Kw2dXnOA7i2UR4Jc:x-oauth-basic")), false);
  });
});

describe("http-basic-credentials (an Authorization: Basic header, decoded)", () => {
  const check = (text: string) => {
    const secret = Buffer.from(text).toString("base64");
    return getValidator("http-basic-credentials")?.({ secret, match: secret, path: "", settings });
  };
  it("keeps user:password and an API key as user with no password", () => {
    assert.equal(check("svc-reporting:g3W9tXP8bDon2gXbLwen"), true);
    assert.equal(check("sk_live_Rw8Kq2Vx7Lm4Zt9Nb3Hc6Yd1:"), true);
  });
  it("drops stand-in passwords, placeholders, no colon and short users with no password", () => {
    for (const text of [
      "111.222:secret",
      "user:test123",
      "admin:Password1",
      "deploy:changeme",
      "just-a-token-here",
      "bob:",
    ])
      assert.equal(check(text), false, text);
  });
  it("judges a GitHub token as user or password by its checksum", () => {
    assert.equal(check("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:x-oauth-basic"), true);
    assert.equal(check("ghp_wdq3EJkh5jp1Axg5U0Q4Kw2dXnOA7i2UR4Jc:x-oauth-basic"), false);
    assert.equal(check("ghp_wdq3EJkh5jp1Axg5U0Q4Kw2dXnOA7i2UR4Jc:"), false);
  });
});

describe("gitlab classic token lengths", () => {
  const check = (secret: string) =>
    getValidator("gitlab-routable-crc32")?.({ secret, match: secret, path: "", settings });
  it("rejects a classic token of another length than its kind's", () => {
    assert.equal(check("glpat-c3n17VaqMdLtEfo8JuZBq7Xk2"), false);
    assert.equal(check("gldt-c3n17VaqMdLtEfo8JuZ"), false);
  });
});

describe("microsoft keys", () => {
  const run = (name: string, secret: string) => getValidator(name)?.({ secret, match: secret, path: "", settings });
  it("checks the checksum of an 84-character common annotated key (Azure DevOps)", () => {
    const key = "1O4ZXeuPuxGWH1TZYw50GlEq4d6h6vGyYuwkHJVDyW3JGWsvO9CRJQQJ99BCnEYMs1mRRRmFAAAAAZDO1t3m";
    assert.equal(run("microsoft-common-annotated-key", key), true);
    assert.equal(run("microsoft-common-annotated-key", `${key.slice(0, -1)}n`), false);
  });
  it("checks identifiable keys by their signature's seeds, and leaves keys without one unverified", () => {
    const storage = "Kby9GQz//tLoBBuQ35/VOJ7FgmxRRxlF6wvDAAR7gLXKsCXCGCMeq+vfMs3iW6iDmXnhEppbFPVr+ASt0MRb9w==";
    assert.equal(run("microsoft-identifiable-key", storage), true);
    assert.equal(run("microsoft-identifiable-key", storage.replace("0MRb9w", "0MRb9A")), false);
    // Microsoft's own published test value for a Functions key (base64, System00 seed).
    assert.equal(run("microsoft-identifiable-key", "ddddddddddddddddddddddddddddddddddddddddddddAzFu182vhA=="), true);
    const legacy = "OjAHfir6G2aDL51ai/yJAfr56kMYP0aKETADH727Tw84ju9L5OQ1MpzsXRsjsufT4G7Y/S+E7US5X7lC2EbkX0==";
    assert.equal(run("microsoft-identifiable-key", legacy), null);
    assert.equal(run("microsoft-identifiable-key-strict", legacy), false);
  });
});

describe("atlassian-datacenter-pat", () => {
  const run = (secret: string) =>
    getValidator("atlassian-datacenter-pat")?.({ secret, match: secret, path: "", settings });
  const pat = (id: string) => Buffer.concat([Buffer.from(`${id}:`), Buffer.alloc(20, 0xa7)]).toString("base64");
  it("accepts base64 of a 12-digit id, a colon and 20 bytes", () => assert.equal(run(pat("997786766125")), true));
  it("rejects another id, another length or no base64", () => {
    assert.equal(run(pat("99778676612x")), false);
    assert.equal(run(pat("99778676612")), false);
    assert.equal(run(`${pat("997786766125").slice(0, 43)}-`), false);
  });
});

describe("discord-bot-token", () => {
  const run = (secret: string) => getValidator("discord-bot-token")?.({ secret, match: secret, path: "", settings });
  it("accepts a token whose first part is a plausible user id", () => {
    assert.equal(run("MTE4NzI2MzA0NTkxODI3MzU0Ng.h_WGK4.QiNyqrdanPzrsLylmNca5imi0URQvDFva3Iy_9"), true);
  });
  it("rejects a first part that is not an id, or an id dated far in the future", () => {
    assert.equal(run("aGVsbG8td29ybGQtYWJjMTI.3u87AZ.k28CH0RU7xt0OvM7QfiZXO0ooCQXHkN0g4vZhL"), false);
    assert.equal(run("OTk5OTk5OTk5OTk5OTk5OTk5OQ.u6C98H.VsiaTl5Mh730nRW03q-bvEpLPvTXW6UgvqbEX_"), false);
  });
});

describe("secp256k1-private-key", () => {
  const run = (secret: string) =>
    getValidator("secp256k1-private-key")?.({ secret, match: secret, path: "", settings });
  it("accepts 1..n-1 and rejects 0 and n", () => {
    assert.equal(run("5522a08b147c899351c1b9785e62eb082aebfda44f5357b58a5d40b370babd84"), true);
    assert.equal(run("0".repeat(64)), false);
    assert.equal(run("fffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141"), false);
  });
});

describe("bech32-checksum and pypi-macaroon", () => {
  const run = (name: string, secret: string) => getValidator(name)?.({ secret, match: secret, path: "", settings });
  it("marks a key with a matching Bech32 checksum validated, and leaves others unverified", () => {
    assert.equal(
      run("bech32-checksum", "AGE-SECRET-KEY-1A0SPAC8Y26WUY8HH0PDKFFCPCE7SDAAMSD2NUNKM597Q0TGWM33SHV9VRS"),
      true,
    );
    assert.equal(
      run("bech32-checksum", "AGE-SECRET-KEY-1A0SPAC8Y26WUY8HH0PDKFFCPCE7SDAAMSD2NUNKM597Q0TGWM33SHV9VRQ"),
      null,
    );
  });
  it("marks a well-formed PyPI macaroon validated, and a truncated one unverified", () => {
    assert.equal(
      run(
        "pypi-macaroon",
        "pypi-AgEIcHlwaS5vcmcCTXsidmVyc2lvbiI6MSwicGVybWlzc2lvbnMiOiJ1c2VyIiwibm9uY2UiOiJiNDk4N2ZmM2JjNTVjMjA4NGExNTAwM2JlYTYwZjYyNSJ9AAI1eyJwZXJtaXNzaW9ucyI6eyJwcm9qZWN0cyI6WyJhY21lLXNkayJdfSwidmVyc2lvbiI6MX0AAAYgEAj55rZ3FovurKWzXzA7qmKl_Dwfnoqf3E6-ag2nPV0",
      ),
      true,
    );
    assert.equal(
      run(
        "pypi-macaroon",
        "pypi-AgEIcHlwaS5vcmcCTXsidmVyc2lvbiI6MSwicGVybWlzc2lvbnMiOiJ1c2VyIiwibm9uY2UiOiJiNDk4N2ZmM2JjNTVjMjA4NGExNTAwM2JlYTYwZjYyNSJ9AAI1eyJwZXJtaXNzaW9ucyI6eyJwcm9qZWN0cyI6WyJhY21lLXNkayJdfSwidmVyc2lvbiI6MX0AAAYgEAj55rZ3FovurKWzXzA7qmKl_Dwfnoqf3",
      ),
      null,
    );
  });
});

describe("jwt", () => {
  const check = (secret: string) => getValidator("jwt")?.({ secret, match: secret, path: "", settings });
  const b64 = (o: object) => Buffer.from(JSON.stringify(o)).toString("base64url");
  const signed = (alg: string, hash: string, key: string) => {
    const body = `${b64({ alg, typ: "JWT" })}.${b64({ sub: "svc_billing", iat: 1733000000 })}`;
    return `${body}.${createHmac(hash, key).update(body).digest("base64url")}`;
  };
  it("accepts an HMAC token signed with a key of its own", () => {
    assert.equal(check(signed("HS256", "sha256", "Kq8vTz2mWxpL4nRb7c9sYdHj3k5Qe1Uf")), true);
  });
  it("rejects a token signed with a key jwt.io's debugger fills in: anyone can mint it", () => {
    assert.equal(check(signed("HS256", "sha256", "a-string-secret-at-least-256-bits-long")), false);
    assert.equal(check(signed("HS384", "sha384", "a-string-secret-at-least-256-bits-long")), false);
    assert.equal(check(signed("HS512", "sha512", "your-512-bit-secret")), false);
    assert.equal(check(signed("HS256", "sha256", "your-256-bit-secret")), false);
  });
});
