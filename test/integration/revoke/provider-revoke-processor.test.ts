/**
 * Third-party secrets through real BullMQ workers: a ProviderRevokeJob with a sealed GitHub token
 * is opened with the report private key, revoked through the local credential revocation
 * endpoint (a 5xx is retried), and the security contact's webhook hears exactly once what
 * happened: "provider-revoked", or a "security-alert" when GitHub refused, the API kept
 * failing, or the box does not open. The raw token never lands in Redis.
 */
import assert from "node:assert/strict";
import { createPrivateKey, createPublicKey } from "node:crypto";
import { after, before, describe, it } from "node:test";
import { generateSealKeyPair, seal, unseal } from "../../../src/lib/sealed-box.js";
import { createEmailSender } from "../../../src/notify/email-sender.js";
import { notifyProcessor } from "../../../src/notify/notify-processor.js";
import { verifyWebhookSignature } from "../../../src/notify/webhook-signature.js";
import { parseWebhookAllow } from "../../../src/notify/webhook-url.js";
import { JOB_SCHEMA_VERSION, type ProviderRevokeJob } from "../../../src/queue/jobs.js";
import { NOTIFY_QUEUE, PROVIDER_REVOKE_QUEUE } from "../../../src/queue/names.js";
import { createGitHubRevoker } from "../../../src/revoke/providers/github.js";
import { revokerRegistry } from "../../../src/revoke/providers/index.js";
import { providerRevokeProcessor } from "../../../src/revoke/providers/provider-revoke-processor.js";
import { enqueueProviderRevoke } from "../../../src/revoke/providers/provider-revoke-queue.js";
import { dumpRedis } from "../../helpers/redis-dump.js";
import { crcToken } from "../../helpers/secrets.js";
import { type PipelineFixture, type Receiver, startPipeline, startReceiver, waitFor } from "../notify/fixture.js";
import { type FakeCredentialsApi, startFakeCredentialsApi } from "./fake-credentials-api.js";

const WEBHOOK_SECRET = "whsec_contact_test";

describe("provider-revoke processor", () => {
  let p: PipelineFixture;
  let api: FakeCredentialsApi;
  let contact: Receiver;
  const plan = new Map<string, number[]>();
  const keys = generateSealKeyPair();
  const privateKey = createPrivateKey(keys.privateKeyPem);
  const publicKey = createPublicKey(keys.publicKeyPem);
  const tokens: string[] = [];

  before(async () => {
    p = await startPipeline();
    contact = await startReceiver(() => 200);
    // Answers by token: each test scripts its own sequence of statuses.
    api = await startFakeCredentialsApi((n) => {
      const token = JSON.parse(api.requests[n]!.body).credentials[0] as string;
      return plan.get(token)?.shift() ?? 202;
    });
    p.work(
      PROVIDER_REVOKE_QUEUE,
      providerRevokeProcessor({
        revokers: revokerRegistry([createGitHubRevoker({ apiUrl: api.apiUrl })]),
        unseal: (box) => unseal(box, privateKey),
        notify: p.notify,
        securityContact: contact.url,
        notifyRetry: { attempts: 3, backoffMs: 20 },
      }),
    );
    p.work(
      NOTIFY_QUEUE,
      notifyProcessor({
        deadLetters: p.deadLetters,
        webhook: { secret: WEBHOOK_SECRET, allow: parseWebhookAllow("127.0.0.1") },
        email: createEmailSender({ smtpUrl: undefined }),
      }),
    );
  });
  after(async () => {
    const stored = await dumpRedis(p.redis);
    for (const t of tokens) assert.ok(!stored.includes(t), "no raw token in Redis");
    await p.close();
    await api.close();
    await contact.close();
  });

  function job(findingId: string, token: string, sealTo = publicKey): ProviderRevokeJob {
    tokens.push(token);
    return {
      v: JOB_SCHEMA_VERSION,
      findingId,
      revoker: "github",
      ruleId: "github-pat",
      provider: "github",
      secretHash: "ab".repeat(32),
      sealedSecret: seal(token, sealTo),
      location: { source: "history", path: "deploy.sh", startLine: 7, startColumn: 5, repository: "acme/ops" },
      detectedAt: "2026-12-06T11:00:00.000Z",
    };
  }

  /** Runs one job to its end and returns what the contact received for it. */
  async function run(j: ProviderRevokeJob, attempts = 4) {
    const id = await enqueueProviderRevoke(p.providerRevoke, j, { attempts, backoffMs: 20 });
    await waitFor("the provider job to finish", async () => {
      const s = await p.providerRevoke.getJobState(id);
      return s === "completed" || s === "failed";
    });
    const done = await p.providerRevoke.getJob(id);
    const notifyId = `notify:${j.findingId}:webhook`;
    await waitFor("the contact's webhook", async () => (await p.notify.getJobState(notifyId)) === "completed");
    const got = contact.received.filter((r) => r.headers["leakstop-delivery"] === j.findingId);
    return { done: done!, got };
  }

  it("a 5xx is retried; then GitHub revokes it and the contact hears it once", async () => {
    const token = crcToken("ghp_");
    plan.set(token, [502]);
    const { done, got } = await run(job("finding-ok-1", token));
    assert.equal(done.attemptsMade, 2);
    assert.equal(done.returnvalue.outcome, "revoked");
    assert.equal(api.requests.filter((r) => r.body.includes(token)).length, 2);
    assert.equal(got.length, 1);
    assert.ok(verifyWebhookSignature(got[0]!.body, got[0]!.headers["leakstop-signature"] as string, WEBHOOK_SECRET));
    const body = JSON.parse(got[0]!.body);
    assert.equal(body.type, "provider-revoked");
    assert.equal(body.action, "revoked by github: GitHub accepted the revocation (202)");
    assert.equal(body.location.repository, "acme/ops");
    assert.ok(!got[0]!.body.includes(token));
  });

  it("a 422 is not retried: the contact gets a security alert without the token", async () => {
    const token = crcToken("ghp_");
    plan.set(token, [422]);
    const { done, got } = await run(job("finding-422", token));
    assert.equal(done.attemptsMade, 1);
    assert.equal(done.returnvalue.outcome, "rejected");
    assert.equal(got.length, 1);
    const body = JSON.parse(got[0]!.body);
    assert.equal(body.type, "security-alert");
    assert.match(
      body.action,
      /^not revoked: GitHub at .* refused the revocation \(422 .*raised to the security contact$/,
    );
    assert.ok(!got[0]!.body.includes(token));
  });

  it("an API that keeps failing: after the last attempt a security alert, never silence", async () => {
    const token = crcToken("ghp_");
    plan.set(token, [500, 500, 500]);
    const { done, got } = await run(job("finding-5xx", token), 3);
    assert.equal(done.attemptsMade, 3);
    assert.equal(done.returnvalue.outcome, "failed");
    assert.equal(got.length, 1);
    const body = JSON.parse(got[0]!.body);
    assert.equal(body.type, "security-alert");
    assert.match(body.action, /kept failing .*answered 500.*after 3 attempts/);
  });

  it("a box sealed to another key is not opened: a security alert names the code", async () => {
    const other = createPublicKey(generateSealKeyPair().publicKeyPem);
    const before = api.requests.length;
    const { done, got } = await run(job("finding-wrongkey", crcToken("ghp_"), other));
    assert.equal(done.returnvalue.outcome, "unrevocable");
    assert.equal(api.requests.length, before, "nothing reached GitHub");
    assert.match(JSON.parse(got[0]!.body).action, /^not revocable: LS_SEALED_WRONG_KEY: /);
  });
});
