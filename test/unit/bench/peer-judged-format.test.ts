/**
 * Peer positives judged against their providers' documented formats (bench/peers/judged-format.ts): a value
 * with the provider's marker that breaks the documented shape is judged; one in that shape is not.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { judgedWrong } from "../../../bench/peers/judged.js";
import { breaksDocumentedShape, onlyTruncatedPems } from "../../../bench/peers/judged-format.js";
import type { PeerCase } from "../../../bench/peers/peer-case.js";
import { marvin32 } from "../../../src/lib/marvin32.js";

/** Runs of drawn characters built at run time, so no token is written here. */
const draw = (alphabet: string, n: number, step = 7) =>
  Array.from({ length: n }, (_, i) => alphabet[(i * step + 3) % alphabet.length]).join("");
const HEX = "0123456789abcdef";
const ALNUM = "abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";
const pos = (rule: string, text: string): PeerCase => ({ source: "trufflehog test", rule, kind: "positive", text });
const judged = (rule: string, text: string) => judgedWrong(pos(rule, text))?.class;

describe("peer positives against documented formats", () => {
  it("a Postman key without its <24 hex>-<34 hex> shape is judged; one in that shape is not", () => {
    const good = `PMAK-${draw(HEX, 24)}-${draw(HEX, 34, 5)}`;
    const bad = `PMAK-${draw(ALNUM, 59)}`;
    assert.equal(judged("postman", `postman token = '${bad}'`), "case itself wrong");
    assert.equal(judged("postman", `postman token = '${good}'`), undefined);
  });

  it("a PostHog key holding `_` is judged; base 62 is not", () => {
    const body = draw(ALNUM, 40);
    assert.equal(
      judged("posthog", `posthog token = 'phx_${body.slice(0, 20)}_${body.slice(20)}'`),
      "case itself wrong",
    );
    assert.equal(judged("posthog", `posthog token = 'phx_${body}'`), undefined);
  });

  it("New Relic: a prefix New Relic does not issue or a short Insights key is judged; NRJS-<19 hex> is not", () => {
    assert.equal(judged("newrelicbrowserkey", `browser key = 'NRBR-${draw(HEX, 19)}'`), "case itself wrong");
    assert.equal(judged("newrelicinsightsinsertkey", `insert key = 'NRII-${draw(ALNUM, 25)}'`), "case itself wrong");
    assert.equal(judged("newrelicbrowserkey", `browser key = 'NRJS-${draw(HEX, 19)}'`), undefined);
    assert.equal(judged("newrelicinsightsinsertkey", `insert key = 'NRII-${draw(ALNUM, 32)}'`), undefined);
  });

  it("a Tailscale key without CNTRL, a Typeform token without tfp_ and a glsa_ without its checksum part are judged", () => {
    const f = { marker: /tskey-[^\s']*/g, shape: (v: string) => /CNTRL-/.test(v) };
    assert.equal(breaksDocumentedShape(f, `tskey-${draw(ALNUM, 8)}-${draw(ALNUM, 40)}`), true);
    assert.equal(breaksDocumentedShape(f, `tskey-auth-${draw(ALNUM, 12)}CNTRL-${draw(ALNUM, 30)}`), false);
    assert.equal(breaksDocumentedShape(f, "no marker here"), false, "no marker: nothing to judge");
    assert.equal(
      judged("tailscale", `tailscale token = 'tskey-${draw(ALNUM, 8)}-${draw(ALNUM, 40)}'`),
      "case itself wrong",
    );
    assert.equal(judged("typeform/v1", `typeform token = 'tfps${draw(ALNUM, 40)}'`), "case itself wrong");
    assert.equal(judged("typeform/v1", `typeform token = 'tfp_${draw(ALNUM, 40)}'`), undefined);
    assert.equal(judged("grafanaserviceaccount", `'glsa_${draw(ALNUM, 7)}_${draw(ALNUM, 33)}'`), "case itself wrong");
  });

  it("a truncated PEM private key is judged; a whole one (by its DER length) is not", () => {
    const der = Buffer.alloc(120, 7);
    der.writeUInt8(0x30, 0);
    der.writeUInt8(0x82, 1);
    der.writeUInt16BE(116, 2);
    const pem = (b: Buffer | string) =>
      `-----BEGIN PRIVATE KEY-----\n${typeof b === "string" ? b : b.toString("base64")}\n-----END PRIVATE KEY-----`;
    assert.equal(onlyTruncatedPems(pem(der)), false);
    assert.equal(onlyTruncatedPems(pem(der.subarray(0, 90))), true, "shorter than its declared length");
    assert.equal(onlyTruncatedPems(pem("MIIEvAIBADANBgkqhkiG9w0BAQEFAASC...")), true, "not base64");
    assert.equal(judged("gcp", JSON.stringify({ private_key: pem(der.subarray(0, 60)) })), "case itself wrong");
  });

  it("an identifier alone is judged; beside its secret it is not", () => {
    const id = `su${draw(ALNUM, 12)}`;
    const rule = (text: string) => judgedWrong({ ...pos("sumologic-access-id", text), source: "gitleaks test" })?.class;
    assert.equal(rule(`sumo_access_id = "${id}"`), "case itself wrong");
    assert.equal(rule(`sumo_access_id = "${id}"\nsumo_access_key = "${draw(ALNUM, 64)}"`), undefined);
    const key = draw(ALNUM, 32);
    assert.equal(judged("trelloapikey", `trello key - '${key}'`), "case itself wrong", "a public Trello API key alone");
    assert.equal(judged("trelloapikey", `trello key - '${key}'\ntrello token - '${draw(HEX, 64)}'`), undefined);
  });

  it("a LinkedIn client ID alone is judged; beside a client secret it is not", () => {
    const rule = (text: string) => judgedWrong({ ...pos("linkedin-client-id", text), source: "gitleaks test" })?.class;
    const id = draw("abcdefghijklmnopqrstuvwxyz0123456789", 14);
    assert.equal(rule(`linkedin_client_id = "${id}"`), "case itself wrong");
    assert.equal(rule(`linkedin_client_id = "${id}"\nlinkedin_client_secret = "${draw(ALNUM, 16)}"`), undefined);
  });

  it("GitLab, Slack, Zapier and Portainer values outside their documented shapes are judged; documented ones are not", () => {
    assert.equal(judged("gitlab/v2", `token = 'glpat-${draw(ALNUM, 22)}'`), "case itself wrong");
    assert.equal(judged("gitlab/v2", `token = 'glpat-${draw(ALNUM, 20)}'`), undefined);
    assert.equal(judged("gitlab/v3", `token = 'glpat-${draw(ALNUM, 36)}.01.${draw(HEX, 9)}'`), undefined);
    const hook = (t: string, b: string, s: string) => `https://hooks.slack.com/services/${t}/${b}/${s}`;
    const T = `T${draw("ABCDEFGHJKLMNPQRSTUVWXYZ0123456789", 10)}`;
    const B = `B${draw("ABCDEFGHJKLMNPQRSTUVWXYZ0123456789", 10, 5)}`;
    assert.equal(judged("slackwebhook", hook(T, "BASE", draw(ALNUM, 25))), "case itself wrong");
    assert.equal(judged("slackwebhook", hook(T, B, draw(ALNUM, 24))), undefined);
    const ids = "65677559833-96137786733";
    assert.equal(judged("slack", `slack token - 'xoxb-${ids}u'`), "case itself wrong", "ids alone, no secret part");
    assert.equal(judged("slack", `slack token - 'xoxb-${ids}-${draw(ALNUM, 24)}'`), undefined);
    assert.equal(
      judged("zapierwebhook", `https://hooks.zapier.com/hooks/catch/${draw(ALNUM, 16)}`),
      "case itself wrong",
    );
    assert.equal(judged("zapierwebhook", `https://hooks.zapier.com/hooks/catch/1234567/${draw(ALNUM, 6)}/`), undefined);
    const b64 = Buffer.from(draw(ALNUM, 32)).toString("base64");
    assert.equal(judged("portainertoken", `token - 'ptr_${draw(ALNUM, 33)}_${draw(ALNUM, 3)}'`), "case itself wrong");
    assert.equal(judged("portainertoken", `token - 'ptr_${b64}'`), undefined);
  });

  it("a JWT whose claims are no base64url JSON is judged; a well-formed one is not", () => {
    const part = (o: object) => Buffer.from(JSON.stringify(o)).toString("base64url");
    const head = part({ alg: "HS256", typ: "JWT" });
    assert.equal(judged("portainer", `token - '${head}.${draw(ALNUM, 60)}.${draw(ALNUM, 43)}'`), "case itself wrong");
    assert.equal(
      judged("portainer", `token - '${head}.${part({ id: 1, username: "u" })}.${draw(ALNUM, 43)}'`),
      undefined,
    );
  });

  it("Asana tokens outside 0/, 1/<id>:<32 hex>, 2/<id>/<id>:<32 hex> are judged", () => {
    assert.equal(
      judged("asanapersonalaccesstoken", `Key=5947/${draw("0123456789", 20)}:${draw(ALNUM, 60)}`),
      "case itself wrong",
    );
    assert.equal(
      judged(
        "asanapersonalaccesstoken",
        `Key=2/${draw("0123456789", 16)}/${draw("0123456789", 16, 3)}:${draw(HEX, 32)}`,
      ),
      undefined,
    );
  });

  it("an Azure Container Registry password failing its Marvin32 checksum is judged; one holding it is not", () => {
    // 35 bytes whose base64 holds +ACR at 42 and A at 46, then their Marvin32 under "ACRDflt0", little-endian.
    const body = Buffer.from(`${draw(ALNUM, 42)}+ACRAA`, "base64").subarray(0, 35);
    const sum = Buffer.alloc(4);
    sum.writeUInt32LE(marvin32(body, 0x41435244666c7430n));
    const good = Buffer.concat([body, sum]).toString("base64");
    assert.match(good, /^[A-Za-z0-9+/]{42}\+ACR[A-D][A-Za-z0-9+/]{5}$/);
    const bad = good.slice(0, 47) + (good[47] === "x" ? "y" : "x") + good.slice(48);
    assert.equal(judged("azurecontainerregistry", `docker login r.azurecr.io -u r -p ${bad}`), "case itself wrong");
    assert.equal(judged("azurecontainerregistry", `docker login r.azurecr.io -u r -p ${good}`), undefined);
  });

  it("a Square app id of no documented prefix and a Salesforce token without an org id are judged", () => {
    assert.equal(judged("squareapp", `token - 'sq0ige-${draw(ALNUM, 28)}'`), "case itself wrong");
    assert.equal(judged("squareapp", `token - 'sq0idp-${draw(ALNUM, 22)}'`), undefined);
    assert.equal(judged("salesforce", `token - '00M${draw(ALNUM, 12)}!${draw(ALNUM, 90)}'`), "case itself wrong");
    assert.equal(judged("salesforce", `token - '00D${draw(ALNUM, 12)}!${draw(ALNUM, 90)}'`), undefined);
  });

  it("a JWT whose claims hold a one-character stand-in is judged; drawn claims are not", () => {
    const part = (o: object) => Buffer.from(JSON.stringify(o)).toString("base64url");
    const jwt = (claims: object) => `${part({ alg: "RS256", typ: "JWT" })}.${part(claims)}.${draw(ALNUM, 86)}`;
    const rule = (text: string) => judgedWrong({ ...pos("jwt", text), source: "gitleaks test" })?.class;
    assert.equal(rule(`"idToken": "${jwt({ sub: "u1", aud: "X".repeat(32) })}"`), "case itself wrong");
    assert.equal(rule(`"idToken": "${jwt({ sub: "u1", aud: draw(ALNUM, 32) })}"`), undefined);
  });
});
