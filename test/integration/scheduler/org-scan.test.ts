/**
 * Scheduled org scans with real parts: a private redis-server, a GitHub stand-in on 127.0.0.1
 * (REST listing + git over smart HTTP), bare origins pushed to by real git, and BullMQ workers
 * with their own mirror caches (one per simulated host). A tick adds one job per repository; the
 * jobs spread over the workers; findings land on FINDINGS_QUEUE; the next tick scans only new
 * commits, even on a host that never saw the repository; a broken repository fails alone.
 */
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { type Job, Queue, Worker } from "bullmq";
import { Redis } from "ioredis";
import { buildRuleSet } from "../../../src/config/ruleset.js";
import { FINDINGS_QUEUE, ORG_SCAN_QUEUE, queuePrefix } from "../../../src/queue/names.js";
import { makeHistoryScanner } from "../../../src/scan/org-history.js";
import type { HistoryScanner } from "../../../src/scan/scan-org.js";
import { ORG_TICK_JOB, REPO_SCAN_JOB, type RepoScanResult } from "../../../src/scheduler/org-scan-jobs.js";
import { type OrgScanService, startOrgScanService } from "../../../src/scheduler/org-scan-service.js";
import { gitHubRepoLister, runOrgTick } from "../../../src/scheduler/org-tick.js";
import { syncOrgScanSchedulers } from "../../../src/scheduler/schedulers.js";
import { findingsOf } from "../../helpers/finding-jobs.js";
import { type FakeGitHub, startFakeGitHub } from "../../helpers/github-server.js";
import { gitRoot, Origin } from "../../helpers/org-origin.js";
import { type RedisServer, startRedisServer } from "../../helpers/redis-server.js";
import { crcToken } from "../../helpers/secrets.js";
import { until } from "../../helpers/until.js";

const TOKEN = "ghp_schedulerTestToken0123456789abcdefABCD";
const NS = "otest";
const sha256 = (t: string) => createHash("sha256").update(t).digest("hex");

