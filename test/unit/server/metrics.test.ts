/** The per-request metrics, counted in maps, read by Prometheus as the counter and histogram they always were. */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { createServerMetrics } from "../../../src/server/metrics.js";

describe("server metrics", () => {
  it("shows request counts, latency buckets (a bound counts in its own bucket), sum and count", async () => {
    const m = createServerMetrics({ defaults: false });
    m.recordRequest("POST", "/v1/keys/verify", 200, 0.0005);
    m.recordRequest("POST", "/v1/keys/verify", 200, 0.0007);
    m.recordRequest("POST", "/v1/keys/verify", 200, 3);
    m.recordRequest("GET", "/v1/keys/:id", 401, 0.02);
    const text = await m.registry.metrics();
    const line = (l: string) => assert.ok(text.split("\n").includes(l), `missing: ${l}\n${text}`);
    line("# TYPE leakstop_http_requests_total counter");
    line('leakstop_http_requests_total{method="POST",route="/v1/keys/verify",status="200"} 3');
    line('leakstop_http_requests_total{method="GET",route="/v1/keys/:id",status="401"} 1');
    line("# TYPE leakstop_http_request_duration_seconds histogram");
    const bucket = (le: string, n: number) =>
      line(`leakstop_http_request_duration_seconds_bucket{le="${le}",method="POST",route="/v1/keys/verify"} ${n}`);
    bucket("0.0005", 1);
    bucket("0.001", 2);
    bucket("2.5", 2);
    bucket("+Inf", 3);
    line('leakstop_http_request_duration_seconds_count{method="POST",route="/v1/keys/verify"} 3');
    line('leakstop_http_request_duration_seconds_sum{method="POST",route="/v1/keys/verify"} 3.0012');
    line('leakstop_http_request_duration_seconds_bucket{le="0.01",method="GET",route="/v1/keys/:id"} 0');
    line('leakstop_http_request_duration_seconds_bucket{le="0.025",method="GET",route="/v1/keys/:id"} 1');
  });

  it("adds verify outcomes up across scrapes", async () => {
    const m = createServerMetrics({ defaults: false });
    m.recordVerify("valid");
    m.recordVerify("revoked");
    assert.match(await m.registry.metrics(), /^leakstop_verify_total\{outcome="valid"\} 1$/m);
    m.recordVerify("valid");
    const text = await m.registry.metrics();
    assert.match(text, /^leakstop_verify_total\{outcome="valid"\} 2$/m);
    assert.match(text, /^leakstop_verify_total\{outcome="revoked"\} 1$/m);
  });
});
