/**
 * Benchmark: POST /v1/keys/verify over HTTP on loopback, against the real CLI
 * (`leakstop server`, spawned as its own process) and a private redis-server.
 * Reports throughput and latency percentiles per client concurrency.
 *
 *   npm run build && node dist/bench/verify-http.js [--seconds 10] [--concurrency 1,16,64] [--keys 1000] [--public]
 *                                                  [--aof off|everysec|always] [--requests N]
 *
 * By default the gateway authenticates with a scanner key, so each request costs
 * two registry verifies (the caller's key, then the key asked about);
 * `--public` starts the server with `--public-verify` and measures one.
 * `--profile DIR` writes a V8 CPU profile of the server process into DIR.
 * `--requests N` runs each row for exactly N requests instead of `--seconds`: CPU per
 * request over a fixed amount of work, the figure to compare on a loaded machine.
 *
 * The load generator runs in this process with keep-alive connections; on a
 * small machine it competes with the server and Redis for CPU (say so when
 * publishing figures).
 */
import { type ChildProcess, spawn } from "node:child_process";
import { Agent, request } from "node:http";
import { loadavg } from "node:os";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { Redis } from "ioredis";
import { Registry, ROLE_SCOPES } from "../src/registry/index.js";
import { freePort, startRedisServer } from "../test/helpers/redis-server.js";
import { cpuSecondsOf, cpuSplitOf, percentile } from "./lib/stats.js";

interface Run {
  concurrency: number;
  requests: number;
  errors: number;
  seconds: number;
  latenciesMs: Float64Array;
  /** CPU seconds used during the run by the server, Redis and this load generator. */
  cpu: { server: number; redis: number; client: number };
  /** Of the server's CPU seconds, those spent in the kernel (socket reads and writes, mostly). */
  serverSystem: number;
  /** TCP connections the load generator opened: with keep-alive, at most `concurrency`. */
  connections: number;
}

/** The processes whose CPU time is measured. */
interface Pids {
  server: number | undefined;
  redis: number | null;
}

const CLI = fileURLToPath(new URL("../../bin/leakstop.js", import.meta.url));

/** Starts `leakstop server` and resolves with it once it prints its address. */
function startServer(
  port: number,
  redisUrl: string,
  publicVerify: boolean,
  profileDir?: string,
): Promise<ChildProcess> {
  const args = [CLI, "server", "--port", String(port), "--ip-rate-limit", "off"];
  if (profileDir) args.unshift("--cpu-prof", "--cpu-prof-dir", profileDir);
  if (publicVerify) args.push("--public-verify");
  const child = spawn(process.execPath, args, {
    env: { ...process.env, REDIS_URL: redisUrl },
    stdio: ["ignore", "pipe", "inherit"],
  });
  return new Promise((resolve, reject) => {
    let out = "";
    child.stdout?.on("data", (d: Buffer) => {
      out += d.toString();
      if (out.includes("listening on")) resolve(child);
    });
    child.once("exit", (code) => reject(new Error(`leakstop server exited with ${code} before listening`)));
  });
}

/** One POST, resolving with its latency in ms and whether it was a 200. */
function verifyOnce(agent: Agent, port: number, auth: string, body: string): Promise<[number, boolean]> {
  const started = process.hrtime.bigint();
  return new Promise((resolve) => {
    const req = request(
      {
        agent,
        host: "127.0.0.1",
        port,
        method: "POST",
        path: "/v1/keys/verify",
        headers: { authorization: auth, "content-type": "application/json", "content-length": Buffer.byteLength(body) },
      },
      (res) => {
        res.resume();
        res.on("end", () => resolve([Number(process.hrtime.bigint() - started) / 1e6, res.statusCode === 200]));
      },
    );
    req.on("error", () => resolve([Number(process.hrtime.bigint() - started) / 1e6, false]));
    req.end(body);
  });
}

/** How long a row runs: for some seconds, or for exactly some number of requests. */
type Budget = { seconds: number } | { requests: number };

