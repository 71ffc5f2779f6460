/**
 * Keys that providers publish as safe to expose (built into web pages and apps) are not reported,
 * whatever secret-like name holds them; the secret keys beside them are.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { builtinEngine, detect } from "../../helpers/engine.js";

const PUBLIC = [
  "STRIPE_SECRET_KEY=pk_live_51Hq3vX9kLp2Zt7Rw4Yb8Nc1Md6TgF5sJ0aE7uWnQ2rKcVb9yXo3PzLm8Dh4Gi6Af1Bj",
  "STRIPE_KEY=pk_test_Q3vX9kLp2Zt7Rw4Yb8Nc1Md6",
  "ADYEN_CLIENT_KEY=live_SN75RMGBPIXEG2B5AWQVQ9IKYCE2KQTK",
  "adyen.clientKey=test_L7KHXXYALHTKQHSONR1LNMVLZBMNHZZ2",
  "DD_CLIENT_TOKEN=pub4f8c2a9e71b03d65c8e9f1a2b7d04c36",
];

describe("publishable keys", () => {
  for (const line of PUBLIC) {
    it(`does not report ${line.split("=")[0]}`, () => {
      assert.deepEqual(
        detect(builtinEngine(), `${line}\n`, ".env").map((f) => f.ruleId),
        [],
      );
    });
  }
  it("still reports the secret key next to them", () => {
    const found = detect(builtinEngine(), "STRIPE_SECRET_KEY=sk_live_Q3vX9kLp2Zt7Rw4Yb8Nc1Md6\n", ".env");
    assert.deepEqual(
      found.map((f) => f.ruleId),
      ["stripe-secret-key"],
    );
  });
});