describe("scheduled org scans", () => {
  let redisServer: RedisServer;
  let gh: FakeGitHub;
  let client: Redis;
  let orgQueue: Queue;
  let findings: Queue;
  const root = gitRoot();
  const dirs: string[] = [];
  const connections: Redis[] = [];
  const services: OrgScanService[] = [];
  const secrets = { api: crcToken("ghp_"), web: crcToken("ghp_"), later: crcToken("ghp_") };
  const origins: Record<string, Origin> = {};
  const commits: Record<string, string> = {};
  const ruleSet = buildRuleSet(null, [], { examples: false });

  const conn = (blocking: boolean) => {
    const r = new Redis(redisServer.url, blocking ? { maxRetriesPerRequest: null } : { maxRetriesPerRequest: 1 });
    connections.push(r);
    return r;
  };
  const cache = () => {
    const d = mkdtempSync(join(tmpdir(), "leakstop-sched-cache-"));
    dirs.push(d);
    return d;
  };

  /** One "host": its own cache and connections; `scanHistory` may be wrapped by the test. */
  async function host(name: string, wrap: (s: HistoryScanner) => HistoryScanner = (s) => s, ns = NS) {
    const cacheDir = cache();
    const service = await startOrgScanService({
      bull: conn(true),
      client: conn(false),
      namespace: ns,
      schedule: null,
      name,
      repoJobOptions: { attempts: 1, removeOnComplete: false, removeOnFail: false },
      github: { apiUrl: gh.apiUrl, token: TOKEN },
      scanDeps: async () => ({
        cacheDir,
        token: TOKEN,
        sealTo: null,
        rulesDigest: "test-rules",
        scanHistory: wrap(makeHistoryScanner(ruleSet, { showSecrets: false, threads: 1, maxFileSize: 0 })),
      }),
    });
    services.push(service);
    return service;
  }

  /** Adds a tick by hand and waits until each of its repository jobs has finished. */
  async function tick(id: string, queue = orgQueue, repos = 4) {
    const t = await queue.add(ORG_TICK_JOB, { v: 1, org: "acme" }, { jobId: id });
    const stamp = String(t.timestamp);
    return until(`the jobs of ${id}`, async () => {
      const done = (await queue.getJobs(["completed", "failed"])) as Job[];
      const mine = done.filter((j) => j.name === REPO_SCAN_JOB && j.data.tick === stamp);
      return mine.length === repos ? { stamp, jobs: new Map(mine.map((j) => [j.data.fullName as string, j])) } : null;
    });
  }

  const findingJobs = async () =>
    findingsOf(await findings.getJobs(["waiting", "prioritized", "delayed"])).map((j) => j.data);

  before(async () => {
    redisServer = await startRedisServer();
    gh = await startFakeGitHub({ token: TOKEN, gitRoot: root });
    for (const name of ["api", "web", "docs"]) origins[name] = new Origin(root, name);
    commits.api = origins.api!.commit("config", { "config/.env": `GITHUB_TOKEN=${secrets.api}\n` });
    origins.api!.commit("clean up", { "config/.env": "GITHUB_TOKEN=\n" });
    commits.web = origins.web!.commit("ci", { "ci/deploy.sh": `export GH_TOKEN=${secrets.web}\n` });
    origins.docs!.commit("readme", { "README.md": "# docs\n" });
    gh.orgs.set("acme", [
      { name: "api" },
      { name: "web" },
      { name: "docs" },
      { name: "broken", cloneUrl: `${gh.url}/git/does-not-exist.git` },
    ]);
    client = conn(false);
    orgQueue = new Queue(ORG_SCAN_QUEUE, { connection: conn(true), prefix: queuePrefix(NS) });
    findings = new Queue(FINDINGS_QUEUE, { connection: conn(true), prefix: queuePrefix(NS) });
  });

  after(async () => {
    for (const s of services) await s.close();
    await orgQueue.close();
    await findings.close();
    for (const c of connections) c.disconnect();
    await gh.close();
    await redisServer.dispose();
    for (const d of [...dirs, root]) rmSync(d, { recursive: true, force: true });
  });

  it("a tick adds one job per repository; two workers share them; findings reach the findings queue; a broken repository fails alone", async () => {
    // Each host's first scan waits (up to 20 s) until the other host scans too: proof that both took jobs.
    const entered = { a: false, b: false };
    const gate = (me: "a" | "b", other: "a" | "b") => (scan: HistoryScanner) => {
      return async (dir: string, exclude: string[]) => {
        entered[me] = true;
        await until(`host ${other} to take a job`, async () => entered[other], 20_000).catch(() => undefined);
        return scan(dir, exclude);
      };
    };
    await host("host-a", gate("a", "b"));
    await host("host-b", gate("b", "a"));

    const { stamp, jobs } = await tick("tick-1");
    assert.deepEqual([...jobs.keys()].sort(), ["acme/api", "acme/broken", "acme/docs", "acme/web"]);
    for (const [name, job] of jobs)
      assert.equal(job.id, `${name}@${stamp}`, "deterministic id per repository and tick");
    assert.ok(entered.a && entered.b, "both hosts scanned repositories");

    const broken = jobs.get("acme/broken")!;
    assert.equal(await broken.getState(), "failed");
    assert.match(broken.failedReason, /^acme\/broken: /);
    for (const name of ["acme/api", "acme/web", "acme/docs"])
      assert.equal(await jobs.get(name)!.getState(), "completed");
    const api = jobs.get("acme/api")!.returnvalue as RepoScanResult;
    assert.equal(api.mode, "full");
    assert.equal(api.fullBecause, "no earlier scan");
    assert.equal(api.findings, 1);

    const reported = await findingJobs();
    assert.deepEqual(reported.map((f) => f.secretHash).sort(), [sha256(secrets.api), sha256(secrets.web)].sort());
    const apiFinding = reported.find((f) => f.secretHash === sha256(secrets.api))!;
    assert.equal(apiFinding.reporter, "org-scan");
    assert.deepEqual(
      { ...apiFinding.location },
      {
        source: "org",
        repository: "acme/api",
        commit: commits.api,
        path: "config/.env",
        startLine: 1,
        startColumn: 14,
      },
    );

    // The same tick run again (a retry after a crash) adds no second set of repository jobs.
    const tickJob = (await orgQueue.getJob("tick-1"))!;
    const rerun = await runOrgTick(tickJob, gitHubRepoLister(gh.apiUrl, TOKEN), orgQueue);
    assert.equal(rerun.repositories, 4);
    const all = (await orgQueue.getJobs(["waiting", "active", "completed", "failed", "delayed"])) as Job[];
    assert.equal(all.filter((j) => j.name === REPO_SCAN_JOB && j.data.tick === stamp).length, 4);
    const stored = [
      await client.keys("*"),
      ...(await Promise.all((await client.keys(`${NS}:org-scan:state:*`)).map((k) => client.get(k)))),
    ].join("\n");
    for (const s of [secrets.api, secrets.web]) assert.ok(!stored.includes(s), "no raw secret in Redis");
  });

  it("the next tick scans only commits not scanned before, also on a host that never saw the repository", async () => {
    for (const s of services.splice(0)) await s.close();
    await host("host-c"); // an empty cache: it must clone, yet scan only what is new
    const before = (await findingJobs()).length;
    commits.later = origins.api!.commit("oops", { "deploy/.env": `GITHUB_TOKEN=${secrets.later}\n` });

    const { jobs } = await tick("tick-2");
    const api = jobs.get("acme/api")!.returnvalue as RepoScanResult;
    assert.deepEqual(
      { status: api.status, mode: api.mode, commits: api.commits, findings: api.findings },
      { status: "scanned", mode: "incremental", commits: 1, findings: 1 },
    );
    assert.equal((jobs.get("acme/web")!.returnvalue as RepoScanResult).status, "up-to-date");
    assert.equal((jobs.get("acme/docs")!.returnvalue as RepoScanResult).status, "up-to-date");
    assert.equal(await jobs.get("acme/broken")!.getState(), "failed");
    const reported = await findingJobs();
    assert.equal(reported.length, before + 1, "only the new secret was reported");
    const later = reported.find((f) => f.secretHash === sha256(secrets.later))!;
    assert.equal(later.location.commit, commits.later);
  });

  it("a worker that starts while another is running this schedule's tick syncs the same schedule without failing", async () => {
    const q = new Queue(ORG_SCAN_QUEUE, { connection: conn(true), prefix: queuePrefix("otest-race") });
    let release = () => {};
    const held = new Promise<void>((r) => {
      release = r;
    });
    let taken: (id: string) => void = () => {};
    const active = new Promise<string>((r) => {
      taken = r;
    });
    // Stands for the first worker: it holds the scheduler's iteration active while the second starts.
    const first = new Worker(
      ORG_SCAN_QUEUE,
      async (job) => {
        taken(job.id ?? "");
        await held;
      },
      { connection: conn(true), prefix: queuePrefix("otest-race") },
    );
    try {
      const schedule = { cron: "* * * * * *", orgs: ["acme"], tz: "UTC" };
      await syncOrgScanSchedulers(q, schedule);
      const id = await active;
      assert.ok(id.startsWith("repeat:org-scan-acme:"), id);
      const again = await syncOrgScanSchedulers(q, schedule);
      assert.deepEqual(again, { upserted: ["org-scan-acme"], removed: [] });
      const listed = await q.getJobSchedulers(0, -1);
      assert.deepEqual(
        listed.map((s) => [s.key, s.pattern]),
        [["org-scan-acme", "* * * * * *"]],
      );
    } finally {
      release();
      await first.close();
      await syncOrgScanSchedulers(q, null);
      await q.close();
    }
  });

  it("job schedulers follow the schedule: one per org, added and removed; a real schedule ticks", async () => {
    const q = new Queue(ORG_SCAN_QUEUE, { connection: conn(true), prefix: queuePrefix("otest-sched") });
    try {
      const first = await syncOrgScanSchedulers(q, { cron: "0 3 * * *", orgs: ["acme", "beta"], tz: "UTC" });
      assert.deepEqual(first, { upserted: ["org-scan-acme", "org-scan-beta"], removed: [] });
      const listed = await q.getJobSchedulers(0, -1);
      assert.deepEqual(listed.map((s) => [s.key, s.pattern]).sort(), [
        ["org-scan-acme", "0 3 * * *"],
        ["org-scan-beta", "0 3 * * *"],
      ]);
      const second = await syncOrgScanSchedulers(q, { cron: "0 3 * * *", orgs: ["acme"], tz: "UTC" });
      assert.deepEqual(second.removed, ["org-scan-beta"]);
      await assert.rejects(syncOrgScanSchedulers(q, { cron: "99 3 * * *", orgs: ["acme"], tz: "UTC" }), {
        code: "LS_CONFIG_INVALID",
      });

      // Every second: the scheduler's own tick lists the org and adds its repository jobs.
      const service = await startOrgScanService({
        bull: conn(true),
        client: conn(false),
        namespace: "otest-sched",
        schedule: { cron: "* * * * * *", orgs: ["acme"], tz: "UTC" },
        repoJobOptions: { attempts: 1, removeOnComplete: false, removeOnFail: false },
        github: { apiUrl: gh.apiUrl, token: TOKEN },
        scanDeps: async () => ({
          cacheDir: cache(),
          token: TOKEN,
          sealTo: null,
          rulesDigest: "test-rules",
          scanHistory: makeHistoryScanner(ruleSet, { showSecrets: false, threads: 1, maxFileSize: 0 }),
        }),
      });
      services.push(service);
      const tickJob = await until("a scheduled tick", async () =>
        ((await q.getJobs(["completed"])) as Job[]).find((j) => j.name === ORG_TICK_JOB && j.id?.startsWith("repeat:")),
      );
      assert.deepEqual(tickJob.returnvalue, { org: "acme", repositories: 4 });
      await syncOrgScanSchedulers(q, null);
      assert.equal((await q.getJobSchedulers(0, -1)).length, 0);
      await service.close();
    } finally {
      await q.close();
    }
  });
});
