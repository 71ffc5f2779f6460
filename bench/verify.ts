/**
 * Benchmark: the registry's verify hot path in-process, on a private
 * redis-server over loopback. Reports throughput and latency percentiles per
 * number of verifies in flight, all on ONE ioredis connection (commands are
 * pipelined by ioredis when several are in flight).
 *
 *   npm run build && node dist/bench/verify.js [--seconds 5] [--concurrency 1,16,64,256] [--keys 1000]
 *                                             [--aof off|everysec|always] [--no-rate-limit]
 *
 * Every key has scopes, two CIDRs and (unless --no-rate-limit) a rate limit high enough never to
 * trip, so each verify runs the whole script: status, expiry, scope, CIDR, GCRA, counters.
 * --aof turns on Redis' append-only file with that appendfsync policy (default off).
 */
import { cpus } from "node:os";
import { parseArgs } from "node:util";
import { Redis } from "ioredis";
import { Registry } from "../src/registry/index.js";
import { startRedisServer } from "../test/helpers/redis-server.js";
import { cpuSecondsOf, percentile } from "./lib/stats.js";

interface Run {
  concurrency: number;
  verifies: number;
  invalid: number;
  seconds: number;
  latenciesMs: Float64Array;
  cpu: { client: number; redis: number };
}

function clientCpuSeconds(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1e6;
}

async function measure(
  registry: Registry,
  keys: string[],
  concurrency: number,
  seconds: number,
  redisPid: number | null,
): Promise<Run> {
  const latencies: number[] = [];
  let invalid = 0;
  let next = 0;
  const deadline = process.hrtime.bigint() + BigInt(Math.round(seconds * 1e9));
  const cpu0 = { client: clientCpuSeconds(), redis: cpuSecondsOf(redisPid) };
  const t0 = process.hrtime.bigint();
  const worker = async () => {
    while (process.hrtime.bigint() < deadline) {
      const key = keys[next++ % keys.length] as string;
      const start = process.hrtime.bigint();
      const v = await registry.verify(key, { scope: "keys:read", ip: "10.1.2.3" });
      latencies.push(Number(process.hrtime.bigint() - start) / 1e6);
      if (!v.valid) invalid++;
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  const elapsed = Number(process.hrtime.bigint() - t0) / 1e9;
  const sorted = Float64Array.from(latencies).sort();
  return {
    concurrency,
    verifies: latencies.length,
    invalid,
    seconds: elapsed,
    latenciesMs: sorted,
    cpu: { client: clientCpuSeconds() - cpu0.client, redis: cpuSecondsOf(redisPid) - cpu0.redis },
  };
}

function row(r: Run): string {
  const f = (ms: number) => ms.toFixed(3);
  const rate = Math.round(r.verifies / r.seconds).toLocaleString("en-US");
  const cpu = `${(r.cpu.client / r.seconds).toFixed(2)} / ${(r.cpu.redis / r.seconds).toFixed(2)}`;
  const p = (q: number) => f(percentile(r.latenciesMs, q));
  return `| ${r.concurrency} | ${r.verifies.toLocaleString("en-US")} | ${rate} | ${p(50)} | ${p(99)} | ${p(99.9)} | ${cpu} | ${r.invalid} |`;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      seconds: { type: "string", default: "5" },
      concurrency: { type: "string", default: "1,16,64,256" },
      keys: { type: "string", default: "1000" },
      aof: { type: "string", default: "off" },
      "no-rate-limit": { type: "boolean", default: false },
    },
  });
  const aof = values.aof;
  if (aof !== "off" && aof !== "everysec" && aof !== "always") throw new Error("--aof: off, everysec or always");
  const seconds = Number(values.seconds);
  const levels = values.concurrency.split(",").map(Number);
  const server = await startRedisServer(aof === "off" ? {} : { appendonly: true, appendfsync: aof });
  const redis = new Redis(server.url);
  try {
    const registry = new Registry(redis, { issuer: "lsk" });
    const keys: string[] = [];
    for (let i = 0; i < Number(values.keys); i++) {
      const { key } = await registry.create(
        {
          owner: { id: `bench${i % 10}` },
          scopes: ["keys:read", "findings:write"],
          cidrs: ["10.0.0.0/8", "2001:db8::/32"],
          ...(values["no-rate-limit"] ? {} : { rateLimit: { limit: 1_000_000_000, windowSeconds: 1 } }),
        },
        "bench",
      );
      keys.push(key);
    }
    await measure(registry, keys, 16, 1, server.pid); // warm-up: JIT, script cache
    const out = [
      `verify, in-process, one ioredis connection, loopback redis-server (AOF ${aof}) ${Number(values.keys)} keys${values["no-rate-limit"] ? " without" : " with"} rate limit, ${seconds} s per row`,
      `machine: ${cpus().length} × ${cpus()[0]?.model ?? "cpu"}, node ${process.version}`,
      "",
      "| in flight | verifies | verifies/s | p50 ms | p99 ms | p99.9 ms | CPU client / redis (cores) | invalid |",
      "| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ];
    for (const c of levels) out.push(row(await measure(registry, keys, c, seconds, server.pid)));
    process.stdout.write(`${out.join("\n")}\n`);
    await registry.close();
  } finally {
    redis.disconnect();
    await server.dispose();
  }
}

main().catch((err) => {
  process.stderr.write(`bench/verify: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exitCode = 2;
});
