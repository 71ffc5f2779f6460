/**
 * The Action with server-url and server-token against a real `leakstop server` (loopback) and
 * redis-server: a push that adds a GitHub token reports it once, sealed to the server's key,
 * attributed to the repository; nothing raw reaches the log, Redis or the queue.
 */
import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { Redis } from "ioredis";
import { generateSealKeyPair, loadSealPrivateKey, unseal } from "../../src/lib/sealed-box.js";
import { Registry, ROLE_SCOPES } from "../../src/registry/index.js";
import { storedFindings } from "../helpers/finding-jobs.js";
import { GitRepo } from "../helpers/git-repo.js";
import { dumpRedis } from "../helpers/redis-dump.js";
import { type RedisServer, startRedisServer } from "../helpers/redis-server.js";
import { crcToken } from "../helpers/secrets.js";
import { cloneOf } from "../unit/action/git-fixture.js";
import { runAction } from "./action.js";
import { type CliProcess, startCli, stopCli } from "./cli.js";

describe("action: reporting to a leakstop server", () => {
  const secret = crcToken("ghp_");
  const dir = mkdtempSync(join(tmpdir(), "ls-action-report-"));
  const keys = generateSealKeyPair();
  let redisServer: RedisServer;
  let redis: Redis;
  let registry: Registry;
  let server: CliProcess;
  let url = "";

  before(async () => {
    writeFileSync(join(dir, "public.pem"), keys.publicKeyPem);
    redisServer = await startRedisServer();
    redis = new Redis(redisServer.url);
    registry = new Registry(redis, {});
    server = startCli(
      ["server", "--port", "0"],
      { REDIS_URL: redisServer.url, LEAKSTOP_REPORT_PUBLIC_KEY: join(dir, "public.pem") },
      /listening on (http:\/\/\S+)/,
    );
    url = (await server.up).match[1] as string;
  });
  after(async () => {
    await stopCli(server);
    await registry.close().catch(() => undefined);
    redis.disconnect();
    await redisServer.dispose();
    rmSync(dir, { recursive: true, force: true });
  });

  it("a push that adds a token reports it once, sealed, with the repository and commit", async () => {
    const origin = GitRepo.init();
    const base = origin.commit("docs", { files: { "README.md": "# shop\n" } });
    const head = origin.commit("config", { files: { "config/app.ts": `const token = "${secret}";\n` } });
    const checkout = cloneOf(origin);
    const { key } = await registry.create({ owner: { id: "ci" }, scopes: ROLE_SCOPES.scanner }, "test");
    const event = { ref: "refs/heads/main", before: base, after: head, repository: { default_branch: "main" } };
    const env = { "INPUT_SERVER-URL": url, "INPUT_SERVER-TOKEN": key, LEAKSTOP_SPOOL_DIR: join(dir, "spool") };
    const r = runAction(checkout, "push", event, env);
    assert.equal(r.code, 1, r.stdout + r.stderr);
    assert.match(
      r.stdout,
      /^::notice title=leakstop%3A findings reported::reported to the server .*: 1 new, 0 already queued$/m,
    );
    assert.ok(!r.stdout.includes(secret) && !r.stderr.includes(secret));
    const stored = await storedFindings(redis, "leakstop");
    assert.equal(stored.length, 1);
    const job = stored[0]!;
    assert.equal(job.location.repository, "acme/shop");
    assert.equal(job.location.commit, head);
    assert.equal(unseal(job.sealedSecret!, loadSealPrivateKey(keys.privateKeyPem)), secret);
    const again = runAction(checkout, "push", event, env);
    assert.match(again.stdout, /0 new, 1 already queued/);
    assert.ok(!(await dumpRedis(redis)).includes(secret));
  });
});
