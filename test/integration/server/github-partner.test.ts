/**
 * POST /v1/github/secret-scanning against the real server on 127.0.0.1, a private redis-server and
 * a P-256 key pair made here in GitHub's key-list format: signed alerts become finding jobs (no raw
 * token anywhere in Redis), anything not signed by a listed key is a 401 that names no token.
 */
import assert from "node:assert/strict";
import { createHash, generateKeyPairSync, type KeyObject, sign } from "node:crypto";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { Queue } from "bullmq";
import type { FastifyInstance } from "fastify";
import { Redis } from "ioredis";
import { PartnerKeySet } from "../../../src/github/partner-keys.js";
import { generateKey } from "../../../src/keyformat/key-format.js";
import type { FindingJob } from "../../../src/queue/jobs.js";
import { FINDINGS_QUEUE, queuePrefix } from "../../../src/queue/names.js";
import { AuditLog, Registry } from "../../../src/registry/index.js";
import { buildServer } from "../../../src/server/app.js";
import { partnerSetupFromEnv } from "../../../src/server/partner-setup.js";
import { GITHUB_PARTNER_PATH, githubPartnerRoute } from "../../../src/server/routes/github-partner.js";
import { findingsOf } from "../../helpers/finding-jobs.js";
import { type FakeGitHub, startFakeGitHub } from "../../helpers/github-server.js";
import { type RedisServer, startRedisServer } from "../../helpers/redis-server.js";
import { crcToken } from "../../helpers/secrets.js";

interface Signer {
  id: string;
  privateKey: KeyObject;
  pem: string;
}

function makeSigner(id: string): Signer {
  const { privateKey, publicKey } = generateKeyPairSync("ec", { namedCurve: "P-256" });
  return { id, privateKey, pem: publicKey.export({ type: "spki", format: "pem" }).toString() };
}

const keyList = (...signers: Signer[]) => ({
  public_keys: signers.map((s, i) => ({ key_identifier: s.id, key: s.pem, is_current: i === 0 })),
});

function signed(body: string, s: Signer): Record<string, string> {
  const signature = sign("sha256", Buffer.from(body), { key: s.privateKey, dsaEncoding: "der" }).toString("base64");
  return {
    "content-type": "application/json",
    "github-public-key-identifier": s.id,
    "github-public-key-signature": signature,
  };
}

async function post(base: string, body: string, headers: Record<string, string>) {
  const res = await fetch(`${base}${GITHUB_PARTNER_PATH}`, { method: "POST", headers, body });
  const text = await res.text();
  return { status: res.status, text, json: JSON.parse(text) as unknown };
}

/** Every key name, hash, list, set, zset and stream entry, as text. */
async function everything(redis: Redis): Promise<string> {
  const out: string[] = [];
  for (const name of await redis.keys("*")) {
    out.push(name);
    const type = await redis.type(name);
    if (type === "string") out.push((await redis.get(name)) ?? "");
    else if (type === "hash") out.push(JSON.stringify(await redis.hgetall(name)));
    else if (type === "list") out.push(...(await redis.lrange(name, 0, -1)));
    else if (type === "set") out.push(...(await redis.smembers(name)));
    else if (type === "zset") out.push(...(await redis.zrange(name, "0", "-1")));
    else if (type === "stream") out.push(JSON.stringify(await redis.xrange(name, "-", "+")));
  }
  return out.join("\n");
}

const sha256 = (t: string) => createHash("sha256").update(t).digest("hex");

