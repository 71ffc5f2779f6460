/**
 * A history probe's block windows: a change near a PEM/Ansible-vault/PuTTY marker brings in the
 * marker's whole block, wherever the marker lies relative to the ranges' searches.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { withBlockWindows } from "../../../src/scan/delta-probe.js";

/** `n` bytes of filler with `marker` written at `at`. */
function textWith(n: number, marker: string, at: number): Buffer {
  const data = Buffer.alloc(n, "x");
  data.write(marker, at, "latin1");
  return data;
}

const holds = (ranges: [number, number][], from: number, to: number) => ranges.some(([a, b]) => a <= from && to <= b);

describe("withBlockWindows", () => {
  it("adds the block of a marker within reach of a change", () => {
    const data = textWith(100_000, "-----BEGIN RSA PRIVATE KEY-----", 2_500);
    const out = withBlockWindows(data, [[1_000, 2_000]]);
    assert.ok(holds(out, 1_500, 30_000), JSON.stringify(out));
  });

  it("finds a marker that straddles the seam between two ranges' searches", () => {
    // The first range's search ends 1 KiB after it (3,024); the second's starts there.
    const data = textWith(100_000, "-----BEGIN OPENSSH PRIVATE KEY-----", 3_020);
    const out = withBlockWindows(data, [
      [1_000, 2_000],
      [3_000, 4_000],
    ]);
    assert.ok(holds(out, 3_020, 30_000), JSON.stringify(out));
  });

  it("leaves the ranges alone when no marker is near", () => {
    const data = textWith(100_000, "-----BEGIN CERTIFICATE-----", 60_000);
    assert.deepEqual(withBlockWindows(data, [[1_000, 2_000]]), [[1_000, 2_000]]);
  });
});
