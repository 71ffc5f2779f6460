/**
 * A private `redis-server` in a temporary directory on a free loopback port, never the system one on
 * 6379: what `leakstop demo` runs on, and what the tests start per suite. It can be stopped
 * gracefully, killed (SIGKILL, to test crash recovery) and restarted on the same port and data
 * directory (with `appendonly` the data survives the restart).
 *
 * ```ts
 * const redis = await startRedisServer({ appendonly: true });
 * // ... new Redis(redis.url) ...
 * await redis.kill(); await redis.restart();
 * await redis.dispose(); // stops it and removes the directory
 * ```
 */
import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { createServer, Socket } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";

/** Options for {@link startRedisServer}. */
export interface RedisServerOptions {
  /** Turn on the append-only file (default false: no persistence at all). */
  appendonly?: boolean;
  /** `appendfsync` policy when `appendonly` is on (default "everysec"). */
  appendfsync?: "always" | "everysec" | "no";
  /** Require this password (`requirepass`); the url then carries it. */
  password?: string;
  /** Extra `redis-server` arguments, e.g. ["--maxmemory", "64mb"]. */
  extraArgs?: string[];
  /** How long to wait for the server to answer PING (default 10 s). */
  startTimeoutMs?: number;
}

const running = new Set<ChildProcess>();
const liveDirs = new Set<string>();
process.on("exit", () => {
  // A test that crashed before dispose() must not leave servers or directories behind.
  for (const child of running) child.kill("SIGKILL");
  for (const dir of liveDirs) rmSync(dir, { recursive: true, force: true });
});

/** A free TCP port on 127.0.0.1 (bind to port 0, read it, release it). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.unref();
    srv.on("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const addr = srv.address();
      const port = typeof addr === "object" && addr ? addr.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

/** One PING over a raw socket: true when the server answers +PONG (not -LOADING, not refused). */
function pingOnce(port: number, password?: string): Promise<boolean> {
  return new Promise((resolve) => {
    const sock = new Socket();
    let buf = "";
    const done = (ok: boolean) => {
      sock.destroy();
      resolve(ok);
    };
    sock.setTimeout(1000, () => done(false));
    sock.on("error", () => done(false));
    sock.on("data", (d) => {
      buf += d.toString("latin1");
      if (buf.includes("+PONG")) done(true);
      else if ((buf.startsWith("-") || buf.includes("\r\n-")) && buf.endsWith("\r\n")) done(false);
    });
    sock.connect(port, "127.0.0.1", () => {
      const auth = password ? `AUTH ${password}\r\n` : "";
      sock.write(`${auth}PING\r\n`);
    });
  });
}

/** A running private redis-server. */
export class RedisServer {
  private child: ChildProcess | null = null;
  private exited: Promise<void> = Promise.resolve();

  constructor(
    /** Loopback port it listens on (kept across restarts). */
    readonly port: number,
    /** Its working directory (dump/AOF files live here). */
    readonly dir: string,
    private readonly opts: RedisServerOptions,
  ) {}

  /** `redis://127.0.0.1:<port>` (with the password when one is set). */
  get url(): string {
    const auth = this.opts.password ? `:${encodeURIComponent(this.opts.password)}@` : "";
    return `redis://${auth}127.0.0.1:${this.port}`;
  }

  /** The OS process id, or null while stopped. */
  get pid(): number | null {
    return this.child?.pid ?? null;
  }

  /** Starts the process and waits until it answers PING. */
  async start(): Promise<void> {
    if (this.child) throw new Error("redis-server already running");
    const o = this.opts;
    const args = [
      "--port",
      String(this.port),
      "--bind",
      "127.0.0.1",
      "--dir",
      this.dir,
      "--daemonize",
      "no",
      "--save",
      "",
      "--logfile",
      join(this.dir, "redis.log"),
      "--appendonly",
      o.appendonly ? "yes" : "no",
      "--appendfsync",
      o.appendfsync ?? "everysec",
      ...(o.password ? ["--requirepass", o.password] : []),
      ...(o.extraArgs ?? []),
    ];
    const child = spawn("redis-server", args, { stdio: "ignore" });
    this.child = child;
    running.add(child);
    this.exited = new Promise((resolve) => {
      const gone = () => {
        running.delete(child);
        resolve();
      };
      child.once("exit", gone);
      // A spawn that failed (redis-server not on PATH) emits "error" and never "exit".
      child.once("error", gone);
    });
    const spawnError = new Promise<never>((_, reject) => child.once("error", reject));
    await Promise.race([this.waitReady(), spawnError]);
  }

  private async waitReady(): Promise<void> {
    const deadline = Date.now() + (this.opts.startTimeoutMs ?? 10_000);
    while (Date.now() < deadline) {
      if (this.child?.exitCode !== null && this.child?.exitCode !== undefined) {
        throw new Error(`redis-server exited with code ${this.child.exitCode}; see ${join(this.dir, "redis.log")}`);
      }
      if (await pingOnce(this.port, this.opts.password)) return;
      await new Promise((r) => setTimeout(r, 25));
    }
    throw new Error(`redis-server on port ${this.port} did not answer within the start timeout`);
  }

  /** Graceful stop (SIGTERM: Redis flushes the AOF and exits). */
  async stop(): Promise<void> {
    await this.signal("SIGTERM");
  }

  /** Hard crash (SIGKILL): nothing is flushed beyond what Redis already wrote. */
  async kill(): Promise<void> {
    await this.signal("SIGKILL");
  }

  /** Stops (gracefully unless `hard`) and starts again on the same port and directory. */
  async restart(opts: { hard?: boolean } = {}): Promise<void> {
    await (opts.hard ? this.kill() : this.stop());
    await this.start();
  }

  /** Stops the server and removes its directory. Safe to call twice. */
  async dispose(): Promise<void> {
    await this.kill();
    rmSync(this.dir, { recursive: true, force: true });
    liveDirs.delete(this.dir);
  }

  private async signal(sig: NodeJS.Signals): Promise<void> {
    const child = this.child;
    if (!child) return;
    this.child = null;
    if (child.exitCode === null && child.signalCode === null) child.kill(sig);
    await this.exited;
  }
}

/** Starts a private redis-server in a fresh temporary directory on a free port. */
export async function startRedisServer(opts: RedisServerOptions = {}): Promise<RedisServer> {
  const dir = mkdtempSync(join(tmpdir(), "leakstop-redis-"));
  liveDirs.add(dir);
  let lastError: unknown;
  // The free port can be taken between probing and binding: retry a few times.
  for (let attempt = 0; attempt < 3; attempt++) {
    const server = new RedisServer(await freePort(), dir, opts);
    try {
      await server.start();
      return server;
    } catch (err) {
      lastError = err;
      await server.kill();
    }
  }
  rmSync(dir, { recursive: true, force: true });
  liveDirs.delete(dir);
  throw lastError;
}
