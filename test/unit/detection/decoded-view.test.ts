/**
 * The decoded view (issue #10 item 4): a Kubernetes Secret's `data:` values and base64 values
 * elsewhere are decoded and scanned, and what they hold is reported at the encoded value's line
 * and columns, hashed as the decoded secret.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { decodedView, toOriginal } from "../../../src/detection/decoded-view.js";
import { secretHashOf } from "../../../src/findings/secret-hash.js";
import { builtinEngine, detect } from "../../helpers/engine.js";
import { crcToken, pemPrivateKey } from "../../helpers/secrets.js";

const b64 = (text: string) => Buffer.from(text).toString("base64");
const find = (text: string, path = "k8s/secret.yaml") => detect(builtinEngine(), text, path);

describe("Kubernetes Secret manifests", () => {
  const token = crcToken("ghp_");
  const password = "Vq3xT8mWp2Lz9Rk4";
  const manifest = [
    "apiVersion: v1",
    "kind: Secret",
    "metadata:",
    "  name: app",
    "type: Opaque",
    "data:",
    `  DB_PASSWORD: ${b64(password)}`,
    `  GITHUB_TOKEN: "${b64(token)}"`,
    `  username: ${b64("admin")}`,
    "",
  ].join("\n");

  it("reports each decoded secret at its encoded value's line and columns, hashed as the decoded value", () => {
    const found = find(manifest);
    assert.deepEqual(
      found.map((f) => [f.ruleId, f.startLine, f.startColumn, f.endColumn, f.secretHash]),
      [
        ["generic-secret", 7, 16, 16 + b64(password).length, secretHashOf(password)],
        ["github-pat", 8, 18, 18 + b64(token).length, secretHashOf(token)],
      ],
    );
  });

  it("reads JSON manifests too", () => {
    const json = `{"apiVersion": "v1", "kind": "Secret", "data": {"token": "${b64(token)}", "user": "${b64("admin")}"}}`;
    assert.deepEqual(
      find(json, "secret.json").map((f) => [f.ruleId, f.secretHash]),
      [["github-pat", secretHashOf(token)]],
    );
  });

  it("honours leakstop:allow on the encoded value's line", () => {
    const allowed = manifest.replace(`"${b64(token)}"`, `"${b64(token)}" # leakstop:allow`);
    assert.deepEqual(
      find(allowed).map((f) => f.ruleId),
      ["generic-secret"],
    );
  });

  it("decodes short values only inside a Secret's data block", () => {
    assert.equal(decodedView(Buffer.from(`DB_PASSWORD: ${b64(password)}\n`)), null);
  });
});

describe("base64 values anywhere", () => {
  it("decodes a long value with the name before it, and reports what the decoded text holds", () => {
    const blob = b64(`{"client_secret": "h7Gk2pQ9sLx4vB8nT3mZ", "region": "eu"}`);
    const found = find(`CREDENTIALS_B64=${blob}\n`, "ci.env");
    assert.deepEqual(
      found.map((f) => [f.ruleId, f.startLine, f.secretHash]),
      [["generic-secret", 1, secretHashOf("h7Gk2pQ9sLx4vB8nT3mZ")]],
    );
    assert.ok(found[0]!.startColumn > "CREDENTIALS_B64=".length && found[0]!.endColumn <= 17 + blob.length);
  });

  it("does not decode binary (a PEM body line, a package integrity hash) or plain hex", () => {
    for (const text of [
      "MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQC7VJTUt9Us8cKj\n",
      '"integrity": "sha512-XktuhWlJ5g+3TJXc5upd9Ks1HutSArik6jf2eAjYFdcMDJJ6s4b4j+kLYXsxOuz+OXlP6Y+Qsg5Y9KI/6NZXQ=="',
      "sha = 3f786850e387550fdab836ed7e6dc881de23001b\n",
    ]) {
      assert.equal(decodedView(Buffer.from(text)), null, text);
    }
  });

  it("keeps a rule that recognises the encoded text itself (a base64 key file): one finding, that rule's", () => {
    const pem = pemPrivateKey().replace("RSA PRIVATE", "PRIVATE").replace("RSA PRIVATE", "PRIVATE");
    const keyFile = JSON.stringify({
      type: "service_account",
      project_id: "billing-prod-4821",
      private_key: pem,
      client_email: "ci@billing-prod-4821.iam.gserviceaccount.com",
    });
    const found = find(`GOOGLE_CREDENTIALS_B64=${b64(keyFile)}\n`, "ci.env");
    assert.deepEqual(
      found.map((f) => f.ruleId),
      ["gcp-service-account-key-base64"],
    );
  });

  it("decodes a value that ends the text, padded or not", () => {
    for (const plain of [
      "abcdefghijklmnopqrstuvwxyz0123456789",
      "abcdefghijklmnopqrstuvwxyz012345678",
      "abcdefghijklmnopqrstuvwxyz01234567",
    ]) {
      const view = decodedView(Buffer.from(`X=${b64(plain)}`));
      assert.ok(view?.data.toString().startsWith(`X=${plain}`), plain);
    }
  });

  it("maps decoded bytes back to the characters that encode them", () => {
    const text = Buffer.from(`X=${b64("abcdefghijklmnopqrstuvwxyz0123456789")}\n`);
    const view = decodedView(text)!;
    assert.equal(view.data.toString(), "X=abcdefghijklmnopqrstuvwxyz0123456789\n");
    assert.deepEqual(toOriginal(view, 0, 2), [0, 2], "the name maps byte for byte");
    assert.deepEqual(toOriginal(view, 2, 5), [2, 6], "3 decoded bytes, 4 characters");
    assert.deepEqual(toOriginal(view, 5, 9), [6, 14], "a partial group widens to whole groups");
  });
});
