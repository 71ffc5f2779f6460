/**
 * POST /v1/findings and GET /v1/report-key on a real server (loopback) over a real redis-server:
 * scope, strict validation, the credential screen, idempotent enqueue, nothing raw stored.
 */
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { after, before, describe, it } from "node:test";
import { Redis } from "ioredis";
import { generateSealKeyPair, loadSealPrivateKey, loadSealPublicKey, unseal } from "../../../src/lib/sealed-box.js";
import { findingIdOf } from "../../../src/queue/finding-id.js";
import type { FindingJob } from "../../../src/queue/jobs.js";
import { AuditLog, Registry, ROLE_SCOPES, type Role } from "../../../src/registry/index.js";
import { compileSecretScreen } from "../../../src/registry/secret-screen.js";
import { toFindingJobs } from "../../../src/report/finding-job.js";
import { buildServer } from "../../../src/server/app.js";
import { findingsRoutes } from "../../../src/server/routes/findings.js";
import { storedFindings } from "../../helpers/finding-jobs.js";
import { dumpRedis } from "../../helpers/redis-dump.js";
import { type RedisServer, startRedisServer } from "../../helpers/redis-server.js";
import { awsAccessKeyId, crcToken } from "../../helpers/secrets.js";
import { call } from "../server/harness.js";

const pair = generateSealKeyPair();
const PAT = crcToken("ghp_");
const AWS = awsAccessKeyId();

function finding(secret: string, ruleId: string, line: number) {
  return {
    ruleId,
    provider: ruleId.startsWith("github") ? "GitHub" : "AWS",
    description: "",
    severity: "critical" as const,
    path: "src/app.ts",
    startLine: line,
    endLine: line,
    startColumn: 5,
    endColumn: 45,
    match: `${secret.slice(0, 4)}…`,
    secretHash: createHash("sha256").update(secret).digest("hex"),
    fingerprint: "x",
    validated: true,
    entropy: 4,
    source: "tree" as const,
    tags: [],
  };
}

function jobs(): FindingJob[] {
  const findings = [finding(PAT, "github-pat", 3), finding(AWS, "aws-access-key-id", 4)];
  return toFindingJobs(findings, {
    reporter: "cli",
    sealTo: loadSealPublicKey(pair.publicKeyPem),
    rawSecrets: new Map([[findings[0]!.secretHash, PAT]]),
  }).jobs;
}

