/**
 * Scheduled org scans through `leakstop worker` processes (the built CLI), end to end: the
 * schedule comes from the environment (every second here), two worker processes with their own
 * mirror caches share the repository jobs, and a leakstop key committed into one repository is
 * found by the scheduled scan and revoked by the same workers' findings processor.
 */
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { type Job, Queue } from "bullmq";
import { Redis } from "ioredis";
import { ORG_SCAN_QUEUE, queuePrefix } from "../../../src/queue/names.js";
import { REPO_SCAN_JOB } from "../../../src/scheduler/org-scan-jobs.js";
import { syncOrgScanSchedulers } from "../../../src/scheduler/schedulers.js";
import { type FakeGitHub, startFakeGitHub } from "../../helpers/github-server.js";
import { gitRoot, Origin } from "../../helpers/org-origin.js";
import { until } from "../../helpers/until.js";
import { startWorkerFixture, type WorkerFixture } from "../worker/harness.js";

const TOKEN = "ghp_schedulerCliToken0123456789abcdefABCDE";

describe("scheduled org scans in leakstop worker processes", () => {
  let fx: WorkerFixture;
  let gh: FakeGitHub;
  let orgQueue: Queue;
  let bull: Redis;
  const root = gitRoot();
  const caches = [mkdtempSync(join(tmpdir(), "leakstop-w1-")), mkdtempSync(join(tmpdir(), "leakstop-w2-"))];

  before(async () => {
    fx = await startWorkerFixture();
    gh = await startFakeGitHub({ token: TOKEN, gitRoot: root });
    bull = new Redis(fx.server.url, { maxRetriesPerRequest: null });
    orgQueue = new Queue(ORG_SCAN_QUEUE, { connection: bull, prefix: queuePrefix() });
  });
  after(async () => {
    await syncOrgScanSchedulers(orgQueue, null).catch(() => undefined);
    await orgQueue.close();
    bull.disconnect();
    await fx.close();
    await gh.close();
    // A worker's git clone may still be finishing its temporary mirror as the worker exits: retry.
    for (const d of [...caches, root]) rmSync(d, { recursive: true, force: true, maxRetries: 10, retryDelay: 100 });
  });

  it("two workers share the repository jobs; a key committed into the org is found and revoked", async () => {
    const { key, record } = await fx.registry.create({ owner: { id: "team-a" }, scopes: ["keys:read"] }, "test");
    const names = ["api", "web", "docs", "infra"];
    for (const name of names) new Origin(root, name).commit("init", { "README.md": `# ${name}\n` });
    gh.orgs.set(
      "acme",
      names.map((name) => ({ name })),
    );
    const api = new Origin(root, "api-v2");
    api.commit("config", { "app/.env": `LEAKSTOP_KEY=${key}\n` });
    gh.orgs.get("acme")!.push({ name: "api-v2" });

    const env = (cache: string) => ({
      GITHUB_API_URL: gh.apiUrl,
      GITHUB_TOKEN: TOKEN,
      LEAKSTOP_CACHE_DIR: cache,
      LEAKSTOP_ORG_SCAN_CRON: "* * * * * *",
      LEAKSTOP_ORG_SCAN_ORGS: "acme",
      LEAKSTOP_THREADS: "1",
    });
    const workers = caches.map((c) => fx.startWorker([], env(c)));
    await Promise.all(workers.map((w) => w.ready));

    const revoked = await until(
      "the committed key to be revoked",
      async () => {
        const r = await fx.registry.get(record.id);
        return r?.status === "revoked" ? r : null;
      },
      90_000,
    );
    assert.equal(revoked.status, "revoked");
    const entries = await fx.entriesOf(record.id);
    assert.equal(entries.filter((e) => e.action === "key.revoke").length, 1, "revoked once, with one audit entry");

    const processedBy = await until(
      "both workers to process repository jobs",
      async () => {
        const done = (await orgQueue.getJobs(["completed"])) as Job[];
        const by = new Set(done.filter((j) => j.name === REPO_SCAN_JOB).map((j) => j.processedBy));
        return by.size >= 2 ? by : null;
      },
      60_000,
    );
    assert.equal(processedBy.size, 2);
    for (const w of workers) assert.ok(!w.output().includes(key), "no worker log line holds the key");
  });
});
