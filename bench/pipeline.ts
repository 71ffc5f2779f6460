/**
 * Benchmark: the revocation pipeline (SPEC §8: finding → revoked p99 ≤ 100 ms at 1,000
 * findings/s; ≥ 3,000 findings/s per worker process), with real processes: a private
 * redis-server on loopback, one `leakstop worker` child process, this process as the producer.
 *
 *   npm run bench -- pipeline [--rate 1000] [--seconds 10] [--backlog 20000] [--concurrency 32,128]
 *                             [--aof off|everysec|always] [--miss 0.9] [--together] [--profile DIR] [--cluster]
 *                             [--batch 100]
 *
 * Findings are sent as producers send them (queue/findings-queue.ts: up to `--batch` findings per
 * job, default 100; `--batch 1` is one job per finding). Steady phase: distinct live keys leak at
 * `--rate` findings/s (sent every 10 ms) for `--seconds`; latency per finding = the key's revokedAt (stamped by the worker just before its
 * revoke script) − the job's enqueue time, both from the same clock; also job finished − enqueued
 * (revoke + the owner's notify job enqueued). Max phase: `--backlog` findings wait on the queue
 * before a fresh worker starts; throughput = findings ÷ (last finished − first processed). Every
 * owner's webhook is delivered (signed) to a local receiver, as in production: by a second
 * process (`leakstop worker --queues delivery`), or with `--together` by the findings worker
 * itself. `--miss F`: that fraction of the findings match no key (the common case in practice).
 * CPU is reported per finding (ms, from /proc), which stays meaningful on a loaded machine.
 * `--cluster`: a local three-master Redis Cluster instead of one redis-server (the workers get the
 * three URLs; queues and registry share the `{leakstop}` slot, so one master does the work; the
 * Redis CPU column sums all three).
 */
import { type ChildProcess, spawn } from "node:child_process";
import { createHash } from "node:crypto";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { cpus, loadavg } from "node:os";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { type Job, Queue } from "bullmq";
import { Cluster, Redis } from "ioredis";
import { parseWebhookAllow } from "../src/notify/webhook-url.js";
import { FindingsProducer } from "../src/queue/findings-queue.js";
import type { FindingBatchJob, FindingJob } from "../src/queue/jobs.js";
import { FINDINGS_QUEUE, queuePrefix } from "../src/queue/names.js";
import { Registry } from "../src/registry/index.js";
import { startRedisCluster } from "../test/helpers/redis-cluster.js";
import { startRedisServer } from "../test/helpers/redis-server.js";
import { cpuSecondsOf, percentile } from "./lib/stats.js";

const CLI = fileURLToPath(new URL("../../bin/leakstop.js", import.meta.url));
/** The owners' webhook: a local receiver answering 204 (the worker delivers every notification too). */
let owner = { id: "bench", webhook: "" };
let delivered = 0;
/** Webhooks received since the last phase's wait. */
let deliveredSinceMark = 0;

