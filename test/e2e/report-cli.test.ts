/**
 * `scan --report` and `report --flush` as a user runs them: the built CLI against a private
 * redis-server, and through a real `leakstop server` on loopback. One job per finding, none more
 * on a second run; Redis away → spooled (one warning line), back → flushed exactly once; no Redis
 * key or value, job payload or spool file ever holds a raw secret.
 */
import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { Redis } from "ioredis";
import { generateSealKeyPair, loadSealPrivateKey, unseal } from "../../src/lib/sealed-box.js";
import type { FindingJob } from "../../src/queue/jobs.js";
import { Registry, ROLE_SCOPES } from "../../src/registry/index.js";
import { storedFindings } from "../helpers/finding-jobs.js";
import { tempRepos } from "../helpers/git-repo.js";
import { dumpRedis } from "../helpers/redis-dump.js";
import { type RedisServer, startRedisServer } from "../helpers/redis-server.js";
import { awsAccessKeyId, crcToken } from "../helpers/secrets.js";
import { type CliProcess, leakstop, leakstopAsync, startCli, stopCli } from "./cli.js";

const PAT = crcToken("ghp_");
const AWS = awsAccessKeyId();
const RAW = [PAT, AWS];
const dir = mkdtempSync(join(tmpdir(), "ls-report-"));
const keys = generateSealKeyPair();
const publicKeyFile = join(dir, "report-public.pem");
writeFileSync(publicKeyFile, keys.publicKeyPem);
const tree = join(dir, "tree");
const newRepo = tempRepos();

function writeTree(): void {
  rmSync(tree, { recursive: true, force: true });
  mkdirSync(tree);
  writeFileSync(join(tree, "deploy.sh"), `export GITHUB_TOKEN=${PAT}\nexport AWS_ACCESS_KEY_ID=${AWS}\n`);
}

after(() => rmSync(dir, { recursive: true, force: true }));

/** Every job of a namespace's findings queue. */
async function jobsOf(redis: Redis, ns: string): Promise<FindingJob[]> {
  return storedFindings(redis, ns);
}

function assertNoRaw(text: string, where: string): void {
  for (const s of RAW) assert.ok(!text.includes(s), `a raw secret is in ${where}`);
}

