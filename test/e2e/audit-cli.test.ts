/**
 * `leakstop audit keygen|anchor|verify` as an operator runs them, against an
 * attacker with Redis write access and no key: DEL of log and head, a truncated
 * chain, an entry appended without the key; an untouched chain passes.
 */
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { Redis } from "ioredis";
import { type RedisServer, startRedisServer } from "../helpers/redis-server.js";
import { type CliResult, leakstop } from "./cli.js";

let server: RedisServer;
let redis: Redis;
let dir: string;
let key: string;

before(async () => {
  server = await startRedisServer();
  redis = new Redis(server.url);
  dir = mkdtempSync(join(tmpdir(), "leakstop-audit-cli-"));
  key = join(dir, "audit.pem");
});
after(async () => {
  redis.disconnect();
  await server.dispose();
  rmSync(dir, { recursive: true, force: true });
});

function cli(args: string[], env: Record<string, string> = {}): CliResult {
  return leakstop(args, { env: { REDIS_URL: server.url, LEAKSTOP_AUDIT_KEY: key, ...env } });
}

function brokenWith(r: CliResult, message: RegExp): void {
  assert.equal(r.code, 1, r.stderr);
  const lines = r.stderr.trim().split("\n");
  assert.equal(lines.length, 1, r.stderr);
  assert.match(lines[0] as string, message);
}

describe("leakstop audit (signed trail)", () => {
  it("keygen writes a private key only its owner can read, and refuses to overwrite it", () => {
    const r = leakstop(["audit", "keygen", "--output", key]);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(statSync(key).mode & 0o777, 0o600);
    assert.match(readFileSync(`${key}.pub`, "utf8"), /BEGIN PUBLIC KEY/);
    const again = leakstop(["audit", "keygen", "--output", key]);
    assert.equal(again.code, 2);
    assert.match(again.stderr, /exists \(not overwritten\)/);
  });

  it("anchor + verify: untouched passes; unsigned, truncated and wiped chains fail and say so", async () => {
    for (const owner of ["a", "b", "c"]) assert.equal(cli(["keys", "create", "--owner", owner]).code, 0);
    const anchor = join(dir, "anchor.json");
    const made = cli(["audit", "anchor", "--output", anchor]);
    assert.equal(made.code, 0, made.stderr);
    assert.match(made.stderr, /checkpoint of 3 entries .* signed with key/);
    const pub = ["--public-key", `${key}.pub`];
    const ok = cli(["audit", "verify", "--anchor", anchor, ...pub], { LEAKSTOP_AUDIT_KEY: "" });
    assert.equal(ok.code, 0, ok.stderr);
    assert.match(ok.stdout, /intact: 3 entries/);

    assert.equal(cli(["keys", "create", "--owner", "mallory"], { LEAKSTOP_AUDIT_KEY: "" }).code, 0);
    brokenWith(cli(["audit", "verify", ...pub]), /entry #4 \(.*\) carries no signature by the audit key/);
    const refused = cli(["audit", "anchor"]);
    assert.equal(refused.code, 1);
    assert.match(refused.stderr, /audit anchor refused: entry #4/);

    await redis.ltrim("leakstop:audit:log", 0, 1);
    const second = JSON.parse((await redis.lindex("leakstop:audit:log", 1)) as string);
    await redis.hset("leakstop:audit:head", "seq", "2", "hash", second.hash);
    assert.equal(cli(["audit", "verify", ...pub]).code, 0, "a cut chain still hangs together");
    brokenWith(cli(["audit", "verify", "--anchor", anchor]), /holds 2 entries, but .*anchor\.json anchors 3/);

    await redis.del("leakstop:audit:log", "leakstop:audit:head");
    brokenWith(cli(["audit", "verify", "--anchor", anchor, ...pub]), /chain is empty, but .* anchors 3 entries/);
  });

  it("bad key and anchor files are one-line usage errors (exit 2)", () => {
    const notPem = cli(["audit", "verify", "--public-key", join(dir, "anchor.json")]);
    assert.equal(notPem.code, 2);
    assert.match(notPem.stderr, /^leakstop: --public-key: not a PEM public key\n$/);
    const notAnchor = cli(["audit", "verify", "--anchor", key]);
    assert.equal(notAnchor.code, 2);
    assert.match(notAnchor.stderr, /is not a checkpoint/);
    const noKey = cli(["keys", "list"], { LEAKSTOP_AUDIT_KEY: join(dir, "missing.pem") });
    assert.equal(noKey.code, 2);
    assert.match(noKey.stderr, /LEAKSTOP_AUDIT_KEY: cannot read .*missing\.pem \(ENOENT\)/);
  });
});
