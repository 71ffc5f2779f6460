/**
 * A local Redis Cluster for tests: three masters (`redis-server --cluster-enabled yes`) on free
 * loopback ports, each in its own temporary directory, joined with
 * `redis-cli --cluster create ... --cluster-yes`; dispose() stops them and removes the directories.
 */
import { execFile } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { RedisServer } from "./redis-server.js";

const run = promisify(execFile);

function portFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const srv = createServer();
    srv.once("error", () => resolve(false));
    srv.listen(port, "127.0.0.1", () => srv.close(() => resolve(true)));
  });
}

/** A port whose cluster bus port (port + 10000) is free too, below 55536 so the bus port exists. */
async function clusterPort(taken: Set<number>): Promise<number> {
  for (let i = 0; i < 200; i++) {
    const port = 20000 + Math.floor(Math.random() * 30000);
    if (taken.has(port) || taken.has(port + 10000)) continue;
    if ((await portFree(port)) && (await portFree(port + 10000))) {
      taken.add(port);
      taken.add(port + 10000);
      return port;
    }
  }
  throw new Error("no free port pair for a cluster node");
}

/** A running three-master cluster. */
export class RedisCluster {
  constructor(
    readonly nodes: RedisServer[],
    private readonly dirs: string[],
  ) {}

  /** REDIS_URL for it: every node, comma-separated (leakstop's cluster form). */
  get url(): string {
    return this.nodes.map((n) => n.url).join(",");
  }

  /** Stops every node and removes its directory. Safe to call twice. */
  async dispose(): Promise<void> {
    await Promise.all(this.nodes.map((n) => n.dispose()));
    for (const d of this.dirs) rmSync(d, { recursive: true, force: true });
  }
}

async function clusterState(port: number): Promise<string> {
  const { stdout } = await run("redis-cli", ["-p", String(port), "cluster", "info"]);
  return /cluster_state:(\w+)/.exec(stdout)?.[1] ?? "unknown";
}

/** Starts three masters, creates the cluster (all 16384 slots assigned) and waits until every node says ok. */
export async function startRedisCluster(opts: { appendonly?: boolean } = {}): Promise<RedisCluster> {
  const taken = new Set<number>();
  const nodes: RedisServer[] = [];
  const dirs: string[] = [];
  try {
    for (let i = 0; i < 3; i++) {
      const dir = mkdtempSync(join(tmpdir(), "leakstop-cluster-"));
      dirs.push(dir);
      const node = new RedisServer(await clusterPort(taken), dir, {
        appendonly: opts.appendonly,
        extraArgs: [
          "--cluster-enabled",
          "yes",
          "--cluster-config-file",
          "nodes.conf",
          "--cluster-node-timeout",
          "3000",
        ],
      });
      await node.start();
      nodes.push(node);
    }
    await run("redis-cli", [
      "--cluster",
      "create",
      ...nodes.map((n) => `127.0.0.1:${n.port}`),
      "--cluster-replicas",
      "0",
      "--cluster-yes",
    ]);
    const deadline = Date.now() + 20_000;
    for (const n of nodes) {
      while ((await clusterState(n.port)) !== "ok") {
        if (Date.now() > deadline) throw new Error(`cluster node ${n.port} did not reach cluster_state:ok`);
        await new Promise((r) => setTimeout(r, 100));
      }
    }
    return new RedisCluster(nodes, dirs);
  } catch (err) {
    await Promise.all(nodes.map((n) => n.dispose()));
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
    throw err;
  }
}
