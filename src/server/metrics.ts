/**
 * Prometheus metrics of one server instance. Each app gets its own prom-client
 * Registry (not the global one) so tests and benchmarks can run several apps in
 * one process. Labels hold route patterns and reasons, never keys or raw paths.
 */
import { Counter, collectDefaultMetrics, Histogram, Registry as PromRegistry } from "prom-client";

/** The metrics the server records. */
export interface ServerMetrics {
  readonly registry: PromRegistry;
  readonly httpRequests: Counter<"method" | "route" | "status">;
  readonly httpDuration: Histogram<"method" | "route">;
  /** Outcomes of POST /v1/keys/verify: `valid` or the registry's reason. */
  readonly verifyOutcomes: Counter<"outcome">;
  /** Rejected callers: `missing`, `malformed`, a verify reason, `scope`, `ip_rate_limited`. */
  readonly authFailures: Counter<"reason">;
  /** Counts one answered request and its latency (seconds). */
  recordRequest(method: string, route: string, status: number, seconds: number): void;
}

/** Creates the metrics on a fresh registry; `defaults` adds process metrics (default true). */
export function createServerMetrics(opts: { defaults?: boolean } = {}): ServerMetrics {
  const registry = new PromRegistry();
  if (opts.defaults !== false) collectDefaultMetrics({ register: registry, prefix: "leakstop_" });
  const httpRequests = new Counter({
    name: "leakstop_http_requests_total",
    help: "HTTP requests by method, route pattern and status code",
    labelNames: ["method", "route", "status"],
    registers: [registry],
  });
  const httpDuration = new Histogram({
    name: "leakstop_http_request_duration_seconds",
    help: "HTTP request latency by method and route pattern",
    labelNames: ["method", "route"],
    // The verify hot path lives in the sub-millisecond to few-millisecond range.
    buckets: [0.0005, 0.001, 0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    registers: [registry],
  });
  return {
    registry,
    httpRequests,
    httpDuration,
    recordRequest(method, route, status, seconds) {
      httpRequests.inc({ method, route, status: String(status) });
      httpDuration.observe({ method, route }, seconds);
    },
    verifyOutcomes: new Counter({
      name: "leakstop_verify_total",
      help: "Key verifications over HTTP by outcome (valid, or the reason the key failed)",
      labelNames: ["outcome"],
      registers: [registry],
    }),
    authFailures: new Counter({
      name: "leakstop_auth_failures_total",
      help: "Requests rejected before reaching a route, by reason",
      labelNames: ["reason"],
      registers: [registry],
    }),
  };
}
