/**
 * `leakstop worker` shutting down with a repository job's git clone in flight (real git, a real
 * worker process): the clone's origin accepts the connection and never answers, so git and its
 * git-remote-http helper are running and the temporary mirror exists when SIGTERM comes. After
 * the worker exits no git process of that clone is left, no `.tmp-*` folder remains, and the job is
 * back in wait with no attempt used up; the next worker takes it again.
 */
import assert from "node:assert/strict";
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { createServer, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { Queue } from "bullmq";
import { Redis } from "ioredis";
import { ORG_SCAN_QUEUE, queuePrefix } from "../../../src/queue/names.js";
import { REPO_JOB_OPTIONS, REPO_SCAN_JOB, type RepoScanJob, repoJobId } from "../../../src/scheduler/org-scan-jobs.js";
import { until } from "../../helpers/until.js";
import { startWorkerFixture, type WorkerChild, type WorkerFixture } from "../worker/harness.js";

/** Live (not zombie) processes whose command line holds `text`. */
function processesWith(text: string): { pid: number; cmd: string }[] {
  const out: { pid: number; cmd: string }[] = [];
  for (const name of readdirSync("/proc")) {
    if (!/^\d+$/.test(name) || Number(name) === process.pid) continue;
    try {
      const cmd = readFileSync(`/proc/${name}/cmdline`, "utf8").replace(/\0/g, " ");
      const state = readFileSync(`/proc/${name}/stat`, "utf8").replace(/^.*\) /, "")[0];
      if (cmd.includes(text) && state !== "Z") out.push({ pid: Number(name), cmd });
    } catch {
      // gone meanwhile
    }
  }
  return out;
}

/** Every `.tmp-` folder under `dir`. */
function tmpFolders(dir: string): string[] {
  return (readdirSync(dir, { recursive: true }) as string[]).filter((p) => /\.tmp-/.test(p));
}

describe("leakstop worker shutdown with a git clone in flight", () => {
  let fx: WorkerFixture;
  let bull: Redis;
  let orgQueue: Queue;
  const held: ServerResponse[] = [];
  let requests = 0;
  const origin = createServer((req, res) => {
    requests++;
    req.resume();
    held.push(res); // never answered: git waits on the clone's first request
  });
  const cache = mkdtempSync(join(tmpdir(), "leakstop-shutdown-"));
  let url = "";

  before(async () => {
    fx = await startWorkerFixture();
    bull = new Redis(fx.server.url, { maxRetriesPerRequest: null });
    orgQueue = new Queue(ORG_SCAN_QUEUE, { connection: bull, prefix: queuePrefix() });
    await new Promise<void>((r) => origin.listen(0, "127.0.0.1", r));
    url = `http://127.0.0.1:${(origin.address() as AddressInfo).port}/acme/slow.git`;
  });
  after(async () => {
    for (const res of held) res.destroy();
    origin.closeAllConnections();
    origin.close();
    await orgQueue.close();
    bull.disconnect();
    await fx.close();
    rmSync(cache, { recursive: true, force: true });
  });

  /** Starts a worker, waits until its clone is in flight, stops it with SIGTERM and checks what is left. */
  async function stopMidClone(seen: number): Promise<void> {
    const w: WorkerChild = fx.startWorker([], {
      LEAKSTOP_CACHE_DIR: cache,
      GITHUB_API_URL: "http://127.0.0.1:9",
      LEAKSTOP_THREADS: "1",
      LEAKSTOP_LOG_LEVEL: "info",
    });
    await w.ready;
    await until("the worker's clone to reach the origin", () => requests > seen, 30_000);
    const gits = await until(
      "git and its helper to run",
      () => {
        const p = processesWith(url);
        return p.length > 0 && tmpFolders(cache).length > 0 ? p : null;
      },
      10_000,
    );
    assert.ok(
      gits.some((p) => /\bclone\b/.test(p.cmd)),
      JSON.stringify(gits),
    );
    w.child.kill("SIGTERM");
    const code = await Promise.race([w.exited, new Promise((r) => setTimeout(() => r("still running"), 20_000))]);
    assert.equal(code, 0, w.output().slice(-2000));
    assert.deepEqual(processesWith(url), [], "no git process of the clone survives the worker");
    for (const { pid } of gits) assert.equal(processesWith(url).filter((p) => p.pid === pid).length, 0);
    assert.deepEqual(tmpFolders(cache), [], "no temporary mirror is left");
  }

  it("stops the clone and its helpers, removes the temporary mirror, and puts the job back for the next worker", async () => {
    const data: RepoScanJob = { v: 1, org: "acme", fullName: "acme/slow", cloneUrl: url, tick: "t1" };
    const jobId = repoJobId(data.fullName, data.tick);
    await orgQueue.add(REPO_SCAN_JOB, data, { ...REPO_JOB_OPTIONS, jobId });

    await stopMidClone(0);
    const job = await orgQueue.getJob(jobId);
    assert.equal(await job?.getState(), "waiting", "back in wait, not failed and not stuck active");
    assert.equal(job?.attemptsMade, 0, "the shutdown used up no attempt");

    // The next worker takes the same job again (and is stopped the same way).
    await stopMidClone(requests);
    assert.equal(await (await orgQueue.getJob(jobId))?.getState(), "waiting");
  });
});
