/**
 * The scheduler's and the partner endpoint's settings from the service config file, in real
 * processes: `leakstop worker` with LEAKSTOP_SERVICE_CONFIG naming a file whose [scheduler] sets
 * cron, orgs and concurrency stores that schedule; `leakstop server --config FILE` whose [partner]
 * names GitHub's keys file serves the partner endpoint; the environment still wins over the file.
 */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { generateKeyPairSync } from "node:crypto";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { CLI, startCli, stopCli } from "../../e2e/cli.js";
import { type RedisServer, startRedisServer } from "../../helpers/redis-server.js";

describe("scheduler and partner settings in the service config file", () => {
  let redis: RedisServer;
  const dir = mkdtempSync(join(tmpdir(), "ls-service-config-"));
  before(async () => {
    redis = await startRedisServer();
  });
  after(async () => {
    await redis?.dispose();
    rmSync(dir, { recursive: true, force: true });
  });

  it("leakstop worker takes [scheduler] cron, orgs, tz and concurrency from the file; the environment wins", async () => {
    const file = join(dir, "worker.toml");
    writeFileSync(
      file,
      '[scheduler]\ncron = "0 3 * * *"\norgs = ["Acme", "beta"]\ntz = "Europe/Berlin"\nconcurrency = 2\n',
    );
    const env = { REDIS_URL: redis.url, LEAKSTOP_SERVICE_CONFIG: file, LEAKSTOP_AUDIT_KEY: "" };
    const w = startCli(["worker"], env, /"worker ready"/);
    try {
      const ready = JSON.parse((await w.up).line) as { schedule: string; orgScans: number };
      assert.equal(ready.schedule, "0 3 * * * (acme,beta)");
      assert.equal(ready.orgScans, 2);
    } finally {
      assert.equal(await stopCli(w), 0);
    }
    const over = startCli(["worker"], { ...env, LEAKSTOP_ORG_SCAN_ORGS: "gamma" }, /"worker ready"/);
    try {
      assert.equal((JSON.parse((await over.up).line) as { schedule: string }).schedule, "0 3 * * * (gamma)");
    } finally {
      assert.equal(await stopCli(over), 0);
    }
  });

  it("leakstop server --config FILE serves the partner endpoint with [partner] keysFile", async () => {
    const keysFile = join(dir, "github-keys.json");
    const { publicKey } = generateKeyPairSync("ec", { namedCurve: "P-256" });
    const pem = publicKey.export({ type: "spki", format: "pem" }).toString();
    writeFileSync(
      keysFile,
      JSON.stringify({ public_keys: [{ key_identifier: "a".repeat(64), key: pem, is_current: true }] }),
    );
    const file = join(dir, "server.toml");
    writeFileSync(file, `[partner]\nkeysFile = ${JSON.stringify(keysFile)}\n`);
    const s = startCli(
      ["server", "--port", "0", "--config", file],
      { REDIS_URL: redis.url },
      /GitHub partner alerts on/,
    );
    try {
      const { line } = await s.up;
      assert.match(
        line,
        /^GitHub partner alerts on http:\/\/127\.0\.0\.1:\d+\/v1\/github\/secret-scanning \(keys from .*github-keys\.json\)$/,
      );
    } finally {
      assert.equal(await stopCli(s), 0);
    }
  });

  it("a bad [scheduler] value is one LS_CONFIG_INVALID line and exit 2", async () => {
    const file = join(dir, "bad.toml");
    writeFileSync(file, "[scheduler]\nconcurrency = 100\n");
    const r = spawnSync(process.execPath, [CLI, "worker"], {
      env: { ...process.env, REDIS_URL: redis.url, LEAKSTOP_SERVICE_CONFIG: file },
      encoding: "utf8",
    });
    assert.equal(r.status, 2);
    assert.equal(r.stderr.trim().split("\n").length, 1, r.stderr);
    assert.match(r.stderr, /^leakstop: service config: .*\[scheduler\] concurrency "100" must be an integer 0-64$/m);
  });
});