describe("scan --report (CLI)", () => {
  let server: RedisServer;
  let redis: Redis;
  let spool = "";
  const env = (ns: string, extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv => ({
    REDIS_URL: server.url,
    LEAKSTOP_NAMESPACE: ns,
    LEAKSTOP_SPOOL_DIR: spool,
    LEAKSTOP_REPORT_PUBLIC_KEY: publicKeyFile,
    LEAKSTOP_SERVER: "",
    LEAKSTOP_TOKEN: "",
    ...extra,
  });

  before(async () => {
    server = await startRedisServer();
    redis = new Redis(server.url, { maxRetriesPerRequest: 1 });
    redis.on("error", () => {});
    writeTree();
  });
  after(async () => {
    redis.disconnect();
    await server.dispose();
  });

  it("puts one job per finding on the queue, adds none on a second run, stores nothing raw", async () => {
    spool = join(dir, "spool-direct");
    const r = leakstop(["scan", tree, "--report", "--format", "json"], { env: env("direct") });
    assert.equal(r.code, 1, r.stderr);
    const findings = JSON.parse(r.stdout) as Array<{ ruleId: string; match: string }>;
    assert.ok(findings.some((f) => f.ruleId === "github-pat"));
    assertNoRaw(r.stdout + r.stderr, "the scan output");
    assert.match(
      r.stderr,
      new RegExp(`reported to Redis at redis://127\\.0\\.0\\.1:\\d+: ${findings.length} new, 0 already queued`),
    );
    const jobs = await jobsOf(redis, "direct");
    assert.equal(jobs.length, findings.length);
    const again = leakstop(["scan", tree, "--report", "--format", "json"], { env: env("direct") });
    assert.equal(again.code, 1);
    assert.match(again.stderr, new RegExp(`: 0 new, ${findings.length} already queued`));
    assert.equal((await jobsOf(redis, "direct")).length, findings.length);
    // Only the revocable GitHub token travels sealed, and only the private key opens it.
    const pat = jobs.find((j) => j.ruleId === "github-pat");
    assert.equal(unseal(pat!.sealedSecret!, loadSealPrivateKey(keys.privateKeyPem)), PAT);
    assert.ok(jobs.filter((j) => j.ruleId !== "github-pat").every((j) => j.sealedSecret === undefined));
    assertNoRaw(await dumpRedis(redis), "Redis");
  });

  it("a report key file that cannot be read fails before the scan: exit 2, one line, nothing printed", () => {
    spool = join(dir, "spool-badkey");
    const r = leakstop(["scan", tree, "--report"], {
      env: env("badkey", { LEAKSTOP_REPORT_PUBLIC_KEY: join(dir, "nope.pem") }),
    });
    assert.equal(r.code, 2);
    assert.equal(r.stdout, "");
    assert.match(r.stderr, /^leakstop: cannot read the report public key .*nope\.pem \(ENOENT\)\n$/);
  });

  it("reports from --stdin, --history, --staged and --range, each finding with its source", async () => {
    spool = join(dir, "spool-git");
    const repo = newRepo();
    const base = repo.commit("base", { files: { "README.md": "hello\n" } });
    const head = repo.commit("add a token", { files: { "ci.sh": `TOKEN=${PAT}\n` } });
    repo.write({ "next.sh": `KEY=${AWS}\n` });
    const runs: Array<[string[], string, string | undefined]> = [
      [["scan", "--stdin", "--stdin-name", "pasted.txt", "--report"], "stdin", `x=${PAT}\n`],
      [["scan", repo.dir, "--history", "--report"], "history", undefined],
      [["scan", repo.dir, "--staged", "--report"], "staged", undefined],
      [["scan", repo.dir, "--range", `${base}..${head}`, "--report"], "range", undefined],
    ];
    for (const [args, source, input] of runs) {
      const r = leakstop(args, { env: env(`git-${source}`), input, cwd: repo.dir });
      assert.equal(r.code, 1, `${source}: ${r.stderr}`);
      const jobs = await jobsOf(redis, `git-${source}`);
      assert.ok(jobs.length >= 1, `${source}: no job`);
      assert.ok(jobs.every((j) => j.location.source === source && j.reporter === "cli"));
      if (source === "history" || source === "range") assert.ok(jobs.every((j) => j.location.commit === head));
    }
    assertNoRaw(await dumpRedis(redis), "Redis");
  });

  it("spools while Redis is down (one warning line, exit 1), and report --flush delivers once when it is back", async () => {
    spool = join(dir, "spool-down");
    await server.stop();
    const t0 = Date.now();
    const r = leakstop(["scan", tree, "--report", "--format", "json"], { env: env("down") });
    assert.ok(Date.now() - t0 < 8000, "the report hung on a Redis that is down");
    assert.equal(r.code, 1, r.stderr);
    const lines = r.stderr.trim().split("\n");
    assert.equal(lines.length, 1, r.stderr);
    assert.match(
      lines[0]!,
      /^leakstop: warning: Redis at .* did not answer: \d+ findings? spooled to .*findings-.*\.json/,
    );
    const files = readdirSync(spool);
    assert.equal(files.length, 1);
    const file = join(spool, files[0]!);
    assert.equal(statSync(file).mode & 0o777, 0o600);
    const text = readFileSync(file, "utf8");
    assertNoRaw(text, "the spool file");
    assert.match(text, /"sealedSecret":\{"alg":"x25519-hkdf-sha256-aes256gcm"/);
    const count = (JSON.parse(r.stdout) as unknown[]).length;

    const stillDown = leakstop(["report", "--flush"], { env: env("down") });
    assert.equal(stillDown.code, 2);
    assert.match(stillDown.stderr, /did not answer: 1 spooled batch\(es\) kept in /);
    assert.equal(readdirSync(spool).length, 1);

    await server.start();
    const flushed = leakstop(["report", "--flush"], { env: env("down") });
    assert.equal(flushed.code, 0, flushed.stderr);
    assert.match(
      flushed.stdout,
      new RegExp(`delivered 1 spooled batch\\(es\\) to Redis at .*: ${count} new, 0 already queued`),
    );
    assert.deepEqual(readdirSync(spool), []);
    assert.equal((await jobsOf(redis, "down")).length, count);
    const twice = leakstop(["report", "--flush"], { env: env("down") });
    assert.match(twice.stdout, /delivered 0 spooled batch/);
    // A resend of the same findings (a spool written twice) has no second effect.
    const resend = leakstop(["scan", tree, "--report"], { env: env("down") });
    assert.match(resend.stderr, new RegExp(`0 new, ${count} already queued`));
    assert.equal((await jobsOf(redis, "down")).length, count);
    assertNoRaw(await dumpRedis(redis), "Redis");
  });

  describe("through leakstop server", () => {
    let leakstopServer: CliProcess;
    let url = "";
    let registry: Registry;
    before(async () => {
      registry = new Registry(redis, {});
      leakstopServer = startCli(
        ["server", "--port", "0"],
        { REDIS_URL: server.url, LEAKSTOP_NAMESPACE: "via-server", LEAKSTOP_REPORT_PUBLIC_KEY: publicKeyFile },
        /listening on (http:\/\/\S+)/,
      );
      url = (await leakstopServer.up).match[1] as string;
    });
    after(async () => {
      await stopCli(leakstopServer);
      await registry.close().catch(() => undefined);
    });

    it("reports with a findings:write key (the server's key seals), and is refused (exit 2, spooled) without the scope", async () => {
      spool = join(dir, "spool-server");
      const scanner = await registry.create({ owner: { id: "ci" }, scopes: ROLE_SCOPES.scanner }, "test");
      // No public key file: the producer fetches GET /v1/report-key.
      const viaServer = (token: string) =>
        env("ignored", {
          LEAKSTOP_SERVER: url,
          LEAKSTOP_TOKEN: token,
          LEAKSTOP_REPORT_PUBLIC_KEY: "",
          REDIS_URL: "redis://127.0.0.1:1",
        });
      const r = await leakstopAsync(["scan", tree, "--report", "--format", "json"], viaServer(scanner.key));
      assert.equal(r.code, 1, r.stderr);
      const count = (JSON.parse(r.stdout) as unknown[]).length;
      assert.match(
        r.stderr,
        new RegExp(`reported to the server ${url.replace(/[.]/g, "\\.")}: ${count} new, 0 already queued`),
      );
      const jobs = await jobsOf(redis, "via-server");
      assert.equal(jobs.length, count);
      assert.ok(jobs.every((j) => j.reporter === `key:${scanner.record.id}`));
      const pat = jobs.find((j) => j.ruleId === "github-pat");
      assert.equal(unseal(pat!.sealedSecret!, loadSealPrivateKey(keys.privateKeyPem)), PAT);
      const again = await leakstopAsync(["scan", tree, "--report"], viaServer(scanner.key));
      assert.match(again.stderr, new RegExp(`0 new, ${count} already queued`));

      const auditor = await registry.create({ owner: { id: "ci" }, scopes: ROLE_SCOPES.auditor }, "test");
      const refused = await leakstopAsync(["scan", tree, "--report"], viaServer(auditor.key));
      assert.equal(refused.code, 2);
      assert.match(
        refused.stderr,
        /leakstop: the server refused the findings .*HTTP 403 LS_FORBIDDEN: .*findings:write/,
      );
      assert.equal(readdirSync(spool).length, 1, "the refused findings are kept in the spool");
      assertNoRaw(await dumpRedis(redis), "Redis");
      assertNoRaw(readFileSync(join(spool, readdirSync(spool)[0]!), "utf8"), "the spool");
    });

    it("a spooled batch the server finds malformed is set aside with a warning, not retried forever", async () => {
      spool = join(dir, "spool-poison");
      const scanner = await registry.create({ owner: { id: "ci" }, scopes: ROLE_SCOPES.scanner }, "test");
      const job = {
        v: 1,
        findingId: "a".repeat(64),
        secretHash: "b".repeat(64),
        ruleId: "aws-access-key-id",
        provider: "AWS",
        severity: "high",
        validated: null,
        location: { source: "tree", path: "x", startLine: 1, startColumn: 1 },
        detectedAt: new Date().toISOString(),
        reporter: "cli",
      };
      mkdirSync(spool, { recursive: true });
      writeFileSync(join(spool, "findings-000000000000001-aaaaaaaaaaaa.json"), JSON.stringify({ v: 1, jobs: [job] }));
      const r = await leakstopAsync(
        ["report", "--flush"],
        env("x", { LEAKSTOP_SERVER: url, LEAKSTOP_TOKEN: scanner.key }),
      );
      assert.equal(r.code, 0, r.stderr);
      assert.match(
        r.stderr,
        /^leakstop: warning: the server refused the findings .*HTTP 400 .*findingId.*set aside as .*rejected-findings-/m,
      );
      assert.deepEqual(readdirSync(spool), ["rejected-findings-000000000000001-aaaaaaaaaaaa.json"]);
    });

    it("a server that does not answer: the findings are spooled, one warning line", async () => {
      spool = join(dir, "spool-server-down");
      const r = leakstop(["scan", tree, "--report"], {
        env: env("x", { LEAKSTOP_SERVER: "http://127.0.0.1:1", LEAKSTOP_TOKEN: "lsk_live_x" }),
      });
      assert.equal(r.code, 1, r.stderr);
      const lines = r.stderr
        .trim()
        .split("\n")
        .filter((l) => l.startsWith("leakstop:"));
      assert.equal(lines.length, 1, r.stderr);
      assert.match(
        lines[0]!,
        /^leakstop: warning: the server http:\/\/127\.0\.0\.1:1 did not answer: \d+ findings? spooled to /,
      );
      assert.equal(readdirSync(spool).length, 1);
    });
  });
});
