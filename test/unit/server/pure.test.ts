/** Pure parts of the server: validation messages, the per-IP limiter, error mapping, OpenAPI paths. */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { LeakstopError } from "../../../src/lib/errors.js";
import { secretsEqual } from "../../../src/server/auth.js";
import { ApiError, toApiError } from "../../../src/server/errors.js";
import { openApiPath } from "../../../src/server/openapi.js";
import { IpRateLimiter, parseIpRateLimit } from "../../../src/server/rate-limit.js";
import { describeSchemaError, fieldName } from "../../../src/server/validation-message.js";

describe("validation messages", () => {
  it("names nested fields and array items", () => {
    assert.equal(fieldName("body", "/owner/id"), "body.owner.id");
    assert.equal(fieldName("body", "/cidrs/2"), "body.cidrs[2]");
    assert.equal(fieldName("querystring", "", "limit"), "query.limit");
    assert.equal(fieldName("body", "/metadata/a~1b"), "body.metadata.a/b");
  });

  it("describes the common ajv keywords", () => {
    const msg = (keyword: string, instancePath: string, params: Record<string, unknown>, message?: string) =>
      describeSchemaError({ keyword, instancePath, params, message }, "body");
    assert.equal(msg("required", "/owner", { missingProperty: "id" }), "body.owner.id is required");
    assert.equal(msg("additionalProperties", "", { additionalProperty: "scope" }), "body.scope is not a known field");
    assert.equal(msg("type", "/key", { type: "string" }), "body.key must be a string");
    assert.equal(msg("type", "/n", { type: "integer" }), "body.n must be an integer");
    assert.equal(msg("enum", "/env", { allowedValues: ["live", "test"] }), "body.env must be one of: live, test");
    assert.equal(msg("minimum", "/limit", { limit: 1 }, "must be >= 1"), "body.limit must be >= 1");
  });
});

describe("per-IP rate limiter", () => {
  it("allows `limit` requests per window per IP, then refuses until the window ends", () => {
    let now = 1_000_000;
    const limiter = new IpRateLimiter({ limit: 3, windowSeconds: 10 }, () => now);
    const results = [1, 2, 3, 4].map(() => limiter.hit("10.0.0.1").allowed);
    assert.deepEqual(results, [true, true, true, false]);
    assert.equal(limiter.hit("10.0.0.2").allowed, true, "other addresses have their own count");
    now += 10_000;
    assert.equal(limiter.hit("10.0.0.1").allowed, true, "a new window starts afresh");
  });

  it("parses N/window forms and off", () => {
    assert.deepEqual(parseIpRateLimit("600/60s"), { limit: 600, windowSeconds: 60 });
    assert.deepEqual(parseIpRateLimit("100/5m"), { limit: 100, windowSeconds: 300 });
    assert.equal(parseIpRateLimit("off"), null);
    assert.throws(() => parseIpRateLimit("fast"), RangeError);
    assert.throws(() => parseIpRateLimit("0/10s"), RangeError);
  });
});

describe("error mapping", () => {
  it("maps API errors, registry errors and fastify transport errors to one shape", () => {
    assert.deepEqual(toApiError(new ApiError("LS_FORBIDDEN", "no")), {
      status: 403,
      body: { error: { code: "LS_FORBIDDEN", message: "no" } },
    });
    assert.equal(toApiError(new LeakstopError("LS_KEY_NOT_FOUND", "no key k1")).status, 404);
    assert.equal(toApiError(new LeakstopError("LS_USAGE", "bad cidr")).status, 400);
    assert.equal(toApiError(new LeakstopError("LS_REDIS_UNREACHABLE", "down")).status, 503);
    const tooLarge = Object.assign(new Error("Request body is too large"), { code: "FST_ERR_CTP_BODY_TOO_LARGE" });
    assert.equal(toApiError(tooLarge).status, 413);
  });

  it("hides the message of unexpected errors", () => {
    const res = toApiError(new Error("unexpected reply from redis://:hunter2@db:6379"));
    assert.deepEqual(res, { status: 500, body: { error: { code: "LS_INTERNAL", message: "internal error" } } });
  });
});

describe("small helpers", () => {
  it("turns fastify paths into OpenAPI paths", () => {
    assert.equal(openApiPath("/v1/keys/:id/rotate"), "/v1/keys/{id}/rotate");
  });

  it("compares secrets by value whatever their lengths", () => {
    assert.equal(secretsEqual("abc", "abc"), true);
    assert.equal(secretsEqual("abc", "abd"), false);
    assert.equal(secretsEqual("abc", "abcd"), false);
  });
});
