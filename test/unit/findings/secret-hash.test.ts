import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { secretHashOf } from "../../../src/findings/secret-hash.js";
import { sha256Hex } from "../../../src/lib/hash.js";
import { pemPrivateKey } from "../../helpers/secrets.js";

describe("secretHash", () => {
  it("is the plain SHA-256 of an ordinary secret", () => {
    assert.equal(secretHashOf("ghp_abc123"), sha256Hex("ghp_abc123"));
  });

  it("gives one PEM key one hash however it was written", () => {
    const pem = pemPrivateKey().trimEnd();
    const yaml = pem
      .split("\n")
      .map((l) => `    ${l}`)
      .join("\n")
      .trimStart();
    const escaped = pem.replace(/\n/g, "\\n");
    const notebook = pem
      .split("\n")
      .map((l) => `"${l}\\n",`)
      .join("\n    ");
    const hashes = new Set(
      [pem, yaml, escaped, `${pem}\r\n`.replace(/\n/g, "\r\n").trimEnd(), notebook].map(secretHashOf),
    );
    assert.equal(hashes.size, 1);
    assert.notEqual(secretHashOf(pemPrivateKey()), secretHashOf(pem), "another key hashes differently");
  });
});
