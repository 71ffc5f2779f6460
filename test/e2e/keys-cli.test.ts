/**
 * The built CLI end to end: `leakstop keys ...` and `leakstop audit ...` against
 * a private redis-server, including every bad input (exit 2, one `leakstop: ` line).
 */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { fileURLToPath } from "node:url";
import { Redis } from "ioredis";
import { freePort, type RedisServer, startRedisServer } from "../helpers/redis-server.js";
import { crcToken } from "../helpers/secrets.js";

const BIN = fileURLToPath(new URL("../../../bin/leakstop.js", import.meta.url));
let server: RedisServer;
let work: string;

before(async () => {
  server = await startRedisServer();
  work = mkdtempSync(join(tmpdir(), "leakstop-keys-cli-"));
});
after(async () => {
  await server.dispose();
  rmSync(work, { recursive: true, force: true });
});

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

function cli(args: string[], opts: { env?: Record<string, string>; input?: string } = {}): Run {
  const r = spawnSync(process.execPath, [BIN, ...args], {
    encoding: "utf8",
    input: opts.input ?? "",
    timeout: 20_000,
    env: { ...process.env, REDIS_URL: server.url, NO_COLOR: "1", ...opts.env },
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

function createJson(args: string[]): { key: string; id: string; hint: string } {
  const r = cli(["keys", "create", ...args, "--format", "json"]);
  assert.equal(r.code, 0, r.stderr);
  return JSON.parse(r.stdout);
}

/** Exit 2 and exactly one stderr line starting with "leakstop: ". */
function assertUsageError(r: Run, pattern: RegExp): void {
  assert.equal(r.code, 2, `exit code; stderr: ${r.stderr}`);
  const lines = r.stderr.trimEnd().split("\n");
  assert.equal(lines.length, 1, r.stderr);
  assert.match(lines[0] ?? "", /^leakstop: /);
  assert.match(lines[0] ?? "", pattern);
}

describe("leakstop keys", () => {
  it("create prints the key once, verify accepts it", () => {
    const r = cli(["keys", "create", "--owner", "acme", "--email", "sec@acme.test", "--role", "scanner"]);
    assert.equal(r.code, 0, r.stderr);
    const key = r.stdout.split("\n")[0] ?? "";
    assert.match(key, /^lsk_live_[0-9A-Za-z]{38}$/);
    assert.match(r.stdout, /scopes\s+findings:write/);
    assert.match(r.stderr, /shown only once/);
    const v = cli(["keys", "verify", key, "--scope", "findings:write"]);
    assert.equal(v.code, 0, v.stdout);
    assert.match(v.stdout, /^valid: key_/);
    assert.equal(cli(["keys", "verify", "-"], { input: `${key}\n` }).code, 0, "KEY from stdin");
  });

  it("rotate keeps both keys valid during the overlap; revoke makes verify fail and say why", () => {
    const made = createJson(["--owner", "acme", "--scopes", "keys:read"]);
    const rot = cli(["keys", "rotate", made.id, "--overlap", "1h", "--format", "json"]);
    assert.equal(rot.code, 0, rot.stderr);
    const next = JSON.parse(rot.stdout);
    assert.equal(next.previous.rotatedTo, next.id);
    assert.equal(cli(["keys", "verify", made.key]).code, 0);
    assert.equal(cli(["keys", "verify", next.key]).code, 0);

    const rev = cli(["keys", "revoke", next.id, "--reason", "leaked in a gist"]);
    assert.equal(rev.code, 0, rev.stderr);
    const v = cli(["keys", "verify", next.key, "--format", "json"]);
    assert.equal(v.code, 1);
    assert.deepEqual([JSON.parse(v.stdout).valid, JSON.parse(v.stdout).reason], [false, "revoked"]);
    assert.match(cli(["keys", "verify", next.key]).stdout, /^not valid: revoked/);
    assert.match(cli(["keys", "revoke", next.id, "--reason", "again"]).stdout, /already revoked/);

    const now = createJson(["--owner", "acme"]);
    cli(["keys", "rotate", now.id, "--overlap", "0s"]);
    assert.match(cli(["keys", "verify", now.key]).stdout, /^not valid: rotated/);
  });

  it("verify fails outside the CIDR list and past the rate limit", () => {
    const k = createJson(["--owner", "net", "--cidr", "10.0.0.0/8,::1/128", "--rate", "2/1h"]);
    assert.equal(cli(["keys", "verify", k.key, "--ip", "10.1.1.1"]).code, 0);
    const outside = cli(["keys", "verify", k.key, "--ip", "192.0.2.1"]);
    assert.equal(outside.code, 1);
    assert.match(outside.stdout, /not valid: ip/);
    assert.equal(cli(["keys", "verify", k.key, "--ip", "::1"]).code, 0);
    const limited = cli(["keys", "verify", k.key, "--ip", "::1"]);
    assert.equal(limited.code, 1);
    assert.match(limited.stdout, /not valid: rate_limited/);
    assert.match(cli(["keys", "verify", `${k.key.slice(0, -1)}_`]).stdout, /not valid: malformed/);
  });

  it("show and list", () => {
    const k = createJson(["--owner", "lister", "--env", "test", "--name", "Lister Inc"]);
    const show = cli(["keys", "show", k.id]);
    assert.equal(show.code, 0);
    assert.match(show.stdout, /owner\s+lister \(Lister Inc\)/);
    assert.ok(!show.stdout.includes(k.key));
    const list = JSON.parse(cli(["keys", "list", "--owner", "lister", "--format", "json"]).stdout);
    assert.deepEqual(
      list.items.map((r: { id: string }) => r.id),
      [k.id],
    );
    const table = cli(["keys", "list", "--env", "test", "--limit", "1"]);
    assert.equal(table.code, 0);
    assert.match(table.stdout, /^ID\s+HINT/);
  });

  it("show, rotate and revoke do not echo a key given in place of its id", () => {
    const k = createJson(["--owner", "paster"]);
    for (const args of [
      ["show", k.key],
      ["rotate", k.key],
      ["revoke", k.key, "--reason", "x"],
    ]) {
      const r = cli(["keys", ...args]);
      assertUsageError(r, /that is a key, not a key id/);
      assert.ok(!(r.stdout + r.stderr).includes(k.key.slice(9)), `keys ${args[0]} echoed the key`);
    }
    assert.equal(cli(["keys", "verify", k.key]).code, 0, "and it was neither rotated nor revoked");
  });

  it("bootstrap-admin makes the first admin key and refuses a second without --force", () => {
    const first = cli(["keys", "create", "--bootstrap-admin", "--format", "json"]);
    assert.equal(first.code, 0, first.stderr);
    assert.deepEqual(JSON.parse(first.stdout).scopes.sort(), [
      "audit:read",
      "findings:write",
      "keys:read",
      "keys:revoke",
      "keys:write",
    ]);
    assertUsageError(cli(["keys", "create", "--bootstrap-admin"]), /admin key already exists/);
    assert.equal(cli(["keys", "create", "--bootstrap-admin", "--force"]).code, 0);
  });

  it("every bad input exits 2 with one line", () => {
    const cases: [string[], RegExp][] = [
      [["keys", "create", "--owner", "x", "--nope"], /unknown option|nope/i],
      [["keys", "create"], /--owner ID is required/],
      [["keys", "create", "--owner", "x", "--expires", "soon"], /--expires/],
      [["keys", "create", "--owner", "x", "--rate", "fast"], /--rate/],
      [["keys", "create", "--owner", "x", "--cidr", "1.2.3.4/40"], /CIDR/],
      [["keys", "create", "--owner", "x", "--role", "root"], /--role/],
      [["keys", "create", "--owner", "x", "--env", "prod"], /--env/],
      [["keys", "create", "--owner", "x", "--format", "xml"], /--format/],
      [["keys", "create", "--owner", "x", "--webhook", "not a url"], /webhook/],
      [["keys", "create", "--owner", "x", "--webhook", "http://169.254.169.254/"], /owner\.webhook\) refused/],
      [
        ["keys", "create", "--owner", "x", "--name", `ci ${crcToken("ghp_")}`],
        /^leakstop: owner\.name contains what looks like a credential \(github-pat\)/,
      ],
      [["keys", "verify"], /exactly one KEY/],
      [["keys", "verify", "k", "--overlap", "1h"], /does not apply/],
      [["keys", "rotate"], /exactly one key ID/],
      [["keys", "rotate", "key_x", "--overlap", "later"], /--overlap/],
      [["keys", "revoke", "key_x"], /--reason/],
      [["keys", "show", "key_missing"], /no such key id \(ids look like key_/],
      [["keys", "show", "key_0123456789abcdef0123"], /no key key_0123456789abcdef0123 in the registry/],
      [["keys", "list", "--limit", "many"], /--limit/],
      [["keys", "list", "--status", "gone"], /status/],
      [["keys", "list", "--cursor", "junk"], /cursor/],
      [["keys", "frobnicate"], /unknown subcommand/],
      [["audit", "frobnicate"], /unknown subcommand/],
      [["audit", "export", "--since", "yesterday"], /--since/],
      [["audit", "verify", "--output", "x"], /export only/],
    ];
    for (const [args, pattern] of cases) assertUsageError(cli(args), pattern);
  });

  it("fails fast on unreachable Redis without printing credentials", async () => {
    const port = await freePort();
    const r = cli(["keys", "list"], { env: { REDIS_URL: `redis://admin:hunter2@127.0.0.1:${port}` } });
    assertUsageError(r, /Redis did not answer at redis:\/\/127\.0\.0\.1:\d+/);
    assert.ok(!r.stderr.includes("hunter2"));
    assertUsageError(cli(["audit", "verify"], { env: { REDIS_URL: `redis://127.0.0.1:${port}` } }), /did not answer/);
    assertUsageError(cli(["keys", "list"], { env: { REDIS_URL: "http://x:pw@host" } }), /REDIS_URL must be/);
    assertUsageError(cli(["keys", "list"], { env: { LEAKSTOP_ISSUER: "Bad_Issuer" } }), /LEAKSTOP_ISSUER/);
  });
});

describe("leakstop audit", () => {
  it("verify passes, export writes JSON Lines, and one edited entry makes verify fail naming it", async () => {
    createJson(["--owner", "audited"]);
    const ok = cli(["audit", "verify"]);
    assert.equal(ok.code, 0, ok.stderr);
    assert.match(ok.stdout, /audit trail intact: \d+ entries/);

    const out = join(work, "audit.jsonl");
    assert.equal(cli(["audit", "export", "--output", out]).code, 0);
    const lines = readFileSync(out, "utf8").trimEnd().split("\n");
    const entries = lines.map((l) => JSON.parse(l));
    assert.deepEqual(
      entries.map((e) => e.seq),
      entries.map((_, i) => i + 1),
    );
    assert.equal(cli(["audit", "export", "--since", "2999-01-01T00:00:00Z"]).stdout, "");

    const redis = new Redis(server.url);
    try {
      const target = entries[2];
      await redis.lset("leakstop:audit:log", 2, JSON.stringify({ ...target, actor: "mallory" }));
      const broken = cli(["audit", "verify"]);
      assert.equal(broken.code, 1);
      assert.equal(broken.stderr, `leakstop: audit trail broken: entry #3 (${target.id}) was edited\n`);
      const json = cli(["audit", "verify", "--format", "json"]);
      assert.equal(json.code, 1);
      assert.deepEqual(JSON.parse(json.stdout), {
        ok: false,
        index: 2,
        entryId: target.id,
        problem: "edited",
        signatures: "not checked (no public key)",
        anchors: 0,
      });
    } finally {
      redis.disconnect();
    }
  });
});
