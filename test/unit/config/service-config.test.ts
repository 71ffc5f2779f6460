/** Service config: flags > env > file > defaults, strict file, every problem in one line, frozen. */
import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import { loadServiceConfig } from "../../../src/config/service-config.js";

const dir = mkdtempSync(join(tmpdir(), "leakstop-service-config-"));
after(() => rmSync(dir, { recursive: true, force: true }));

function file(name: string, text: string): string {
  const p = join(dir, name);
  writeFileSync(p, text);
  return p;
}

describe("loadServiceConfig", () => {
  it("gives the documented defaults with an empty environment", () => {
    const c = loadServiceConfig({ env: { HOME: "/home/u" } });
    assert.equal(c.redis.url, "redis://127.0.0.1:6379");
    assert.equal(c.redis.namespace, "leakstop");
    assert.equal(c.redis.cluster, false);
    assert.equal(c.server.port, 8080);
    assert.equal(c.registry.issuer, "lsk");
    assert.deepEqual(c.webhooks.allow, []);
    assert.equal(c.report.spoolDir, "/home/u/.local/state/leakstop/spool");
    assert.equal(c.github.apiUrl, "https://api.github.com");
    assert.equal(c.file, null);
  });

  it("takes flags over the environment over the file", () => {
    const path = file("order.toml", '[server]\nport = 7000\nhost = "0.0.0.0"\n[webhooks]\nallow = ["10.0.0.0/8"]\n');
    const fromFile = loadServiceConfig({ env: {}, configPath: path });
    assert.equal(fromFile.server.port, 7000);
    assert.deepEqual(fromFile.webhooks.allow, ["10.0.0.0/8"]);
    const fromEnv = loadServiceConfig({ env: { LEAKSTOP_PORT: "7001", LEAKSTOP_SERVICE_CONFIG: path } });
    assert.equal(fromEnv.server.port, 7001);
    assert.equal(fromEnv.server.host, "0.0.0.0", "the file still sets what the env does not");
    const fromFlag = loadServiceConfig({
      env: { LEAKSTOP_PORT: "7001" },
      configPath: path,
      flags: { "server.port": "7002" },
    });
    assert.equal(fromFlag.server.port, 7002);
  });

  it("reads LEAKSTOP_WEBHOOK_ALLOW as a comma-separated list that wins over [webhooks] allow", () => {
    const path = file("allow.toml", '[webhooks]\nallow = ["hooks.internal"]\n');
    const c = loadServiceConfig({ env: { LEAKSTOP_WEBHOOK_ALLOW: "127.0.0.1, 10.0.0.0/8" }, configPath: path });
    assert.deepEqual(c.webhooks.allow, ["127.0.0.1", "10.0.0.0/8"]);
  });

  it("reports every problem of the file and the environment together in one line", () => {
    const path = file("bad.toml", '[server]\nprot = 1\n[sever]\nx = 1\n[redis]\ncluster = "yes"\n');
    assert.throws(
      () => loadServiceConfig({ env: { LEAKSTOP_PORT: "http", LEAKSTOP_ISSUER: "NO" }, configPath: path }),
      (err: Error & { code: string; problems: string[] }) => {
        assert.equal(err.code, "LS_CONFIG_INVALID");
        assert.ok(!err.message.includes("\n"), "one line");
        assert.equal(err.problems.length, 5, err.message);
        assert.match(err.message, /unknown key "prot" in \[server\]/);
        assert.match(err.message, /unknown section \[sever\]/);
        assert.match(err.message, /LEAKSTOP_PORT "http" must be an integer 0-65535/);
        assert.match(err.message, /LEAKSTOP_ISSUER "NO" must be 2-10 lowercase/);
        assert.match(err.message, /\[redis\] cluster "yes" must be true or false/);
        return true;
      },
    );
  });

  it("never echoes a rejected secret value", () => {
    assert.throws(
      () =>
        loadServiceConfig({ env: { REDIS_URL: "http://user:hunter2@h:1", LEAKSTOP_SMTP_URL: "ftp://u:pw-smtp@h" } }),
      (err: Error) =>
        !err.message.includes("hunter2") && !err.message.includes("pw-smtp") && /REDIS_URL/.test(err.message),
    );
  });

  it("names a missing file and invalid TOML with its position", () => {
    assert.throws(
      () => loadServiceConfig({ env: {}, configPath: join(dir, "nope.toml") }),
      /nope\.toml: config file not found/,
    );
    const bad = file("syntax.toml", "[server\nport = 1\n");
    assert.throws(() => loadServiceConfig({ env: {}, configPath: bad }), /syntax\.toml:1:\d+: invalid TOML/);
  });

  it("is frozen", () => {
    const c = loadServiceConfig({ env: {} });
    assert.ok(Object.isFrozen(c) && Object.isFrozen(c.server) && Object.isFrozen(c.webhooks.allow));
    assert.throws(() => {
      (c.server as { port: number }).port = 1;
    });
  });

  it("takes several comma-separated Redis URLs (cluster seeds) and checks each", () => {
    const c = loadServiceConfig({ env: { REDIS_URL: "redis://a:7000,redis://b:7001" } });
    assert.equal(c.redis.url, "redis://a:7000,redis://b:7001");
    assert.throws(() => loadServiceConfig({ env: { REDIS_URL: "redis://a:7000,b:7001" } }), /REDIS_URL must be/);
  });
});
