/** `org-scan --report`: the org's findings land on the findings queue once, attributed to their repository. */
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { Redis } from "ioredis";
import { storedFindings } from "../helpers/finding-jobs.js";
import { type FakeGitHub, startFakeGitHub } from "../helpers/github-server.js";
import { gitRoot, Origin } from "../helpers/org-origin.js";
import { dumpRedis } from "../helpers/redis-dump.js";
import { type RedisServer, startRedisServer } from "../helpers/redis-server.js";
import { crcToken } from "../helpers/secrets.js";
import { leakstopAsync as run } from "./cli.js";

const TOKEN = "ghp_e2eOrgScanToken0123456789abcdefABCDEF";

describe("leakstop org-scan --report", () => {
  let gh: FakeGitHub;
  let server: RedisServer;
  let redis: Redis;
  const root = gitRoot();
  const work = mkdtempSync(join(tmpdir(), "leakstop-orgreport-"));
  const secret = crcToken("ghp_");

  before(async () => {
    gh = await startFakeGitHub({ token: TOKEN, gitRoot: root });
    new Origin(root, "api").commit("config", { "config/.env": `GITHUB_TOKEN=${secret}\n` });
    gh.orgs.set("acme", [{ name: "api" }]);
    server = await startRedisServer();
    redis = new Redis(server.url);
  });
  after(async () => {
    gh.close();
    redis.disconnect();
    await server.dispose();
    rmSync(work, { recursive: true, force: true });
  });

  it("queues each finding once with its repository and commit; a second run adds none", async () => {
    const env = {
      GITHUB_TOKEN: TOKEN,
      REDIS_URL: server.url,
      LEAKSTOP_SPOOL_DIR: join(work, "spool"),
      LEAKSTOP_SERVER: "",
      LEAKSTOP_REPORT_PUBLIC_KEY: "",
    };
    const args = ["org-scan", "--org", "acme", "--api-url", gh.apiUrl, "--cache-dir", join(work, "cache"), "--report"];
    const r = await run(args, env);
    assert.equal(r.code, 1, r.stderr);
    assert.match(r.stderr, /reported to Redis at .*: 1 new, 0 already queued/);
    // No report key: the revocable token goes unsealed, and the run says so.
    assert.match(r.stderr, /warning: no report public key .* 1 revocable secret\(s\) reported unsealed/);
    const stored = await storedFindings(redis, "leakstop");
    assert.equal(stored.length, 1);
    const job = stored[0]!;
    assert.equal(job.location.repository, "acme/api");
    assert.equal(job.location.source, "org");
    assert.equal(job.reporter, "org-scan");
    assert.match(job.location.commit ?? "", /^[0-9a-f]{40}$/);
    const again = await run(args, env);
    assert.match(again.stderr, /0 new, 1 already queued/);
    assert.ok(!(await dumpRedis(redis)).includes(secret));
  });
});