describe("POST /v1/findings", () => {
  let server: RedisServer;
  let redis: Redis;
  let registry: Registry;
  let baseUrl = "";
  let close: () => Promise<void>;
  const keyWith = async (role: Role) =>
    (await registry.create({ owner: { id: "ops" }, scopes: ROLE_SCOPES[role] }, "test")).key;

  before(async () => {
    server = await startRedisServer();
    redis = new Redis(server.url, { maxRetriesPerRequest: 1 });
    registry = new Registry(redis, {});
    const app = await buildServer({
      registry,
      audit: new AuditLog(redis),
      redis,
      ipRateLimit: null,
      routes: [findingsRoutes({ redis, screen: compileSecretScreen(), reportPublicKeyPem: pair.publicKeyPem })],
    });
    await app.listen({ host: "127.0.0.1", port: 0 });
    const addr = app.server.address();
    baseUrl = `http://127.0.0.1:${typeof addr === "object" && addr ? addr.port : 0}`;
    close = async () => {
      await app.close();
      redis.disconnect();
      await server.dispose();
    };
  });
  after(async () => close?.());

  it("queues each finding once under its findingId (202), a resend adds nothing, nothing raw is stored", async () => {
    const key = await keyWith("scanner");
    const batch = jobs();
    const first = await call({ baseUrl }, "POST", "/v1/findings", { key, body: { findings: batch } });
    assert.equal(first.status, 202, first.text);
    assert.deepEqual(first.body, { accepted: 2, duplicates: 0 });
    const again = await call({ baseUrl }, "POST", "/v1/findings", { key, body: { findings: batch } });
    assert.deepEqual(again.body, { accepted: 0, duplicates: 2 });
    const stored = await storedFindings(redis, "leakstop");
    assert.equal(stored.length, 2, "each finding stored once");
    const job = stored.find((j) => j.findingId === batch[0]!.findingId)!;
    assert.equal(job.secretHash, batch[0]!.secretHash);
    assert.match(job.reporter, /^key:/);
    assert.equal(unseal(job.sealedSecret!, loadSealPrivateKey(pair.privateKeyPem)), PAT);
    assert.ok(stored.some((j) => j.findingId === batch[1]!.findingId));
    const dump = await dumpRedis(redis);
    assert.ok(!dump.includes(PAT) && !dump.includes(AWS), "a raw secret reached Redis");
  });

  it("answers 403 naming findings:write to a key without it, 401 without a key", async () => {
    const res = await call({ baseUrl }, "POST", "/v1/findings", {
      key: await keyWith("auditor"),
      body: { findings: jobs() },
    });
    assert.equal(res.status, 403);
    assert.match(res.body.error.message, /findings:write/);
    assert.equal((await call({ baseUrl }, "POST", "/v1/findings", { body: { findings: jobs() } })).status, 401);
  });

  it("refuses malformed batches whole with a 400 naming the field, queueing nothing", async () => {
    const key = await keyWith("scanner");
    const before = (await redis.keys("*findings:*")).length;
    const cases: Array<[unknown, RegExp]> = [
      [{ findings: [] }, /findings/],
      [{ findings: [{ ...jobs()[1], extra: 1 }] }, /extra|additional/i],
      [{ findings: [{ ...jobs()[1], findingId: "0".repeat(64) }] }, /findingId is not the SHA-256/],
      [{ findings: [{ ...jobs()[1], sealedSecret: jobs()[0]!.sealedSecret }] }, /has no revoker/],
      [{ findings: Array.from({ length: 501 }, () => jobs()[1]) }, /findings/],
      [{ findings: [{ ...jobs()[1], secretHash: PAT }] }, /secretHash/],
    ];
    for (const [body, message] of cases) {
      const res = await call({ baseUrl }, "POST", "/v1/findings", { key, body });
      assert.equal(res.status, 400, res.text);
      assert.match(res.body.error.message, message);
      assert.ok(!res.text.includes(PAT));
    }
    assert.equal((await redis.keys("*findings:*")).length, before);
  });

  it("refuses a raw-looking secret in any free-text field without echoing it", async () => {
    const key = await keyWith("scanner");
    const base = jobs()[1]!;
    const location = { ...base.location, path: `config/${PAT}.txt` };
    const job = { ...base, location, findingId: findingIdOf(base.secretHash, location) };
    const res = await call({ baseUrl }, "POST", "/v1/findings", { key, body: { findings: [job] } });
    assert.equal(res.status, 400);
    assert.match(res.body.error.message, /location\.path looks like a raw secret \(github-pat\)/);
    assert.ok(!res.text.includes(PAT));
  });

  it("refuses a secret sealed to another key", async () => {
    const other = generateSealKeyPair();
    const f = finding(PAT, "github-pat", 9);
    const [job] = toFindingJobs([f], {
      reporter: "cli",
      sealTo: loadSealPublicKey(other.publicKeyPem),
      rawSecrets: new Map([[f.secretHash, PAT]]),
    }).jobs;
    const res = await call({ baseUrl }, "POST", "/v1/findings", {
      key: await keyWith("scanner"),
      body: { findings: [job] },
    });
    assert.equal(res.status, 400);
    assert.match(res.body.error.message, /another key/);
  });

  it("answers 413 for a body over the limit", async () => {
    const res = await call({ baseUrl }, "POST", "/v1/findings", {
      key: await keyWith("scanner"),
      body: { findings: [{ ...jobs()[1], provider: "x".repeat(1_100_000) }] },
    });
    assert.equal(res.status, 413);
  });

  it("serves the report public key at GET /v1/report-key without a key", async () => {
    const res = await call({ baseUrl }, "GET", "/v1/report-key");
    assert.equal(res.status, 200);
    assert.equal(res.body.keyId, pair.keyId);
    assert.equal(res.body.publicKey.trim(), pair.publicKeyPem.trim());
  });

  it("documents both routes in the OpenAPI document", async () => {
    const doc = (await call({ baseUrl }, "GET", "/openapi.json")).body;
    assert.ok(doc.paths["/v1/findings"].post.responses["202"]);
    assert.ok(doc.paths["/v1/report-key"].get);
  });
});
