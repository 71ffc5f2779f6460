import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import {
  BODY_LENGTH,
  CHECKSUM_LENGTH,
  generateKey,
  isValidIssuer,
  isValidKey,
  keyChecksum,
  keyHint,
  parseKey,
} from "../../../src/keyformat/key-format.js";
import { BASE62_ALPHABET, decodeBase62, encodeBase62 } from "../../../src/lib/base62.js";
import { crc32 } from "../../../src/lib/crc32.js";

const issuerArb = fc.stringMatching(/^[a-z0-9]{2,10}$/);
const envArb = fc.constantFrom("live" as const, "test" as const);
/** Characters a one-character edit may put in: the whole alphabet, the separator and a few outsiders. */
const EDIT_CHARS = `${BASE62_ALPHABET}_-. +/=`;

describe("crc32 and base62", () => {
  it("crc32 matches the IEEE check value", () => {
    assert.equal(crc32("123456789"), 0xcbf43926);
    assert.equal(crc32(""), 0);
  });

  it("encodeBase62 pads to 6 and round-trips every 32-bit value", () => {
    assert.equal(encodeBase62(0), "000000");
    assert.equal(encodeBase62(61), "00000z");
    assert.equal(encodeBase62(0xffffffff), "4gfFC3");
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 0xffffffff }), (n) => {
        const text = encodeBase62(n);
        return text.length === CHECKSUM_LENGTH && decodeBase62(text) === n;
      }),
    );
  });
});

describe("generateKey", () => {
  it("has the SPEC §6 shape: <issuer>_<env>_<32 base62><6 base62 checksum>", () => {
    const key = generateKey("lsk", "live");
    assert.match(key, /^lsk_live_[0-9A-Za-z]{38}$/);
    const parsed = parseKey(key);
    assert.ok(parsed);
    assert.equal(parsed.body.length, BODY_LENGTH);
    assert.equal(parsed.checksum, keyChecksum("lsk", "live", parsed.body));
  });

  it("defaults to the lsk issuer and the live env", () => {
    assert.match(generateKey(), /^lsk_live_/);
  });

  it("every generated key validates, for any issuer and env", () => {
    fc.assert(
      fc.property(issuerArb, envArb, (issuer, env) => {
        const key = generateKey(issuer, env);
        return isValidKey(key) && isValidKey(key, issuer) && parseKey(key)?.env === env;
      }),
      { numRuns: 500 },
    );
  });

  it("a key validates only for its own issuer when one is given", () => {
    const key = generateKey("acme", "test");
    assert.equal(isValidKey(key, "acme"), true);
    assert.equal(isValidKey(key, "lsk"), false);
  });

  it("rejects a malformed issuer or env", () => {
    for (const bad of ["", "a", "ABC", "toolongissuer", "ls_k", "lsk!"]) {
      assert.throws(() => generateKey(bad), RangeError, bad);
      assert.equal(isValidIssuer(bad), false);
    }
    assert.throws(() => generateKey("lsk", "prod" as "live"), RangeError);
  });

  it("draws bodies from the CSPRNG: no repeats, every alphabet character shows up", () => {
    const bodies = new Set<string>();
    const seen = new Set<string>();
    for (let i = 0; i < 2000; i++) {
      const body = parseKey(generateKey())?.body ?? "";
      bodies.add(body);
      for (const ch of body) seen.add(ch);
    }
    assert.equal(bodies.size, 2000);
    assert.equal(seen.size, 62);
  });
});

describe("isValidKey", () => {
  it("rejects every single-character change of a valid key (property)", () => {
    fc.assert(
      fc.property(issuerArb, envArb, fc.nat(), fc.constantFrom(...EDIT_CHARS), (issuer, env, where, replacement) => {
        const key = generateKey(issuer, env);
        const i = where % key.length;
        fc.pre(key[i] !== replacement);
        const edited = key.slice(0, i) + replacement + key.slice(i + 1);
        return !isValidKey(edited);
      }),
      { numRuns: 5000 },
    );
  });

  it("rejects every single-character change of one key, exhaustively", () => {
    const key = generateKey("lsk", "live");
    let tried = 0;
    for (let i = 0; i < key.length; i++) {
      for (const ch of EDIT_CHARS) {
        if (ch === key[i]) continue;
        const edited = key.slice(0, i) + ch + key.slice(i + 1);
        assert.equal(isValidKey(edited), false, `edit at ${i} to ${ch}`);
        tried++;
      }
    }
    assert.ok(tried > 2000);
  });

  it("rejects a dropped, added or swapped character", () => {
    fc.assert(
      fc.property(fc.nat(), (where) => {
        const key = generateKey();
        const i = where % (key.length - 1);
        const dropped = key.slice(0, i) + key.slice(i + 1);
        const added = key.slice(0, i) + "A" + key.slice(i);
        const swapped = key.slice(0, i) + key[i + 1] + key[i] + key.slice(i + 2);
        return !isValidKey(dropped) && !isValidKey(added) && (swapped === key || !isValidKey(swapped));
      }),
      { numRuns: 1000 },
    );
  });

  it("rejects shapes that are not keys", () => {
    for (const text of ["", "lsk", "lsk_live_", "lsk_prod_" + "a".repeat(38), "lsk_live_" + "a".repeat(37)]) {
      assert.equal(isValidKey(text), false, text);
      assert.equal(parseKey(text), null, text);
    }
    assert.equal(isValidKey(`${generateKey()} `), false);
    assert.equal(isValidKey(`x${generateKey()}`), false);
  });

  it("never throws on arbitrary input", () => {
    fc.assert(
      fc.property(fc.string(), (text) => {
        isValidKey(text);
        parseKey(text);
        keyHint(text);
        return true;
      }),
    );
  });
});

describe("keyHint", () => {
  it("shows the fixed prefix and the last 4 characters only", () => {
    fc.assert(
      fc.property(issuerArb, envArb, (issuer, env) => {
        const key = generateKey(issuer, env);
        const hint = keyHint(key);
        const body = parseKey(key)?.body ?? "";
        return hint === `${issuer}_${env}_…${key.slice(-4)}` && !hint.includes(body.slice(0, 8));
      }),
    );
  });
});
