/** Leakstop-Signature: signed over "<t>.<raw body>", verified in constant time, with a replay window. */
import assert from "node:assert/strict";
import { createHmac } from "node:crypto";
import { describe, it } from "node:test";
import { webhookOrigin } from "../../../src/notify/webhook-sender.js";
import { signWebhookBody, verifyWebhookSignature } from "../../../src/notify/webhook-signature.js";

const BODY = '{"v":1,"type":"key-revoked","eventId":"e1"}';

describe("webhook signature", () => {
  it("is t=<unix s>,v1=<hex HMAC-SHA256 of '<t>.<body>'>", () => {
    const expected = createHmac("sha256", "s3cret").update(`1700000000.${BODY}`).digest("hex");
    assert.equal(signWebhookBody(BODY, "s3cret", 1700000000), `t=1700000000,v1=${expected}`);
  });

  it("verifies within the tolerance and refuses everything else", () => {
    const h = signWebhookBody(BODY, "s3cret", 1700000000);
    assert.ok(verifyWebhookSignature(BODY, h, "s3cret", 300, 1700000100));
    assert.ok(verifyWebhookSignature(Buffer.from(BODY), h, "s3cret", 300, 1700000100));
    assert.ok(!verifyWebhookSignature(BODY, h, "s3cret", 300, 1700000301), "too old: a replay");
    assert.ok(verifyWebhookSignature(BODY, h, "s3cret", 0, 1800000000), "tolerance 0: no time check");
    assert.ok(!verifyWebhookSignature(`${BODY}\n`, h, "s3cret", 300, 1700000000), "body changed");
    assert.ok(!verifyWebhookSignature(BODY, h, "other", 300, 1700000000), "another secret");
    assert.ok(!verifyWebhookSignature(BODY, h.replace("t=1700000000", "t=1700000001"), "s3cret", 300, 1700000000));
    for (const bad of [
      undefined,
      null,
      "",
      "t=1700000000",
      "v1=abc",
      "t=x,v1=00",
      `t=1700000000,v1=${"0".repeat(63)}`,
    ]) {
      assert.ok(!verifyWebhookSignature(BODY, bad, "s3cret", 300, 1700000000), String(bad));
    }
    assert.ok(!verifyWebhookSignature(BODY, h, "", 300, 1700000000), "an empty secret verifies nothing");
  });

  it("accepts any of several v1 entries (a sender rotating its secret)", () => {
    const a = signWebhookBody(BODY, "old", 1700000000);
    const b = signWebhookBody(BODY, "new", 1700000000);
    const both = `${a},${b.split(",")[1]}`;
    assert.ok(verifyWebhookSignature(BODY, both, "new", 300, 1700000000));
    assert.ok(verifyWebhookSignature(BODY, both, "old", 300, 1700000000));
  });

  it("messages show a webhook URL as scheme and host only", () => {
    assert.equal(webhookOrigin("https://u:p@hooks.example.com:8443/t/abc?token=x"), "https://hooks.example.com:8443");
    assert.equal(webhookOrigin("not a url"), "(unparseable URL)");
  });
});
