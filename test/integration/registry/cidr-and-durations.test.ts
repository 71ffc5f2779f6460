import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { cidrToBits, ipInCidrs, ipToBits } from "../../../src/registry/cidr.js";
import { formatDuration, parseDuration, parseRate } from "../../../src/registry/durations.js";

describe("ipToBits / cidrToBits", () => {
  it("turns addresses into family-tagged bit strings", () => {
    assert.equal(ipToBits("10.0.0.1"), `4:00001010${"0".repeat(23)}1`);
    assert.equal(ipToBits("::1")?.length, 2 + 128);
    assert.equal(ipToBits("::ffff:10.0.0.1"), ipToBits("10.0.0.1"));
    assert.equal(ipToBits("::ffff:a00:1"), ipToBits("10.0.0.1"));
    assert.equal(ipToBits("fe80::1%eth0"), ipToBits("fe80::1"));
    assert.equal(ipToBits("2001:db8::1"), ipToBits("2001:0db8:0000:0000:0000:0000:0000:0001"));
    for (const bad of ["", "1.2.3", "1.2.3.256", "::g", "10.0.0.1/8", "example.com"]) assert.equal(ipToBits(bad), null);
  });

  it("keeps only the prefix of a CIDR and rejects malformed ones", () => {
    assert.equal(cidrToBits("10.0.0.0/8"), "4:00001010");
    assert.equal(cidrToBits("0.0.0.0/0"), "4:");
    assert.equal(cidrToBits("::/0"), "6:");
    assert.equal(cidrToBits("::ffff:10.0.0.0/104"), "4:00001010");
    for (const bad of ["10.0.0.0/33", "::/129", "10.0.0.0/-1", "10.0.0.0/8/8", "10.0.0.0/x", "::ffff:10.0.0.0/95"]) {
      assert.equal(cidrToBits(bad), null, bad);
    }
  });

  it("matches like the verify script", () => {
    assert.equal(ipInCidrs("10.9.9.9", ["10.0.0.0/8"]), true);
    assert.equal(ipInCidrs("10.9.9.9", ["::/0"]), false, "an IPv6 range does not cover IPv4");
    assert.equal(ipInCidrs("2001:db8::9", ["::/0"]), true);
  });
});

describe("parseDuration / parseRate", () => {
  it("reads the units the CLI documents", () => {
    assert.equal(parseDuration("90d", "--expires"), 90 * 86_400);
    assert.equal(parseDuration("36500d", "--expires"), 36_500 * 86_400);
    for (const huge of ["99999999999999d", "36501d", "1e400"]) {
      assert.throws(() => parseDuration(huge, "--expires"), { code: "LS_USAGE" });
    }
    assert.throws(
      () => parseDuration("99999999999999d", "--expires"),
      /--expires: "99999999999999d" is longer than 100 years/,
    );
    assert.equal(parseDuration("24h", "--overlap"), 86_400);
    assert.equal(parseDuration("30m", "x"), 1800);
    assert.equal(parseDuration("45s", "x"), 45);
    assert.equal(parseDuration("2w", "x"), 1_209_600);
    assert.equal(parseDuration("120", "x"), 120);
    assert.throws(() => parseDuration("soon", "--expires"), { code: "LS_USAGE", message: /--expires: "soon"/ });
    assert.throws(() => parseDuration("-1d", "x"), { code: "LS_USAGE" });
  });

  it("reads rates", () => {
    assert.deepEqual(parseRate("100/60s"), { limit: 100, windowSeconds: 60 });
    assert.deepEqual(parseRate("1000/h"), { limit: 1000, windowSeconds: 3600 });
    assert.deepEqual(parseRate("5/m"), { limit: 5, windowSeconds: 60 });
    for (const bad of ["100", "0/60s", "x/1s", "10/0s", "10/2y"]) {
      assert.throws(() => parseRate(bad), { code: "LS_USAGE" }, bad);
    }
  });

  it("formats durations back", () => {
    assert.equal(formatDuration(60), "1m");
    assert.equal(formatDuration(86_400), "1d");
    assert.equal(formatDuration(90), "90s");
  });
});
