import assert from "node:assert/strict";
import { test } from "node:test";
import { FINGERPRINT_LENGTH, fingerprintOf } from "../../../src/findings/fingerprint.js";
import { sha256Hex } from "../../../src/lib/hash.js";

const HASH = "ab".repeat(32);

test("the fingerprint is pinned: changing it would invalidate every user's baseline", () => {
  assert.equal(fingerprintOf("github-pat", HASH), "00c35db6b31eaafa788f95a0fab90d59");
});

test("the fingerprint is 32 lowercase hex characters", () => {
  assert.match(fingerprintOf("stripe-secret-key", sha256Hex("x")), new RegExp(`^[0-9a-f]{${FINGERPRINT_LENGTH}}$`));
});

test("the same secret and rule give the same fingerprint wherever it is found", () => {
  // fingerprintOf takes no path, line or commit: moving, renaming or squashing cannot change it.
  const secretHash = sha256Hex("the same secret in two files");
  const inOneFile = fingerprintOf("generic-password", secretHash);
  const inAnother = fingerprintOf("generic-password", sha256Hex("the same secret in two files"));
  assert.equal(inOneFile, inAnother);
});

test("a different rule or a different secret gives a different fingerprint", () => {
  const base = fingerprintOf("github-pat", HASH);
  assert.notEqual(fingerprintOf("github-oauth", HASH), base);
  assert.notEqual(fingerprintOf("github-pat", "cd".repeat(32)), base);
});
