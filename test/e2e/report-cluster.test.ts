/** `scan --report` onto a local three-master Redis Cluster: the findings queue lives in one slot, one job per finding, none more on a second run. */
import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { Redis } from "ioredis";
import type { FindingJob } from "../../src/queue/jobs.js";
import { FINDING_JOB_KEY, findingsInData } from "../helpers/finding-jobs.js";
import { type RedisCluster, startRedisCluster } from "../helpers/redis-cluster.js";
import { crcToken } from "../helpers/secrets.js";
import { leakstop } from "./cli.js";

describe("scan --report on Redis Cluster", () => {
  let cluster: RedisCluster;
  const dir = mkdtempSync(join(tmpdir(), "ls-report-cluster-"));
  const secret = crcToken("ghp_");
  before(async () => {
    cluster = await startRedisCluster();
    mkdirSync(join(dir, "tree"));
    writeFileSync(join(dir, "tree", "ci.sh"), `export GITHUB_TOKEN=${secret}\n`);
  });
  after(async () => {
    await cluster?.dispose();
    rmSync(dir, { recursive: true, force: true });
  });

  /** Every finding job on every master (they all sit on the node owning the {leakstop} slot). */
  async function jobs(): Promise<{ nodes: number; jobs: FindingJob[]; text: string }> {
    const found: FindingJob[] = [];
    let nodes = 0;
    let text = "";
    for (const node of cluster.nodes) {
      const client = new Redis(node.url);
      try {
        const names = (await client.keys("{leakstop}:q:findings:*")).filter((k) => FINDING_JOB_KEY.test(k));
        if (names.length > 0) nodes++;
        for (const k of names) {
          const data = (await client.hget(k, "data")) ?? "{}";
          text += data;
          found.push(...findingsInData(data));
        }
      } finally {
        client.disconnect();
      }
    }
    return { nodes, jobs: found, text };
  }

  it("enqueues one job per finding in one slot, and a second run adds none", async () => {
    const env = { REDIS_URL: cluster.url, LEAKSTOP_SPOOL_DIR: join(dir, "spool"), LEAKSTOP_SERVER: "" };
    const r = leakstop(["scan", join(dir, "tree"), "--report"], { env });
    assert.equal(r.code, 1, r.stderr);
    assert.match(r.stderr, /reported to Redis at .*: 1 new, 0 already queued/);
    const first = await jobs();
    assert.equal(first.jobs.length, 1);
    assert.equal(first.nodes, 1, "the queue's keys share one hash slot");
    assert.ok(!first.text.includes(secret));
    const again = leakstop(["scan", join(dir, "tree"), "--report"], { env });
    assert.match(again.stderr, /0 new, 1 already queued/);
    assert.equal((await jobs()).jobs.length, 1);
  });
});
