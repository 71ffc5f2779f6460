import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { isGenericSecret } from "../../../src/rules/validators/generic-secret.js";

/** The generic rule's match ends with the value, so tests build matches the same way. */
const judge = (line: string, value: string, path = "config.env") => isGenericSecret(value, line, path);

describe("generic-secret judgement", () => {
  it("keeps random values assigned to secret-like names", () => {
    assert.equal(judge('DB_PASSWORD="Zx8kq2Lm9vR4tYw7"', "Zx8kq2Lm9vR4tYw7"), true);
    assert.equal(judge("api_key: a8f5f167f44f4964e6c998dee827110c", "a8f5f167f44f4964e6c998dee827110c"), true);
    assert.equal(judge('const authToken = "h7Gk2pQ9sLx4vB8nT3mZ', "h7Gk2pQ9sLx4vB8nT3mZ", "src/app.ts"), true);
    // as the rule really matches: the value and the one character that ends it
    assert.equal(judge('const authToken = "h7Gk2pQ9sLx4vB8nT3mZ"', "h7Gk2pQ9sLx4vB8nT3mZ", "src/app.ts"), true);
  });

  it("drops unquoted right-hand sides in source code: they are expressions", () => {
    assert.equal(judge("xsrfToken:a=n.xsrfHeaderName", "a=n.xsrfHeaderName", "dist/axios.min.js"), false);
    assert.equal(judge("token = Zx8kq2Lm9vR4tYw7", "Zx8kq2Lm9vR4tYw7", "src/app.ts"), false);
    assert.equal(judge("TOKEN=Zx8kq2Lm9vR4tYw7", "Zx8kq2Lm9vR4tYw7", "deploy.sh"), true);
  });

  it("drops names that hold hashes, ids, urls and sizes", () => {
    assert.equal(judge('password_hash = "Zx8kq2Lm9vR4tYw7"', "Zx8kq2Lm9vR4tYw7"), false);
    assert.equal(judge('token_id = "Zx8kq2Lm9vR4tYw7"', "Zx8kq2Lm9vR4tYw7"), false);
    assert.equal(judge('secret_url = "Zx8kq2Lm9vR4tYw7"', "Zx8kq2Lm9vR4tYw7"), false);
  });

  it("tells identifiers from random letters by their letter pairs", () => {
    for (const id of [
      "HttpStatusCode",
      "getIdentifierToken",
      "SystemBackend",
      "scanBinaryOrOctalDigits",
      "Git::prompt",
    ]) {
      assert.equal(judge(`secret = "${id}"`, id, "notes.md"), false, id);
    }
    for (const random of ["i1ZoaflZftfhoGRNpsqV", "qk482mfwz9xhtv7plrbw3ZNQKTRDV", "Qx7vLp2Rk9Zt4Wm8"]) {
      assert.equal(judge(`secret = "${random}"`, random, "notes.md"), true, random);
    }
  });

  it("drops words, identifiers, paths, versions and base64 of readable dummy text", () => {
    for (const value of [
      "correcthorsebattery",
      "getIdentifierToken",
      "builtin/credential-store.c",
      "1.22.333",
      "YWxpY2U6c2VjcmV0LXBhc3N3ZA==",
      "SuperSecretToken",
      "$HOME/bin/helper",
    ]) {
      assert.equal(judge(`secret = "${value}`, value), false, value);
    }
  });

  it("drops values that name a thing: addresses, credential scopes, artifacts and versions, settings, algorithms", () => {
    for (const value of [
      "0x9f8F72aA9304c8B593d555F12eF6589cC3A579A2",
      "20240101/us-east-1/s3/aws4_request",
      "AKIAJ7Q2LM9WP4RZ8VN1/20240101/us-east-1/s3/aws4_request",
      "jjwt-jackson-0.11.2",
      "jjwt-jackson:0.11.2",
      "x64-uwp=fail",
      "HS256",
      "RSA-OAEP-256",
      "SHA256withRSA",
      "PBKDF2WithHmacSHA256",
      "aes-256-gcm",
      "ecdsa-sha2-nistp256",
      "hmac-sha2-512",
      "chacha20-poly1305",
    ]) {
      assert.equal(judge(`secret = "${value}"`, value), false, value);
    }
    // A private key (64 hex) is not an address; a random password with a version-like tail is kept.
    const key = "0x4c0883a69102937d6231471b5dbb6204fe5129617082792ae468d01a3f362318";
    assert.equal(judge(`secret = "${key}"`, key), true);
    assert.equal(judge('secret = "Xq8Rt2Lm9W-1.2"', "Xq8Rt2Lm9W-1.2"), true);
  });

  it("drops CSRF authenticity tokens and Vault token accessors by their names", () => {
    assert.equal(judge("authenticity_token=Xq8Rt2Lm9Wp4Zv1Nb6Yc3Fh5", "Xq8Rt2Lm9Wp4Zv1Nb6Yc3Fh5"), false);
    assert.equal(judge('token_accessor: "Tj3Xq8RfL2mW9pZ5kN7vB1cY"', "Tj3Xq8RfL2mW9pZ5kN7vB1cY"), false);
  });

  it('drops a source map\'s names list ("password", "x") but not an assignment there', () => {
    assert.equal(judge('"password","xK9pQ2mZ7vL4"', "xK9pQ2mZ7vL4", "dist/app.js.map"), false);
    assert.equal(judge('"password","xK9pQ2mZ7vL4"', "xK9pQ2mZ7vL4", "config.json"), true);
    assert.equal(judge('password = \\"xK9pQ2mZ7vL4', "xK9pQ2mZ7vL4", "dist/app.js.map"), true);
  });

  it("tells paths from base64 that starts with a slash", () => {
    assert.equal(judge("DB_PASSWORD_FILE=/run/secrets/db_password", "/run/secrets/db_password"), false);
    assert.equal(judge("secret: ./keys/private.pem", "./keys/private.pem"), false);
    assert.equal(judge("secret: ~/.ssh/id_rsa_deploy", "~/.ssh/id_rsa_deploy"), false);
    const b64 = "/5Wqv4nTcw1VvrsnVffQTY/a6ipy/PqJ";
    assert.equal(judge(`'PASSWORD': '${b64}'`, b64, "settings.py"), true);
  });

  it("judges an XML key/value setting by the name in its key attribute", () => {
    assert.equal(judge('key="ApiKeyHeader" value="X-Api-Key-Name"', "X-Api-Key-Name", "web.config"), false);
    assert.equal(judge('name="password" value="X2lwqMekhupecPvo7u"', "X2lwqMekhupecPvo7u", "beans.xml"), true);
    assert.equal(judge('name="tokenType" value="Xk2lwqMekhupecPvo7u"', "Xk2lwqMekhupecPvo7u", "beans.xml"), false);
  });

  it("drops HTTP header names", () => {
    assert.equal(judge("TOKEN_HEADER=X-Auth-Token", "X-Auth-Token"), false);
  });

  it("judges a name/value pair by the name it sets", () => {
    const v = "fHQSGHFEQNAX9noaUK9S";
    assert.equal(judge(`- name: API_TOKEN\n  value: "${v}"`, v, "deploy.yaml"), true);
    assert.equal(judge(`{"name": "TOKEN_URL", "value": "${v}"`, v, "task.json"), false);
  });

  it("drops the front of a longer string the value pattern stops inside", () => {
    // quoted and going on past a comma, a semicolon or a bracket: the front is no secret of its own
    for (const [line, value] of [
      ["secret = 'Hq2Lp9Zx4Vb7Nm3Kw8,Ry5Tt1Gc6Jd0'", "Hq2Lp9Zx4Vb7Nm3Kw8"],
      ['"api_key": "Ts8Vx2Mq4Lp9Zk7Rw3;Nb5Yc1"', "Ts8Vx2Mq4Lp9Zk7Rw3"],
      ['apiKey := "Wq4Zx8Lm2Vt7Kp9Rb3[qy]Hc6Nd1"', "Wq4Zx8Lm2Vt7Kp9Rb3"],
      ["credentials: Wq4Zx8Lm2Vt7Kp9Rb3[qy]Hc6Nd1", "Wq4Zx8Lm2Vt7Kp9Rb3"],
    ] as const) {
      assert.equal(judge(`${line}`.slice(0, line.indexOf(value) + value.length + 1), value), false, line);
    }
    // the whole string, blanks before its closing quote allowed, an escaped quote, the end of the text
    assert.equal(judge("token = 'Hq2Lp9Zx4Vb7Nm3Kw8Ry5T '", "Hq2Lp9Zx4Vb7Nm3Kw8Ry5T"), true);
    assert.equal(judge("token = 'Hq2Lp9Zx4Vb7Nm3Kw8Ry5T\r'", "Hq2Lp9Zx4Vb7Nm3Kw8Ry5T"), true);
    assert.equal(judge('"token = \\"Hq2Lp9Zx4Vb7Nm3Kw8Ry5T\\', "Hq2Lp9Zx4Vb7Nm3Kw8Ry5T"), true);
    assert.equal(judge('token = "Hq2Lp9Zx4Vb7Nm3Kw8Ry5T', "Hq2Lp9Zx4Vb7Nm3Kw8Ry5T"), true);
    // a blank may separate a list's elements, each a token of its own
    assert.equal(
      judge("token = 'Hq2Lp9Zx4Vb7Nm3Kw8Ry5T | Hq2Lp9Zx4Vb7Nm3Kw8Ry5T'".slice(0, 32), "Hq2Lp9Zx4Vb7Nm3Kw8Ry5T"),
      true,
    );
  });

  it("drops URL query parameters, values typed in order and values filled with one character", () => {
    const sas = "st=2025-03-04T07:24:52Z&se=2025-04-04T15:24:52Z&spr=https&sv=2022-11-02&sr=c";
    assert.equal(judge(`AZURE_SAS_TOKEN=${sas}\n`, sas), false);
    for (const typed of ["abcxyz123", "AbCeFG123", "zyxwvutsrqponmlkji9876543210abcd", "API-1234", "tok-9876"]) {
      assert.equal(judge(`ACCESS_TOKEN=${typed}\n`, typed), false, typed);
    }
    const filled = "WAAP6A4gYA1qA%HAaWAAFAHBAL%a6kwwwbD";
    assert.equal(judge(`API_KEY=${filled}\n`, filled), false);
    // a drawn value may hold a short run or a repeated character now and then
    for (const drawn of ["Summer123Kq8vTz", "Xabc8Lm2Vt7Kp9Rb3Hc6", "Kq8vTzAA2mWxpL4nRb7cAA9sYdHj3k"]) {
      assert.equal(judge(`API_KEY=${drawn}\n`, drawn), true, drawn);
    }
  });
  it("drops values that open with a mark of something other than a literal, keeps punctuation of real passwords", () => {
    // a query or a placeholder, a bare name after "@", a printf conversion
    for (const marked of [
      "?Qm7tLx2vRk9Zp4W8=",
      "@kq7vzxm2tr9lp4wd8hn3",
      "%c^Rk9zQ2mL7vTx-wb5",
      "%(db_pass)s-Zx8kq2Lm",
    ]) {
      assert.equal(judge(`api_key = "${marked}"`, marked), false, marked);
    }
    // percent-encoding ("%40" is "@") and "@" before other symbols open real passwords
    for (const real of ["%40Xk9vR2mQ7tLp4Wz", "@Rk9#zQ2m!L7vTx", "%2FqZ8kLm9vR4tYw7"]) {
      assert.equal(judge(`DB_PASSWORD="${real}"`, real), true, real);
    }
  });

  it("drops a JWT's shape broken by characters outside base64url, keeps other base64 JSON", () => {
    const broken = "eyJhbGciOi^JIUzI1NiJ9.eyJzdWIiOi$Jxa2V5In0.Zk8&mQ2vLx9Tr4Wp";
    assert.equal(judge(`session_token = "${broken}"`, broken), false);
    // base64 of a JSON credential file (no dots) is still a secret
    const json = "eyJ0eXBlIjoic2VydmljZV9hY2NvdW50Iiwia2V5IjoiWng4a3EyTG05dlI0dFl3NyJ9";
    assert.equal(judge(`GOOGLE_CREDENTIALS=${json}\n`, json), true);
  });

  it("drops the front of a string broken across a blank after a separator", () => {
    assert.equal(judge('api_token = "k3vq9x7m-wp2r- ', "k3vq9x7m-wp2r-"), false);
    // a blank between two tokens of a list is no break
    assert.equal(judge("token = 'Hq2Lp9Zx4Vb7Nm3Kw8Ry5T ", "Hq2Lp9Zx4Vb7Nm3Kw8Ry5T"), true);
  });
});