/** Runs `concurrency` loops until the budget is spent, each verifying keys round-robin. */
async function load(
  port: number,
  auth: string,
  keys: string[],
  concurrency: number,
  budget: Budget,
  pids: Pids,
): Promise<Run> {
  const agent = new Agent({ keepAlive: true, maxSockets: concurrency });
  // Counted, so a row shows the connections were reused (a new one per request would cap throughput).
  let connections = 0;
  const open = agent.createConnection.bind(agent);
  agent.createConnection = (...args: Parameters<Agent["createConnection"]>) => {
    connections++;
    return open(...args);
  };
  const bodies = keys.map((key) => JSON.stringify({ key }));
  const latencies: number[] = [];
  let errors = 0;
  let next = 0;
  const deadline = "seconds" in budget ? performance.now() + budget.seconds * 1000 : Number.POSITIVE_INFINITY;
  const total = "requests" in budget ? budget.requests : Number.POSITIVE_INFINITY;
  const started = performance.now();
  const cpuBefore = { server: cpuSplitOf(pids.server), redis: cpuSecondsOf(pids.redis), client: process.cpuUsage() };
  const loop = async () => {
    while (next < total && performance.now() < deadline) {
      const [ms, ok] = await verifyOnce(agent, port, auth, bodies[next++ % bodies.length]!);
      latencies.push(ms);
      if (!ok) errors++;
    }
  };
  await Promise.all(Array.from({ length: concurrency }, loop));
  const elapsed = (performance.now() - started) / 1000;
  const client = process.cpuUsage(cpuBefore.client);
  const serverAfter = cpuSplitOf(pids.server);
  const serverSystem = serverAfter.system - cpuBefore.server.system;
  const cpu = {
    server: serverAfter.user - cpuBefore.server.user + serverSystem,
    redis: cpuSecondsOf(pids.redis) - cpuBefore.redis,
    client: (client.user + client.system) / 1e6,
  };
  agent.destroy();
  return {
    concurrency,
    requests: latencies.length,
    errors,
    seconds: elapsed,
    latenciesMs: Float64Array.from(latencies).sort(),
    cpu,
    serverSystem,
    connections,
  };
}

function row(r: Run): string {
  const f = (ms: number) => ms.toFixed(2);
  const rps = Math.round(r.requests / r.seconds).toLocaleString("en-US");
  const l = r.latenciesMs;
  const us = (cpuSeconds: number) => Math.round((cpuSeconds * 1e6) / r.requests);
  const cpu = `${us(r.cpu.server)} / ${us(r.cpu.redis)} / ${us(r.cpu.client)}`;
  const system = Math.round((100 * r.serverSystem) / r.cpu.server);
  return `| ${r.concurrency} | ${rps} | ${f(percentile(l, 50))} | ${f(percentile(l, 99))} | ${f(percentile(l, 99.9))} | ${cpu} | ${system} % | ${r.connections} | ${r.errors} |`;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      seconds: { type: "string", default: "10" },
      warmup: { type: "string", default: "3" },
      concurrency: { type: "string", default: "1,16,64" },
      keys: { type: "string", default: "1000" },
      public: { type: "boolean", default: false },
      profile: { type: "string" },
      aof: { type: "string", default: "off" },
      requests: { type: "string" },
    },
  });
  const aof = values.aof;
  if (aof !== "off" && aof !== "everysec" && aof !== "always") throw new Error("--aof: off, everysec or always");
  const redisServer = await startRedisServer(aof === "off" ? {} : { appendonly: true, appendfsync: aof });
  const redis = new Redis(redisServer.url);
  let server: ChildProcess | undefined;
  try {
    const registry = new Registry(redis);
    const admin = await registry.create({ owner: { id: "bench" }, scopes: ROLE_SCOPES.scanner }, "bench");
    const keys: string[] = [];
    for (let i = 0; i < Number(values.keys); i++) {
      keys.push((await registry.create({ owner: { id: `customer-${i % 50}` }, scopes: ["api"] }, "bench")).key);
    }
    const port = await freePort();
    server = await startServer(port, redisServer.url, values.public, values.profile);
    // A server that stops mid-run would turn every row into errors: say so instead of printing them.
    let stopped: string | null = null;
    server.once("exit", (code, signal) => {
      stopped = `leakstop server stopped during the run (${signal ?? `exit ${code}`})`;
    });
    const auth = `Bearer ${admin.key}`;
    const pids: Pids = { server: server.pid, redis: redisServer.pid };
    await load(port, auth, keys, 16, { seconds: Number(values.warmup) }, pids);
    const budget: Budget =
      values.requests !== undefined ? { requests: Number(values.requests) } : { seconds: Number(values.seconds) };
    const runs: Run[] = [];
    for (const c of values.concurrency.split(",").map(Number)) {
      runs.push(await load(port, auth, keys, c, budget, pids));
    }
    if (stopped) throw new Error(stopped);
    const mode = values.public ? "public verify" : "caller key + verify";
    process.stdout.write(
      `verify over HTTP (${mode}): ${keys.length} keys, Redis AOF ${aof}, ${"requests" in budget ? `${budget.requests} requests` : `${values.seconds}s`} per row, node ${process.version}, load average ${loadavg()
        .map((l) => l.toFixed(1))
        .join(" ")}\n\n`,
    );
    process.stdout.write(
      "| concurrency | verifies/s | p50 ms | p99 ms | p99.9 ms | CPU µs/req server / Redis / client | server in kernel | connections | errors |\n|---|---|---|---|---|---|---|---|---|\n",
    );
    for (const r of runs) process.stdout.write(`${row(r)}\n`);
  } finally {
    if (server && server.exitCode === null) {
      const exited = new Promise((resolve) => server?.once("exit", resolve));
      server.kill("SIGTERM");
      await exited;
    }
    redis.disconnect();
    await redisServer.dispose();
  }
}

main().catch((err) => {
  process.stderr.write(`verify-http: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exitCode = 2;
});
