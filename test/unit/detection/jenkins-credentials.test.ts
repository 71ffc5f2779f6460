/**
 * A Jenkins credential record (credentials.xml, a seed file posted to create-credentials-by-xml) through
 * the whole built-in engine: a plaintext value in its `<secret>`, in braces and after words that label it,
 * is reported by the provider's rule where `<id>` names the provider or holds the key's id (an AWS pair
 * comes out as the pair), else by the generic XML element rule; Jenkins' own persisted ciphertext
 * `{AQAAABAAAAA…}` is reported by no rule (detectors/jenkins.toml: jenkins-secret-ciphertext).
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { builtinEngine, detect } from "../../helpers/engine.js";

const CREDS = "com.cloudbees.plugins.credentials.impl.StringCredentialsImpl";

/** A credential record holding `inner`, as Jenkins writes it (scope first, then the credential's elements). */
function record(inner: string): string {
  return `<${CREDS}>\n  <scope>GLOBAL</scope>\n${inner}\n  <description>deploys to production</description>\n</${CREDS}>\n`;
}

const found = (text: string) =>
  detect(builtinEngine(), text, "jenkins_home/credentials.xml").map((f) => `${f.ruleId} ${f.match}`);

const AWS_ID = "AKIAQ3EGRJ5T2MWNZK4D";
const AWS_SECRET = "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";

describe("Jenkins credential records", () => {
  it("an access key id in <id> and its secret in <secret>, braced after a marker word, come out as the pair", () => {
    const text = record(`  <id>{${AWS_ID}}</id>\n  <secret>{AQAAABAAA ${AWS_SECRET}}</secret>`);
    assert.deepEqual(found(text), [`aws-access-key-id ${AWS_ID}`, `aws-secret-access-key ${AWS_SECRET}`]);
  });

  it("<id> names the provider: the provider's rule reports the braced value, not the words before it", () => {
    const key = "c0b8f3e91a7d4265be1f09d3a6c27e58";
    assert.deepEqual(found(record(`  <id>{datadog}</id>\n  <secret>{datadog prod ${key}}</secret>`)), [
      `datadog-api-key ${key}`,
    ]);
    assert.deepEqual(found(record(`  <id>datadog-prod</id>\n  <secret>{${key}}</secret>`)), [`datadog-api-key ${key}`]);
  });

  it("a plaintext value of no rule's format is the generic XML element rule's, without braces or words", () => {
    const value = "Hq2Lp9Zx4Vb7Nm3Kw8Ry5T";
    assert.deepEqual(found(record(`  <id>{build-cache}</id>\n  <secret>{cache AQAAABAAA ${value}}</secret>`)), [
      `generic-secret-xml-element ${value}`,
    ]);
  });

  it("Jenkins' persisted ciphertext is reported by no rule, whatever <id> names", () => {
    const cipher =
      "AQAAABAAAAAwmAE9oGPng9P5x1n5z4WZB8LE9ZvqZNLiT4jnOIIxzAwAmJf2+eTrhUWiUbqn+QYWFkI4W2u+66iGcGyq+/Eddw==";
    assert.deepEqual(found(record(`  <id>${AWS_ID}</id>\n  <secret>{${cipher}}</secret>`)), [
      `aws-access-key-id ${AWS_ID}`,
    ]);
    assert.deepEqual(found(record(`  <id>datadog-prod</id>\n  <password>{${cipher}}</password>`)), []);
  });
});
