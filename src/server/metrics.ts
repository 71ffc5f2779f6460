/**
 * Prometheus metrics of one server instance. Each app gets its own prom-client
 * Registry (not the global one) so tests and benchmarks can run several apps in
 * one process. Labels hold route patterns and reasons, never keys or raw paths.
 * What every request records (its count, latency and verify outcome) is counted in
 * plain maps and handed to the registry at scrape time (request-metrics.ts).
 */
import { Counter, collectDefaultMetrics, Registry as PromRegistry } from "prom-client";
import { LatencyHistogram, RequestCounter, registerFamily } from "./request-metrics.js";

/** The metrics the server records. */
export interface ServerMetrics {
  readonly registry: PromRegistry;
  /** Rejected callers: `missing`, `malformed`, a verify reason, `scope`, `ip_rate_limited`. */
  readonly authFailures: Counter<"reason">;
  /** Counts one answered request and its latency (seconds). */
  recordRequest(method: string, route: string, status: number, seconds: number): void;
  /** Counts one outcome of POST /v1/keys/verify: `valid` or the registry's reason. */
  recordVerify(outcome: string): void;
}

/** Creates the metrics on a fresh registry; `defaults` adds process metrics (default true). */
export function createServerMetrics(opts: { defaults?: boolean } = {}): ServerMetrics {
  const registry = new PromRegistry();
  if (opts.defaults !== false) collectDefaultMetrics({ register: registry, prefix: "leakstop_" });
  const requests = new RequestCounter(
    "leakstop_http_requests_total",
    "HTTP requests by method, route pattern and status code",
  );
  const latency = new LatencyHistogram(
    "leakstop_http_request_duration_seconds",
    "HTTP request latency by method and route pattern",
    // The verify hot path lives in the sub-millisecond to few-millisecond range.
    [0.0005, 0.001, 0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
  );
  registerFamily(registry, requests);
  registerFamily(registry, latency);
  const outcomes = new Map<string, number>();
  new Counter({
    name: "leakstop_verify_total",
    help: "Key verifications over HTTP by outcome (valid, or the reason the key failed)",
    labelNames: ["outcome"],
    registers: [registry],
    // Counted in the map per request, added here when scraped.
    collect() {
      for (const [outcome, n] of outcomes) this.inc({ outcome }, n);
      outcomes.clear();
    },
  });
  return {
    registry,
    authFailures: new Counter({
      name: "leakstop_auth_failures_total",
      help: "Requests rejected before reaching a route, by reason",
      labelNames: ["reason"],
      registers: [registry],
    }),
    recordRequest(method, route, status, seconds) {
      requests.inc(method, route, status);
      latency.observe(method, route, seconds);
    },
    recordVerify(outcome) {
      outcomes.set(outcome, (outcomes.get(outcome) ?? 0) + 1);
    },
  };
}