async function startReceiver(): Promise<Server> {
  const srv = createServer((req, res) => {
    req.resume();
    req.on("end", () => {
      delivered++;
      deliveredSinceMark++;
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((r) => srv.listen(0, "127.0.0.1", r));
  owner = { id: "bench", webhook: `http://127.0.0.1:${(srv.address() as AddressInfo).port}/hook` };
  return srv;
}

/** Findings made so far: each one gets its own findingId (stray keys recur across phases). */
let findingSeq = 0;

function finding(key: string, i: number): FindingJob {
  const secretHash = createHash("sha256").update(key).digest("hex");
  return {
    v: 1,
    findingId: createHash("sha256").update(`${secretHash}\n${i}\n${findingSeq++}`).digest("hex"),
    secretHash,
    ruleId: "leakstop-key",
    provider: "leakstop",
    severity: "critical",
    validated: true,
    location: { source: "tree", path: `src/file-${i}.ts`, startLine: 1, startColumn: 1, repository: "bench/repo" },
    detectedAt: new Date().toISOString(),
    reporter: "bench",
  };
}

async function makeKeys(registry: Registry, n: number): Promise<string[]> {
  const keys: string[] = [];
  for (let i = 0; i < n; i += 200) {
    const batch = await Promise.all(
      Array.from({ length: Math.min(200, n - i) }, () => registry.create({ owner }, "bench")),
    );
    keys.push(...batch.map((b) => b.key));
  }
  return keys;
}

/** Where the queues and the registry live: one redis-server, or the three masters of a local Cluster. */
interface Store {
  url: string;
  pids: (number | null)[];
  /** A client for the bench (commandstats are read from the node holding `{leakstop}`). */
  client(opts?: { maxRetriesPerRequest: null }): Redis | Cluster;
  dispose(): Promise<void>;
}

async function startStore(aof: "off" | "everysec" | "always", cluster: boolean): Promise<Store> {
  const persistence = aof === "off" ? {} : { appendonly: true, appendfsync: aof };
  if (!cluster) {
    const server = await startRedisServer(persistence);
    return {
      url: server.url,
      pids: [server.pid],
      client: (opts) => new Redis(server.url, opts ?? {}),
      dispose: () => server.dispose(),
    };
  }
  if (aof === "always") throw new Error("bench: --cluster runs with AOF everysec or off");
  const c = await startRedisCluster({ appendonly: aof === "everysec" });
  return {
    url: c.url,
    pids: c.nodes.map((n) => n.pid),
    client: (opts) =>
      new Cluster(
        c.nodes.map((n) => ({ host: "127.0.0.1", port: n.port })),
        { redisOptions: opts ?? {} },
      ),
    dispose: () => c.dispose(),
  };
}

/** The processes that take the queues: findings (and delivery with --together), else a delivery one beside it. */
interface Workers {
  findings: ChildProcess;
  delivery: ChildProcess | null;
}

let together = false;
let miss = 0;
/** --profile DIR: the findings worker writes a V8 CPU profile there (read it with bench/cpu-profile.ts). */
let profileDir: string | undefined;
/** The bench's connection for INFO commandstats, and the lines to print after the table. */
let statsClient: Redis | Cluster;
const statsLines: string[] = [];

async function startWorkers(server: Store, concurrency: number): Promise<Workers> {
  const queues = together ? "findings,delivery" : "findings";
  const [findings, delivery] = await Promise.all([
    startWorker(server, ["--concurrency", String(concurrency), "--queues", queues], profileDir),
    together ? null : startWorker(server, ["--queues", "delivery"]),
  ]);
  return { findings, delivery };
}

async function stopWorkers(w: Workers): Promise<void> {
  await Promise.all([stopWorker(w.findings), w.delivery ? stopWorker(w.delivery) : null]);
}

/** CPU seconds of the findings worker, the delivery worker (0 with --together) and redis-server. */
function cpuOf(w: Workers, server: Store): { w: number; d: number; r: number } {
  return {
    w: cpuSecondsOf(w.findings.pid),
    d: w.delivery ? cpuSecondsOf(w.delivery.pid) : 0,
    r: server.pids.reduce((t: number, pid) => t + cpuSecondsOf(pid), 0),
  };
}

function cpuSince(w: Workers, server: Store, t0: { w: number; d: number; r: number }) {
  const now = cpuOf(w, server);
  return { w: now.w - t0.w, d: now.d - t0.d, r: now.r - t0.r };
}

/** A key nobody issued, for the findings that match nothing. */
function strayKey(i: number): string {
  return `stray-${i}-${createHash("sha256").update(String(i)).digest("hex")}`;
}

/** `n` keys to leak: live ones, and with --miss that fraction of stray ones spread among them. */
async function leakedKeys(registry: Registry, n: number): Promise<string[]> {
  const stray = Math.round(n * miss);
  const live = await makeKeys(registry, n - stray);
  const out: string[] = [];
  let l = 0;
  for (let i = 0; i < n; i++) {
    const wantStray = Math.floor(((i + 1) * stray) / n) > Math.floor((i * stray) / n);
    out.push(wantStray || l >= live.length ? strayKey(i) : (live[l++] as string));
  }
  return out;
}

function startWorker(server: Store, args: string[], profile?: string): Promise<ChildProcess> {
  const node = profile ? ["--cpu-prof", "--cpu-prof-dir", profile] : [];
  const child = spawn(process.execPath, [...node, CLI, "worker", "--org-scans", "0", ...args], {
    env: {
      ...process.env,
      REDIS_URL: server.url,
      LEAKSTOP_AUDIT_KEY: "",
      LEAKSTOP_LOG_LEVEL: "warn",
      LEAKSTOP_WEBHOOK_ALLOW: "127.0.0.1",
      LEAKSTOP_WEBHOOK_SECRET: "bench",
    },
    stdio: ["ignore", "ignore", "inherit"],
  });
  // The ready line is at info level, muted here: wait for the worker's BullMQ connection instead.
  return new Promise((resolve) => setTimeout(() => resolve(child), 1500));
}

async function stopWorker(child: ChildProcess): Promise<void> {
  const done = new Promise((r) => child.once("exit", r));
  child.kill("SIGTERM");
  await done;
}

/** Waits until `n` jobs (batches) have completed. */
async function waitDone(q: Queue, n: number, timeoutMs: number): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (((await q.getJobCounts("completed")).completed ?? 0) < n) {
    if (Date.now() > until) throw new Error(`bench: only ${JSON.stringify(await q.getJobCounts())} of ${n}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Waits until the receiver has every owner's webhook (so the delivery CPU is all counted). */
async function waitDelivered(n: number): Promise<void> {
  const until = Date.now() + 120_000;
  while (deliveredSinceMark < n && Date.now() < until) await new Promise((r) => setTimeout(r, 50));
  deliveredSinceMark = 0;
}

async function completedJobs(q: Queue<FindingBatchJob>): Promise<Job<FindingBatchJob>[]> {
  const out: Job<FindingBatchJob>[] = [];
  for (let start = 0; ; start += 1000) {
    const page = await q.getJobs(["completed"], start, start + 999, true);
    out.push(...page);
    if (page.length < 1000) return out;
  }
}

const ms = (v: number) => v.toFixed(1);
/** CPU milliseconds per finding: meaningful under load, where wall times are not. */
const perFinding = (cpuSeconds: number, n: number) => ((cpuSeconds * 1000) / n).toFixed(3);

let producer: FindingsProducer;

async function steady(server: Store, q: Queue<FindingBatchJob>, registry: Registry, rate: number, seconds: number) {
  const total = rate * seconds;
  const keys = await leakedKeys(registry, total);
  const workers = await startWorkers(server, 32);
  const cpu0 = cpuOf(workers, server);
  const t0 = Date.now();
  let sent = 0;
  let jobsSent = 0;
  while (sent < total) {
    // Catch up to the schedule: rate × elapsed, sent in 10 ms ticks.
    const due = Math.min(total, Math.floor(((Date.now() - t0) / 1000) * rate) + Math.ceil(rate / 100));
    const batch: FindingJob[] = [];
    for (; sent < due; sent++) batch.push(finding(keys[sent] as string, sent));
    if (batch.length) jobsSent += (await producer.enqueue(batch)).batches.length;
    await new Promise((r) => setTimeout(r, 10));
  }
  const sendSeconds = (Date.now() - t0) / 1000;
  await waitDone(q, jobsSent, 120_000);
  const elapsed = (Date.now() - t0) / 1000;
  await waitDelivered(total - Math.round(total * miss));
  const cpu = cpuSince(workers, server, cpu0);
  await stopWorkers(workers);
  const jobs = await completedJobs(q);
  const toRevoked: number[] = [];
  const toDone: number[] = [];
  for (const j of jobs) {
    for (const f of j.data.findings) {
      const rec = await registry.getByHash(f.secretHash);
      if (rec?.revokedAt) toRevoked.push(Date.parse(rec.revokedAt) - j.timestamp);
      if (j.finishedOn) toDone.push(j.finishedOn - j.timestamp);
    }
  }
  const a = Float64Array.from(toRevoked).sort();
  const b = Float64Array.from(toDone).sort();
  console.log(
    `\n#### Steady ${rate} findings/s for ${seconds} s (${total} findings in ${jobsSent} jobs, sent in ${sendSeconds.toFixed(1)} s)\n`,
  );
  console.log("| measure | p50 ms | p90 ms | p99 ms | max ms |");
  console.log("| --- | --- | --- | --- | --- |");
  for (const [name, s] of [
    ["enqueued → revoked (record's revokedAt)", a],
    ["enqueued → job done (revoked + notify enqueued)", b],
  ] as const) {
    console.log(
      `| ${name} | ${ms(percentile(s, 50))} | ${ms(percentile(s, 90))} | ${ms(percentile(s, 99))} | ${ms(s[s.length - 1] ?? Number.NaN)} |`,
    );
  }
  console.log(
    `\nrevoked ${a.length} / ${total} (${Math.round(total * miss)} match no key); CPU over ${elapsed.toFixed(1)} s: worker ${(cpu.w / elapsed).toFixed(2)}, redis ${(cpu.r / elapsed).toFixed(2)} cores; ` +
      `per finding: findings worker ${perFinding(cpu.w, total)} ms, delivery worker ${perFinding(cpu.d, total)} ms, redis ${perFinding(cpu.r, total)} ms CPU (delivery included).`,
  );
  await q.obliterate({ force: true });
}

/** Redis's own count of calls and CPU µs per command (INFO commandstats; on a Cluster summed over the masters). */
async function commandStats(redis: Redis | Cluster): Promise<Map<string, { calls: number; usec: number }>> {
  const out = new Map<string, { calls: number; usec: number }>();
  const nodes = redis instanceof Cluster ? redis.nodes("master") : [redis];
  const texts = await Promise.all(nodes.map((n) => n.info("commandstats")));
  for (const m of texts.join("\n").matchAll(/^cmdstat_(\S+):calls=(\d+),usec=(\d+)/gm)) {
    const had = out.get(m[1] as string) ?? { calls: 0, usec: 0 };
    out.set(m[1] as string, { calls: had.calls + Number(m[2]), usec: had.usec + Number(m[3]) });
  }
  return out;
}

/** The commands that cost Redis most between two commandstats, per finding. */
function statsLine(before: Map<string, { calls: number; usec: number }>, after: typeof before, n: number): string {
  const rows = [...after]
    .map(([name, a]) => {
      const b = before.get(name) ?? { calls: 0, usec: 0 };
      return { name, calls: (a.calls - b.calls) / n, usec: (a.usec - b.usec) / n };
    })
    .filter((r) => r.calls > 0)
    .sort((x, y) => y.usec - x.usec);
  const total = rows.reduce((t, r) => ({ calls: t.calls + r.calls, usec: t.usec + r.usec }), { calls: 0, usec: 0 });
  const top = rows.slice(0, 6).map((r) => `${r.name} ${r.calls.toFixed(2)}× ${r.usec.toFixed(0)} µs`);
  return `Redis commands per finding: ${total.calls.toFixed(1)} calls, ${total.usec.toFixed(0)} µs in commands (${top.join(", ")})`;
}

async function maxRate(server: Store, q: Queue<FindingBatchJob>, registry: Registry, n: number, concurrency: number) {
  const keys = await leakedKeys(registry, n);
  let jobsSent = 0;
  for (let i = 0; i < n; i += 1000) {
    const findings = keys.slice(i, i + 1000).map((k, j) => finding(k, i + j));
    jobsSent += (await producer.enqueue(findings)).batches.length;
  }
  const workers = await startWorkers(server, concurrency);
  const stats0 = await commandStats(statsClient);
  const cpu0 = cpuOf(workers, server);
  const t0 = Date.now();
  await waitDone(q, jobsSent, 600_000);
  const wall = (Date.now() - t0) / 1000;
  const cpuFindings = cpuSince(workers, server, cpu0);
  await waitDelivered(n - Math.round(n * miss));
  const cpu = cpuSince(workers, server, cpu0);
  statsLines.push(`- concurrency ${concurrency}: ${statsLine(stats0, await commandStats(statsClient), n)}`);
  await stopWorkers(workers);
  const jobs = await completedJobs(q);
  const first = Math.min(...jobs.map((j) => j.processedOn ?? Number.POSITIVE_INFINITY));
  const last = Math.max(...jobs.map((j) => j.finishedOn ?? 0));
  const secs = (last - first) / 1000;
  console.log(
    `| ${concurrency} | ${n} | ${Math.round(n / secs).toLocaleString("en-US")} | ${secs.toFixed(2)} | ${(cpuFindings.w / wall).toFixed(2)} / ${(cpuFindings.r / wall).toFixed(2)} | ${perFinding(cpu.w, n)} / ${perFinding(cpu.d, n)} / ${perFinding(cpu.r, n)} |`,
  );
  await q.obliterate({ force: true });
}

/** `npm run bench -- pipeline ...`; returns the exit code. */
export async function runPipelineBench(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      rate: { type: "string", default: "1000" },
      seconds: { type: "string", default: "10" },
      backlog: { type: "string", default: "20000" },
      concurrency: { type: "string", default: "32,128" },
      aof: { type: "string", default: "everysec" },
      miss: { type: "string", default: "0" },
      together: { type: "boolean", default: false },
      profile: { type: "string" },
      cluster: { type: "boolean", default: false },
      batch: { type: "string", default: "100" },
    },
  });
  profileDir = values.profile;
  together = values.together === true;
  miss = Math.min(1, Math.max(0, Number(values.miss)));
  const aof = values.aof as "off" | "everysec" | "always";
  const cluster = values.cluster === true;
  const server = await startStore(aof, cluster);
  const redis = server.client();
  statsClient = redis;
  const bull = server.client({ maxRetriesPerRequest: null });
  const receiver = await startReceiver();
  const registry = new Registry(redis, {
    issuer: "lsk",
    auditSigner: null,
    webhookAllow: parseWebhookAllow("127.0.0.1"),
  });
  const q = new Queue<FindingBatchJob>(FINDINGS_QUEUE, { connection: bull, prefix: queuePrefix() });
  const batch = Math.max(1, Number(values.batch));
  producer = new FindingsProducer(bull, "leakstop", batch);
  try {
    console.log(
      `\n### Pipeline: one findings worker process${together ? " (delivering too)" : " + one delivery process"}, ${Math.round(miss * 100)} % of findings match no key, ${batch} findings per job at most, ${cluster ? "a 3-master Redis Cluster" : "one Redis"}, AOF ${aof} (${cpus().length} CPUs, node ${process.version}, load ${loadavg()[0]?.toFixed(1)} at start)`,
    );
    await steady(server, q, registry, Number(values.rate), Number(values.seconds));
    console.log("\n#### Max findings/s of one worker process (backlog drained)\n");
    console.log(
      "| concurrency | findings | findings/s | seconds | CPU findings worker / redis (cores) | CPU ms per finding: findings worker / delivery worker / redis |",
    );
    console.log("| --- | --- | --- | --- | --- | --- |");
    for (const c of values.concurrency.split(",").map(Number)) {
      await maxRate(server, q, registry, Number(values.backlog), c);
    }
    console.log(`\n${statsLines.join("\n")}`);
    console.log(`\nwebhooks delivered: ${delivered}; load average ${loadavg()[0]?.toFixed(1)} at the end.`);
    return 0;
  } finally {
    await producer.close();
    await q.close();
    await registry.close();
    redis.disconnect();
    bull.disconnect();
    await server.dispose();
    receiver.closeAllConnections();
    receiver.close();
  }
}
