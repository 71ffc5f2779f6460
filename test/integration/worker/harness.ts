/**
 * Shared setup of the worker suites: a private redis-server, a Registry on it, the pipeline's
 * queues, FindingJob builders, and `leakstop worker` child processes (the built CLI) whose
 * output is kept for the no-secret-in-logs checks.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { createHash } from "node:crypto";
import { Queue } from "bullmq";
import { Redis } from "ioredis";
import type { AuditEntry } from "../../../src/audit/types.js";
import type { FindingJob, LeakLocation, NotifyJob } from "../../../src/queue/jobs.js";
import { FINDINGS_QUEUE, NOTIFY_QUEUE, PROVIDER_REVOKE_QUEUE, queuePrefix } from "../../../src/queue/names.js";
import { AuditLog, Registry } from "../../../src/registry/index.js";
import { CLI } from "../../e2e/cli.js";
import { type RedisServer, type RedisServerOptions, startRedisServer } from "../../helpers/redis-server.js";

export { CLI };

function sha256(text: string): string {
  return createHash("sha256").update(text).digest("hex");
}

/** A FindingJob for `key` seen at `path` (line `line`), as a producer would send it. */
export function findingFor(key: string, path = "src/config.ts", line = 3, extra: Partial<FindingJob> = {}): FindingJob {
  const location: LeakLocation = { source: "tree", path, startLine: line, startColumn: 5, repository: "acme/app" };
  const secretHash = sha256(key);
  return {
    v: 1,
    findingId: sha256(`${secretHash}\n${location.repository}\n${path}\n${line}`),
    secretHash,
    ruleId: "leakstop-key",
    provider: "leakstop",
    severity: "critical",
    validated: true,
    location,
    detectedAt: new Date().toISOString(),
    reporter: "cli",
    ...extra,
  };
}

/** A running `leakstop worker` child. */
export interface WorkerChild {
  child: ChildProcess;
  /** Everything it wrote so far (stdout + stderr). */
  output(): string;
  /** Resolves with the "worker ready" log line's fields. */
  ready: Promise<Record<string, unknown>>;
  /** Resolves with the exit code (or signal name) when it exits. */
  exited: Promise<number | string>;
}

/** The fixture of one suite. */
export interface WorkerFixture {
  server: RedisServer;
  redis: Redis;
  registry: Registry;
  audit: AuditLog;
  findings: Queue<FindingJob>;
  notify: Queue<NotifyJob>;
  providerRevoke: Queue;
  startWorker(args?: string[], env?: Record<string, string>): WorkerChild;
  /** Waits until `n` finding jobs have completed (throws after `timeoutMs`). */
  waitCompleted(n: number, timeoutMs?: number): Promise<void>;
  /** Audit entries of one key id. */
  entriesOf(keyId: string): Promise<AuditEntry[]>;
  close(): Promise<void>;
}

export async function startWorkerFixture(opts: RedisServerOptions = {}): Promise<WorkerFixture> {
  const server = await startRedisServer(opts);
  const redis = new Redis(server.url, { maxRetriesPerRequest: 20 });
  const bull = new Redis(server.url, { maxRetriesPerRequest: null });
  // Quiet while a test restarts Redis: the commands themselves report what matters.
  for (const c of [redis, bull]) c.on("error", () => {});
  const prefix = queuePrefix();
  const findings = new Queue<FindingJob>(FINDINGS_QUEUE, { connection: bull, prefix });
  const notify = new Queue<NotifyJob>(NOTIFY_QUEUE, { connection: bull, prefix });
  const providerRevoke = new Queue(PROVIDER_REVOKE_QUEUE, { connection: bull, prefix });
  const children: ChildProcess[] = [];
  const registry = new Registry(redis, { issuer: "lsk", auditSigner: null });
  const audit = new AuditLog(redis);
  return {
    server,
    redis,
    registry,
    audit,
    findings,
    notify,
    providerRevoke,
    startWorker(args = [], env = {}) {
      const child = spawn(process.execPath, [CLI, "worker", ...args], {
        env: { ...process.env, REDIS_URL: server.url, LEAKSTOP_AUDIT_KEY: "", ...env },
        stdio: ["ignore", "pipe", "pipe"],
      });
      children.push(child);
      let out = "";
      let resolveReady: (v: Record<string, unknown>) => void = () => {};
      const ready = new Promise<Record<string, unknown>>((resolve, reject) => {
        resolveReady = resolve;
        child.once("exit", (code) => reject(new Error(`worker exited early (${code}): ${out.slice(-2000)}`)));
      });
      ready.catch(() => undefined);
      const onData = (d: Buffer) => {
        out += d.toString();
        const line = out.split("\n").find((l) => l.includes('"worker ready"'));
        if (line) resolveReady(JSON.parse(line));
      };
      child.stdout?.on("data", onData);
      child.stderr?.on("data", onData);
      const exited = new Promise<number | string>((resolve) => {
        child.once("exit", (code, signal) => resolve(code ?? signal ?? -1));
      });
      return { child, output: () => out, ready, exited };
    },
    async waitCompleted(n, timeoutMs = 30_000) {
      const until = Date.now() + timeoutMs;
      for (;;) {
        const counts = await findings.getJobCounts("completed", "failed", "active", "waiting");
        if ((counts.completed ?? 0) >= n) return;
        if (Date.now() > until) throw new Error(`only ${JSON.stringify(counts)} of ${n} after ${timeoutMs} ms`);
        await new Promise((r) => setTimeout(r, 20));
      }
    },
    async entriesOf(keyId) {
      const out: AuditEntry[] = [];
      for await (const e of audit.export()) if (e.keyId === keyId) out.push(e);
      return out;
    },
    async close() {
      for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill("SIGKILL");
      await Promise.all([findings.close(), notify.close(), providerRevoke.close()]);
      await registry.close();
      redis.disconnect();
      bull.disconnect();
      await server.dispose();
    },
  };
}
