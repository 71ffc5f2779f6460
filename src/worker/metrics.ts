/**
 * Prometheus metrics of a worker process, on their own prom-client registry: queue depths (read
 * from Redis when scraped), the finding → revoked latency, revocations, finding outcomes and
 * notification failures. Labels are outcomes, queue names and channels, never keys or paths.
 */
import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry as PromRegistry } from "prom-client";

/** What a queue tells about its jobs (a BullMQ Queue fits). */
export interface CountingQueue {
  readonly name: string;
  getJobCounts(...types: string[]): Promise<Record<string, number>>;
}

/** The metrics a worker records. */
export interface WorkerMetrics {
  readonly registry: PromRegistry;
  /** Finding → revoked, from the scanner's detectedAt (`from="detected"`) and from the enqueue (`from="enqueued"`). */
  readonly revokeLatency: Histogram<"from">;
  /** Keys revoked by this process (one per key: repeats and redeliveries do not count). */
  readonly revocations: Counter;
  /** Findings processed, by outcome. */
  readonly findings: Counter<"outcome">;
  /** Failed notification tries by channel; `final="true"` when dead-lettered. */
  readonly notifyFailures: Counter<"channel" | "final">;
  /** Notify and provider-revoke jobs this process enqueued, by kind. */
  readonly enqueued: Counter<"kind">;
}

/** Job states reported as queue depths. */
const STATES = ["waiting", "active", "delayed", "failed", "prioritized", "waiting-children"];

/** Creates the metrics; `queues` are counted at every scrape; `defaults` adds process metrics (default true). */
export function createWorkerMetrics(queues: readonly CountingQueue[] = [], opts: { defaults?: boolean } = {}) {
  const registry = new PromRegistry();
  if (opts.defaults !== false) collectDefaultMetrics({ register: registry, prefix: "leakstop_worker_" });
  new Gauge({
    name: "leakstop_queue_jobs",
    help: "Jobs on each pipeline queue by state, read from Redis at scrape time (a findings job carries up to 100 findings)",
    labelNames: ["queue", "state"],
    registers: [registry],
    async collect() {
      this.reset();
      await Promise.all(
        queues.map(async (q) => {
          try {
            const counts = await q.getJobCounts(...STATES);
            for (const state of STATES) this.set({ queue: q.name, state }, counts[state] ?? 0);
          } catch {
            // Redis away: the scrape still answers, without depths.
          }
        }),
      );
    },
  });
  const metrics: WorkerMetrics = {
    registry,
    revokeLatency: new Histogram({
      name: "leakstop_finding_revoke_latency_seconds",
      help: "Time from a finding (detected by the scanner, or enqueued) to its key being revoked",
      labelNames: ["from"],
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 60],
      registers: [registry],
    }),
    revocations: new Counter({
      name: "leakstop_revocations_total",
      help: "Leaked keys revoked by this worker",
      registers: [registry],
    }),
    findings: new Counter({
      name: "leakstop_findings_total",
      help: "Findings processed, by outcome",
      labelNames: ["outcome"],
      registers: [registry],
    }),
    notifyFailures: new Counter({
      name: "leakstop_notification_failures_total",
      help: "Failed notification tries by channel; final=true when the notification was dead-lettered",
      labelNames: ["channel", "final"],
      registers: [registry],
    }),
    enqueued: new Counter({
      name: "leakstop_jobs_enqueued_total",
      help: "Notify and provider-revoke jobs enqueued by this worker, by kind",
      labelNames: ["kind"],
      registers: [registry],
    }),
  };
  return metrics;
}
