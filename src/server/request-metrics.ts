/**
 * The per-request metrics (requests by method, route and status; latency by method and route)
 * counted in plain maps and shown through the prom-client registry as an ordinary counter and
 * histogram. prom-client's own inc/observe hash and validate the label set on every call (≈3 µs
 * per request for the two), which the verify hot path would pay on every request; here a request
 * costs two Map lookups and the label objects are built at scrape time only.
 */
import type { Registry as PromRegistry } from "prom-client";

/** What prom-client's registry reads from a metric (the shape its own metrics return). */
interface MetricValue {
  value: number;
  labels: Record<string, string | number>;
  metricName?: string;
}

interface Exported {
  name: string;
  help: string;
  type: "counter" | "histogram";
  values: MetricValue[];
  aggregator: "sum";
}

/** One metric family the registry can show: `get()` as prom-client's own metrics answer it. */
abstract class Family {
  readonly aggregator = "sum";
  constructor(
    readonly name: string,
    readonly help: string,
    readonly type: "counter" | "histogram",
  ) {}

  async get(): Promise<Exported> {
    return { name: this.name, help: this.help, type: this.type, values: this.values(), aggregator: "sum" };
  }

  protected abstract values(): MetricValue[];
  abstract reset(): void;
}

/** Requests by method, route pattern and status code. */
export class RequestCounter extends Family {
  private counts = new Map<string, { method: string; route: string; status: number; n: number }>();

  constructor(name: string, help: string) {
    super(name, help, "counter");
  }

  inc(method: string, route: string, status: number): void {
    const key = `${method} ${status} ${route}`;
    const seen = this.counts.get(key);
    if (seen) seen.n++;
    else this.counts.set(key, { method, route, status, n: 1 });
  }

  protected values(): MetricValue[] {
    return [...this.counts.values()].map((c) => ({
      value: c.n,
      labels: { method: c.method, route: c.route, status: String(c.status) },
    }));
  }

  reset(): void {
    this.counts = new Map();
  }
}

/** Latency in seconds by method and route pattern, in fixed buckets. */
export class LatencyHistogram extends Family {
  private series = new Map<string, { method: string; route: string; buckets: Float64Array; sum: number }>();

  constructor(
    name: string,
    help: string,
    private readonly bounds: readonly number[],
  ) {
    super(name, help, "histogram");
  }

  observe(method: string, route: string, seconds: number): void {
    const key = `${method} ${route}`;
    let s = this.series.get(key);
    if (!s) {
      // One slot per bound plus +Inf, counted per bucket and summed up at scrape time.
      s = { method, route, buckets: new Float64Array(this.bounds.length + 1), sum: 0 };
      this.series.set(key, s);
    }
    let i = 0;
    while (i < this.bounds.length && seconds > (this.bounds[i] as number)) i++;
    s.buckets[i] = (s.buckets[i] as number) + 1;
    s.sum += seconds;
  }

  protected values(): MetricValue[] {
    const out: MetricValue[] = [];
    for (const s of this.series.values()) {
      const labels = { method: s.method, route: s.route };
      let acc = 0;
      this.bounds.forEach((le, i) => {
        acc += s.buckets[i] as number;
        out.push({ value: acc, labels: { le, ...labels }, metricName: `${this.name}_bucket` });
      });
      const count = acc + (s.buckets[this.bounds.length] as number);
      out.push({ value: count, labels: { le: "+Inf", ...labels }, metricName: `${this.name}_bucket` });
      out.push({ value: s.sum, labels, metricName: `${this.name}_sum` });
      out.push({ value: count, labels, metricName: `${this.name}_count` });
    }
    return out;
  }

  reset(): void {
    this.series = new Map();
  }
}

/** Registers a family with a prom-client registry (it only needs name, get() and reset()). */
export function registerFamily(registry: PromRegistry, family: Family): void {
  registry.registerMetric(family as unknown as Parameters<PromRegistry["registerMetric"]>[0]);
}
