/**
 * `[webhooks] allow` in the service config file lets owners register webhooks on private hosts, as
 * LEAKSTOP_WEBHOOK_ALLOW does (issue #7 item 6); the variable wins over the file. The registry the
 * server builds reads the installed config: a loopback webhook is refused without the entry, accepted with it.
 */
import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { Redis } from "ioredis";
import { loadServiceConfig, useServiceConfig } from "../../../src/config/service-config.js";
import { configuredWebhookAllow } from "../../../src/notify/webhook-url.js";
import { ROLE_SCOPES } from "../../../src/registry/index.js";
import { Registry } from "../../../src/registry/registry.js";
import { type RedisServer, startRedisServer } from "../../helpers/redis-server.js";

const owner = { id: "team-a", webhook: "http://127.0.0.1:9/hook" };

describe("[webhooks] allow in the service config", () => {
  let server: RedisServer;
  let redis: Redis;
  let dir: string;
  before(async () => {
    server = await startRedisServer();
    redis = new Redis(server.url);
    dir = mkdtempSync(join(tmpdir(), "leakstop-allow-"));
  });
  after(async () => {
    useServiceConfig(null);
    redis?.disconnect();
    await server?.dispose();
    rmSync(dir, { recursive: true, force: true });
  });

  function registryWith(toml: string | null, env: NodeJS.ProcessEnv = {}): Registry {
    const configPath = toml === null ? undefined : join(dir, `c${Math.random()}.toml`);
    if (configPath) writeFileSync(configPath, toml!);
    useServiceConfig(loadServiceConfig({ env, configPath }));
    return new Registry(redis, { auditSigner: null });
  }

  it("refuses a loopback webhook by default and accepts it once the file allows 127.0.0.1", async () => {
    await assert.rejects(registryWith(null).create({ owner, scopes: ROLE_SCOPES.issuer }, "test"), {
      code: "LS_USAGE",
    });
    const { record } = await registryWith('[webhooks]\nallow = ["127.0.0.1"]\n').create(
      { owner, scopes: ROLE_SCOPES.issuer },
      "test",
    );
    assert.equal(record.owner.webhook, owner.webhook);
  });

  it("lets LEAKSTOP_WEBHOOK_ALLOW win over the file", async () => {
    const registry = registryWith('[webhooks]\nallow = ["127.0.0.1"]\n', { LEAKSTOP_WEBHOOK_ALLOW: "10.0.0.0/8" });
    await assert.rejects(registry.create({ owner, scopes: ROLE_SCOPES.issuer }, "test"), { code: "LS_USAGE" });
  });

  it("names the file when an entry is malformed", () => {
    const configPath = join(dir, "bad.toml");
    writeFileSync(configPath, '[webhooks]\nallow = ["not a network/99"]\n');
    assert.throws(() => configuredWebhookAllow(loadServiceConfig({ env: {}, configPath })), {
      code: "LS_CONFIG_INVALID",
      message: /bad\.toml \[webhooks\] allow: /,
    });
  });
});