describe("GitHub secret-scanning partner endpoint", () => {
  let redisServer: RedisServer;
  let redis: Redis;
  let registry: Registry;
  let app: FastifyInstance;
  let base = "";
  let queue: Queue;

  const dir = mkdtempSync(join(tmpdir(), "leakstop-partner-"));
  const github = makeSigner("a".repeat(64));
  const stranger = makeSigner("b".repeat(64));
  let issued = "";

  before(async () => {
    redisServer = await startRedisServer();
    redis = new Redis(redisServer.url, { maxRetriesPerRequest: 1 });
    registry = new Registry(redis);
    issued = (await registry.create({ owner: { id: "team-a" }, scopes: ["keys:read"] }, "test")).key;
    const keysFile = join(dir, "keys.json");
    writeFileSync(keysFile, JSON.stringify(keyList(github)));
    const setup = await partnerSetupFromEnv(
      { LEAKSTOP_GITHUB_PARTNER_KEYS: keysFile, LEAKSTOP_NAMESPACE: "ptest" },
      redis,
      registry,
    );
    assert.ok(setup, "the endpoint is on when LEAKSTOP_GITHUB_PARTNER_KEYS is set");

    app = await buildServer({ registry, audit: new AuditLog(redis), redis, ipRateLimit: null, routes: [setup.route] });
    await app.listen({ host: "127.0.0.1", port: 0 });
    const address = app.server.address();
    base = `http://127.0.0.1:${typeof address === "object" && address ? address.port : 0}`;
    queue = new Queue(FINDINGS_QUEUE, { connection: redis, prefix: queuePrefix("ptest") });
  });
  after(async () => {
    await queue.close();

    await app.close();
    redis.disconnect();
    await redisServer.dispose();
    rmSync(dir, { recursive: true, force: true });
  });

  it("takes a signed alert: 200 in GitHub's feedback format, one finding job per token, no raw token in Redis", async () => {
    const unknownOwn = generateKey("lsk", "live");
    const thirdParty = crcToken("ghp_");
    const commit = "12345600b9cbe38a219f39a9941c9319b600c002";
    const alerts = [
      {
        token: issued,
        type: "leakstop_api_key",
        url: `https://github.com/octo/app/blob/${commit}/config/.env#L3`,
        source: "content",
      },
      {
        token: unknownOwn,
        type: "leakstop_api_key",
        url: "https://github.com/octo/app/issues/7#issuecomment-1",
        source: "issue_comment",
      },
      { token: thirdParty, type: "leakstop_api_key", url: "", source: "npm" },
    ];
    // GitHub's own spacing, kept byte for byte: the signature covers exactly these bytes.
    const body = `[ ${alerts.map((a) => JSON.stringify(a)).join(",\n  ")} ]`;
    const r = await post(base, body, signed(body, github));
    assert.equal(r.status, 200, r.text);
    assert.deepEqual(r.json, [
      { token_hash: sha256(issued), token_type: "leakstop_api_key", label: "true_positive" },
      { token_hash: sha256(unknownOwn), token_type: "leakstop_api_key", label: "false_positive" },
      { token_hash: sha256(thirdParty), token_type: "leakstop_api_key", label: "false_positive" },
    ]);

    const batches = await queue.getJobs(["waiting", "delayed", "prioritized"]);
    assert.equal(batches.length, 1, "one alert, one batch job");
    const jobs = findingsOf(batches);
    assert.equal(jobs.length, 3);
    const byHash = new Map(jobs.map((j) => [j.data.secretHash, j]));
    const own = byHash.get(sha256(issued))!;
    assert.equal(own.data.reporter, "github-partner");
    assert.equal(own.data.ruleId, "leakstop-key");
    assert.deepEqual(own.data.location, {
      source: "github-partner",
      repository: "octo/app",
      commit,
      path: "config/.env",
      startLine: 3,
      startColumn: 0,
      url: `https://github.com/octo/app/blob/${commit}/config/.env#L3`,
    });
    assert.equal(byHash.get(sha256(unknownOwn))!.data.location.path, "issues/7#issuecomment-1");
    assert.equal(byHash.get(sha256(thirdParty))!.data.ruleId, "github-partner/leakstop_api_key");
    assert.equal(byHash.get(sha256(thirdParty))!.data.location.path, "(npm)");

    const stored = await everything(redis);
    for (const token of [issued, unknownOwn, thirdParty]) {
      assert.ok(!stored.includes(token), "no raw token in any Redis key or value");
      assert.ok(!stored.includes(token.slice(-16)), "not even part of it");
    }

    // GitHub resends: the same jobs, nothing new.
    const again = await post(base, body, signed(body, github));
    assert.equal(again.status, 200);
    assert.equal(findingsOf(await queue.getJobs(["waiting", "delayed", "prioritized"])).length, 3);
  });

  it("answers 401 to a tampered body, an unknown key id, a foreign or malformed signature, or none", async () => {
    const token = generateKey("lsk", "live");
    const body = JSON.stringify([{ token, type: "leakstop_api_key", url: "", source: "content" }]);
    const before = await queue.count();
    const tampered = body.replace('"content"', '"commit" ');
    const cases: Array<[string, string, Record<string, string>]> = [
      ["tampered body", tampered, signed(body, github)],
      ["unknown key id", body, signed(body, stranger)],
      ["foreign signature", body, { ...signed(body, stranger), "github-public-key-identifier": github.id }],
      ["not base64", body, { ...signed(body, github), "github-public-key-signature": "%%%" }],
      ["truncated signature", body, { ...signed(body, github), "github-public-key-signature": "MEUCIQ==" }],
      ["no signature", body, { "content-type": "application/json", "github-public-key-identifier": github.id }],
      ["no headers", body, { "content-type": "application/json" }],
    ];
    for (const [what, sent, headers] of cases) {
      const r = await post(base, sent, headers);
      assert.equal(r.status, 401, what);
      assert.equal((r.json as { error: { code: string } }).error.code, "LS_UNAUTHENTICATED", what);
      assert.ok(!r.text.includes(token) && !r.text.includes(sha256(token)), `${what}: the answer names no token`);
    }
    assert.equal(await queue.count(), before, "nothing was enqueued");
  });

  it("answers 400 to a signed body that is not a list of matches, naming the field only", async () => {
    const token = crcToken("ghp_");
    for (const body of ["{}", "[]", JSON.stringify([{ token, url: "" }]), "not json"]) {
      const r = await post(base, body, signed(body, github));
      assert.equal(r.status, 400, body);
      assert.ok(!r.text.includes(token));
    }
  });

  it("fetches GitHub's key list from the API and refreshes it once for a key it has not seen", async () => {
    const gh: FakeGitHub = await startFakeGitHub();
    const rotated = makeSigner("c".repeat(64));
    try {
      gh.meta.secretScanningKeys = keyList(github);
      const keys = new PartnerKeySet({ source: { kind: "api", apiUrl: gh.apiUrl, token: null }, minRefreshMs: 0 });
      const jobs: FindingJob[] = [];
      const local = await buildServer({
        registry,
        audit: new AuditLog(redis),
        redis,
        ipRateLimit: null,
        routes: [
          githubPartnerRoute({
            keys,
            enqueue: async (j) => void jobs.push(...j),
            isKnownKey: async () => false,
          }),
        ],
      });
      await local.listen({ host: "127.0.0.1", port: 0 });
      const addr = local.server.address();
      const url = `http://127.0.0.1:${typeof addr === "object" && addr ? addr.port : 0}`;
      const body = JSON.stringify([{ token: crcToken("ghp_"), type: "t", url: "", source: "commit" }]);
      assert.equal((await post(url, body, signed(body, github))).status, 200);
      // GitHub rotates: the new key appears in the list; the first alert signed with it refreshes the cache.
      gh.meta.secretScanningKeys = keyList(rotated, github);
      assert.equal((await post(url, body, signed(body, rotated))).status, 200);
      const fetches = gh.requests.filter((r) => r.url.endsWith("/meta/public_keys/secret_scanning")).length;
      assert.equal(fetches, 2, "fetched once at first use and once for the new key");
      assert.equal(jobs.length, 2);
      // GitHub unreachable: the cached list stands, and an unknown id is still refused.
      await gh.close();
      const unknown = makeSigner("d".repeat(64));
      const r = await post(url, body, signed(body, unknown));
      assert.equal(r.status, 401, "an unknown id with GitHub unreachable keeps the cached list and refuses");
      await local.close();
      // No list at all (GitHub unreachable at the first alert): 503, so GitHub sends it again later.
      const cold = await buildServer({
        registry,
        audit: new AuditLog(redis),
        redis,
        ipRateLimit: null,
        routes: [
          githubPartnerRoute({
            keys: new PartnerKeySet({ source: { kind: "api", apiUrl: gh.apiUrl, token: null, timeoutMs: 2000 } }),
            enqueue: async () => assert.fail("nothing is enqueued unverified"),
            isKnownKey: async () => false,
          }),
        ],
      });
      await cold.listen({ host: "127.0.0.1", port: 0 });
      const coldAddr = cold.server.address();
      const coldUrl = `http://127.0.0.1:${typeof coldAddr === "object" && coldAddr ? coldAddr.port : 0}`;
      const cr = await post(coldUrl, body, signed(body, github));
      assert.equal(cr.status, 503, cr.text);
      await cold.close();
    } finally {
      await gh.close();
    }
  });
});
