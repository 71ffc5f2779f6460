/**
 * `leakstop server` as a user runs it: the built CLI in a child process against a
 * private redis-server; graceful shutdown on SIGTERM; one-line errors and exit 2
 * when Redis is unreachable, the port is taken or a flag is bad.
 */

import assert from "node:assert/strict";
import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { createServer, type Server } from "node:net";
import { after, before, describe, it } from "node:test";
import { Redis } from "ioredis";
import { CLI } from "../../e2e/cli.js";
import { freePort, type RedisServer, startRedisServer } from "../../helpers/redis-server.js";

interface Finished {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs another leakstop command to completion (for `keys`). */
function leakstop(args: string[], env: Record<string, string>) {
  return spawnSync(process.execPath, [CLI, ...args], { env: { ...process.env, ...env }, encoding: "utf8" });
}

function run(args: string[], env: Record<string, string>): { child: ChildProcess; done: Promise<Finished> } {
  const child = spawn(process.execPath, [CLI, "server", ...args], {
    env: { ...process.env, ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  child.stdout?.on("data", (d: Buffer) => {
    stdout += d.toString();
  });
  child.stderr?.on("data", (d: Buffer) => {
    stderr += d.toString();
  });
  const done = new Promise<Finished>((resolve) => {
    child.once("close", (code) => resolve({ code, stdout, stderr }));
  });
  return { child, done };
}

/** Resolves with the listening URL the server prints. */
function listeningUrl(child: ChildProcess): Promise<string> {
  return new Promise((resolve, reject) => {
    let out = "";
    child.stdout?.on("data", (d: Buffer) => {
      out += d.toString();
      const m = /listening on (http:\/\/\S+)/.exec(out);
      if (m?.[1]) resolve(m[1]);
    });
    child.once("exit", (code) => reject(new Error(`server exited early with ${code}`)));
  });
}

describe("leakstop server (CLI)", () => {
  let redis: RedisServer;
  before(async () => {
    redis = await startRedisServer();
  });
  after(async () => {
    await redis?.dispose();
  });

  it("serves /healthz and shuts down cleanly with exit 0 on SIGTERM", async () => {
    const { child, done } = run(["--port", "0"], { REDIS_URL: redis.url });
    const url = await listeningUrl(child);
    assert.match(url, /^http:\/\/127\.0\.0\.1:\d+$/);
    const res = await fetch(`${url}/healthz`);
    assert.equal(res.status, 200);
    assert.deepEqual(await res.json(), { status: "ok", redis: "ok" });
    child.kill("SIGTERM");
    const finished = await done;
    assert.equal(finished.code, 0, finished.stderr);
  });

  it("works with a bootstrap admin key from the CLI, and shares the registry with `leakstop keys`", async () => {
    const env = { REDIS_URL: redis.url };
    const boot = leakstop(["keys", "create", "--bootstrap-admin", "--force", "--format", "json"], env);
    assert.equal(boot.status, 0, boot.stderr);
    const admin: string = JSON.parse(boot.stdout).key;
    const { child, done } = run(["--port", "0"], env);
    try {
      const url = await listeningUrl(child);
      const post = (path: string, body: unknown) =>
        fetch(`${url}${path}`, {
          method: "POST",
          headers: { authorization: `Bearer ${admin}`, "content-type": "application/json" },
          body: JSON.stringify(body),
        });
      const created = await post("/v1/keys", { owner: { id: "cli-e2e" } });
      assert.equal(created.status, 201);
      const { key, record } = (await created.json()) as { key: string; record: { id: string } };
      assert.equal(leakstop(["keys", "verify", key], env).status, 0, "the CLI sees the key issued over HTTP");
      assert.equal((await post(`/v1/keys/${record.id}/revoke`, { reason: "e2e" })).status, 200);
      const gone = leakstop(["keys", "verify", key], env);
      assert.equal(gone.status, 1);
      assert.match(gone.stdout + gone.stderr, /revoked/);
    } finally {
      child.kill("SIGTERM");
      await done;
    }
  });

  it("keeps verifying (its connection pipelines commands) after Redis forgets its scripts", async () => {
    const env = { REDIS_URL: redis.url };
    const boot = leakstop(["keys", "create", "--bootstrap-admin", "--force", "--format", "json"], env);
    assert.equal(boot.status, 0, boot.stderr);
    const admin: string = JSON.parse(boot.stdout).key;
    const { child, done } = run(["--port", "0"], env);
    const client = new Redis(redis.url);
    try {
      const url = await listeningUrl(child);
      const verify = async () => {
        const answers = await Promise.all(
          Array.from({ length: 8 }, () =>
            fetch(`${url}/v1/keys/verify`, {
              method: "POST",
              headers: { authorization: `Bearer ${admin}`, "content-type": "application/json" },
              body: JSON.stringify({ key: admin }),
            }).then(async (res) => [res.status, ((await res.json()) as { valid?: boolean }).valid]),
          ),
        );
        return answers;
      };
      assert.deepEqual(await verify(), Array(8).fill([200, true]));
      await client.script("FLUSH");
      assert.deepEqual(await verify(), Array(8).fill([200, true]), "the scripts are loaded again");
    } finally {
      client.disconnect();
      child.kill("SIGTERM");
      await done;
    }
  });

  it("answers 503 within seconds, not a hang, while Redis accepts connections but stops answering", async () => {
    const env = { REDIS_URL: redis.url };
    const made = leakstop(["keys", "create", "--owner", "ops", "--role", "admin", "--format", "json"], env);
    assert.equal(made.status, 0, made.stderr);
    const admin: string = JSON.parse(made.stdout).key;
    const { child, done } = run(["--port", "0"], env);
    const pid = redis.pid as number;
    try {
      const url = await listeningUrl(child);
      process.kill(pid, "SIGSTOP");
      const started = Date.now();
      const res = await fetch(`${url}/v1/keys`, {
        headers: { authorization: `Bearer ${admin}` },
        signal: AbortSignal.timeout(15_000),
      });
      assert.equal(res.status, 503);
      assert.equal(((await res.json()) as { error: { code: string } }).error.code, "LS_UNAVAILABLE");
      assert.ok(Date.now() - started < 6000, `answered after ${Date.now() - started} ms`);
    } finally {
      process.kill(pid, "SIGCONT");
      child.kill("SIGTERM");
    }
    const finished = await done;
    assert.match(finished.stderr, /leakstop: server: Redis unreachable on \/v1\/keys/);
    assert.doesNotMatch(finished.stderr, /\n\s+at /, "no stack trace");
  });

  it("takes host and port from LEAKSTOP_HOST and LEAKSTOP_PORT", async () => {
    const port = await freePort();
    const { child, done } = run([], { REDIS_URL: redis.url, LEAKSTOP_HOST: "127.0.0.1", LEAKSTOP_PORT: String(port) });
    assert.equal(await listeningUrl(child), `http://127.0.0.1:${port}`);
    child.kill("SIGINT");
    assert.equal((await done).code, 0);
  });

  it("exits 2 with one line when Redis is unreachable, without the password", async () => {
    const port = await freePort();
    const { done } = run(["--port", "0"], { REDIS_URL: `redis://:hunter2@127.0.0.1:${port}` });
    const finished = await done;
    assert.equal(finished.code, 2);
    const lines = finished.stderr.trim().split("\n");
    assert.equal(lines.length, 1, finished.stderr);
    assert.match(lines[0]!, /^leakstop: /);
    assert.ok(!finished.stderr.includes("hunter2"));
  });

  it("exits 2 with one line when the port is taken", async () => {
    const blocker: Server = createServer();
    await new Promise<void>((r) => blocker.listen(0, "127.0.0.1", r));
    const address = blocker.address();
    const port = typeof address === "object" && address ? address.port : 0;
    try {
      const { done } = run(["--port", String(port)], { REDIS_URL: redis.url });
      const finished = await done;
      assert.equal(finished.code, 2);
      assert.match(
        finished.stderr,
        /^leakstop: server: cannot listen on 127\.0\.0\.1:\d+: the address is already in use/,
      );
      assert.equal(finished.stderr.trim().split("\n").length, 1);
    } finally {
      blocker.close();
    }
  });

  it("prints its help with exit 0, and names a bad LEAKSTOP_PORT", async () => {
    const help = leakstop(["server", "--help"], {});
    assert.equal(help.status, 0);
    assert.match(help.stdout, /--port N/);
    assert.match(help.stdout, /REDIS_URL/);
    const bad = leakstop(["server"], { LEAKSTOP_PORT: "eighty" });
    assert.equal(bad.status, 2);
    assert.match(bad.stderr, /^leakstop: service config: LEAKSTOP_PORT "eighty" must be an integer 0-65535$/m);
  });

  it("exits 2 on a bad flag value", async () => {
    for (const args of [["--port", "http"], ["--ip-rate-limit", "fast"], ["--bogus"]]) {
      const { done } = run(args, { REDIS_URL: redis.url });
      const finished = await done;
      assert.equal(finished.code, 2, `${args.join(" ")}: ${finished.stderr}`);
      assert.match(finished.stderr, /^leakstop: server: /);
    }
  });
});
