import assert from "node:assert/strict";
import { test } from "node:test";
import fc from "fast-check";
import { MIN_REVEALED_LENGTH, REDACTION_MARK, redactSecret } from "../../../src/findings/redact.js";

function shownPart(redacted: string): string {
  assert.ok(redacted.endsWith(REDACTION_MARK), `ends with the mark: ${redacted}`);
  return redacted.slice(0, -REDACTION_MARK.length);
}

test("a GitHub token shows its prefix and 4 characters", () => {
  const token = `ghp_${"aB3".repeat(12)}`; // 40 characters: a quarter is 10
  assert.equal(redactSecret(token, 4), "ghp_aB3a…");
});

test("a long prefix is cut to a quarter of the secret", () => {
  const key = `sk_live_${"Zx9".repeat(3)}`; // 17 characters: a quarter is 4
  assert.equal(redactSecret(key, 8), "sk_l…");
});

test("without a prefix at most 4 characters are shown", () => {
  assert.equal(redactSecret("p4ssw0rd-very-long-value-here", 0), "p4ss…");
});

test("secrets shorter than 8 characters show nothing", () => {
  for (const secret of ["", "a", "abcdefg"]) assert.equal(redactSecret(secret, 3), REDACTION_MARK);
  assert.equal(redactSecret("abcdefgh", 0), "ab…");
});

test("a PEM block never shows past its first line", () => {
  const body = "MIIEowIBAAKCAQEAx9".repeat(60);
  const pem = `-----BEGIN RSA PRIVATE KEY-----\n${body}\n-----END RSA PRIVATE KEY-----`;
  assert.equal(redactSecret(pem, 31), "-----BEGIN RSA PRIVATE KEY-----…");
  const short = `-----BEGIN RSA PRIVATE KEY-----\nMIIEow\n-----END RSA PRIVATE KEY-----`;
  assert.equal(redactSecret(short, 31), `${short.slice(0, Math.floor(short.length / 4))}…`);
  assert.equal(redactSecret("abc\r\ndefghijklmnopqrstuvwxyz", 10), "abc…");
});

test("a surrogate pair is never cut in half", () => {
  const secret = "😀😀😀😀😀😀😀😀😀😀😀😀";
  assert.equal(redactSecret(secret, 0), "😀😀😀…");
});

test("odd prefix lengths are treated as no prefix or clamped", () => {
  assert.equal(redactSecret("abcdefghijklmnop", -3), "abcd…");
  assert.equal(redactSecret("abcdefghijklmnop", Number.NaN), "abcd…");
  assert.equal(redactSecret("abcdefghijklmnopqrstuvwxyz0123456789", 2.9), "abcdef…");
});

test("property: never more than a quarter, never more than prefix + 4, always a prefix of the secret", () => {
  const secrets = fc.oneof(
    fc.string({ minLength: 0, maxLength: 200 }),
    fc.string({ unit: "grapheme", minLength: 0, maxLength: 80 }),
    fc.string({ unit: "binary", minLength: 0, maxLength: 80 }),
  );
  fc.assert(
    fc.property(secrets, fc.integer({ min: 0, max: 64 }), (secret, prefixLength) => {
      const shown = shownPart(redactSecret(secret, prefixLength));
      const length = Array.from(secret).length;
      const shownLength = Array.from(shown).length;
      assert.ok(secret.startsWith(shown));
      assert.ok(shownLength <= Math.floor(length / 4), "at most a quarter");
      assert.ok(shownLength <= prefixLength + 4, "at most prefix + 4");
      assert.ok(!/[\r\n]/.test(shown), "one line");
      if (length < MIN_REVEALED_LENGTH) assert.equal(shown, "");
    }),
    { numRuns: 2000 },
  );
});

test("property: every length from 0 to 300 with every prefix up to 40", () => {
  for (let length = 0; length <= 300; length++) {
    const secret = "x".repeat(length);
    for (let prefix = 0; prefix <= 40; prefix++) {
      const shown = shownPart(redactSecret(secret, prefix)).length;
      const expected = length < MIN_REVEALED_LENGTH ? 0 : Math.min(prefix + 4, Math.floor(length / 4));
      assert.equal(shown, expected, `length ${length}, prefix ${prefix}`);
    }
  }
});
