/** Sealed boxes: a round trip opens, and another key or any altered field is refused with its code. */
import assert from "node:assert/strict";
import { generateKeyPairSync } from "node:crypto";
import { describe, it } from "node:test";
import {
  generateSealKeyPair,
  loadSealPrivateKey,
  loadSealPublicKey,
  type SealedBox,
  seal,
  sealKeyId,
  unseal,
} from "../../../src/lib/sealed-box.js";
import type { SealedSecret } from "../../../src/queue/jobs.js";

const SECRET = "ghp_" + "R".repeat(36);
const pair = generateSealKeyPair();
const pub = loadSealPublicKey(pair.publicKeyPem);
const priv = loadSealPrivateKey(pair.privateKeyPem);

function flip(text: string, at = 0): string {
  const bytes = Buffer.from(text, "base64url");
  bytes[at] = (bytes[at] ?? 0) ^ 0x01;
  return bytes.toString("base64url");
}

function refused(box: SealedBox, code: string): void {
  assert.throws(
    () => unseal(box, priv),
    (err: { code?: string; message?: string }) => {
      assert.equal(err.code, code);
      assert.ok(!String(err.message).includes(SECRET));
      return true;
    },
  );
}

describe("sealed box", () => {
  it("opens what it sealed, and the box is the queue's SealedSecret shape", () => {
    const box: SealedSecret = seal(SECRET, pub);
    assert.equal(box.alg, "x25519-hkdf-sha256-aes256gcm");
    assert.equal(box.keyId, pair.keyId);
    assert.equal(box.keyId, sealKeyId(pub));
    assert.match(box.keyId, /^[0-9a-f]{64}$/);
    assert.ok(!JSON.stringify(box).includes(SECRET));
    assert.equal(unseal(box, priv), SECRET);
  });

  it("seals the same text differently each time (fresh ephemeral key and iv)", () => {
    const a = seal(SECRET, pub);
    const b = seal(SECRET, pub);
    assert.notEqual(a.epk, b.epk);
    assert.notEqual(a.ct, b.ct);
  });

  it("refuses another private key by keyId", () => {
    const other = loadSealPrivateKey(generateSealKeyPair().privateKeyPem);
    assert.throws(() => unseal(seal(SECRET, pub), other), { code: "LS_SEALED_WRONG_KEY" });
  });

  it("refuses another private key whose box claims the right keyId (the tag fails)", () => {
    const other = generateSealKeyPair();
    const box = { ...seal(SECRET, loadSealPublicKey(other.publicKeyPem)), keyId: pair.keyId };
    refused(box, "LS_SEALED_INVALID");
  });

  it("refuses a tampered ciphertext, tag, iv or ephemeral key", () => {
    const box = seal(SECRET, pub);
    refused({ ...box, ct: flip(box.ct, 3) }, "LS_SEALED_INVALID");
    refused({ ...box, tag: flip(box.tag) }, "LS_SEALED_INVALID");
    refused({ ...box, iv: flip(box.iv) }, "LS_SEALED_INVALID");
    refused({ ...box, epk: flip(box.epk, 5) }, "LS_SEALED_INVALID");
  });

  it("refuses truncated, non-base64url and unknown-algorithm boxes", () => {
    const box = seal(SECRET, pub);
    refused({ ...box, ct: box.ct.slice(0, -2) }, "LS_SEALED_INVALID");
    refused({ ...box, tag: box.tag.slice(0, 10) }, "LS_SEALED_INVALID");
    refused({ ...box, epk: "AAAA" }, "LS_SEALED_INVALID");
    refused({ ...box, iv: "not base64!" }, "LS_SEALED_INVALID");
    refused({ ...box, alg: "rsa" as never }, "LS_SEALED_INVALID");
  });

  it("loads only X25519 keys, naming what is wrong", () => {
    const ed = generateKeyPairSync("ed25519");
    const edPem = ed.publicKey.export({ type: "spki", format: "pem" }).toString();
    assert.throws(() => loadSealPublicKey(edPem), {
      code: "LS_REPORT_KEY_INVALID",
      message: /ed25519 key, not X25519/,
    });
    assert.throws(() => loadSealPublicKey("hello"), { code: "LS_REPORT_KEY_INVALID" });
    assert.throws(() => loadSealPrivateKey(pair.publicKeyPem), { code: "LS_REPORT_KEY_INVALID" });
    // A private key PEM gives its public half, so a worker's file also seals.
    assert.equal(sealKeyId(loadSealPublicKey(pair.privateKeyPem)), pair.keyId);
  });
});
