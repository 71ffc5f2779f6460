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

  it("finds the markers a whole-marker search finds, on random texts full of their parts", () => {
    const markers = ["-----BEGIN", "$ANSIBLE_VAULT", "PuTTY-User-Key-File-"].map((m) => Buffer.from(m));
    // The search the needles replaced: every marker, whole, in each range's span (same spans, same seams).
    const reference = (data: Buffer, ranges: [number, number][]) => {
      const extra: [number, number][] = [];
      let searched = 0;
      for (const [a, b] of ranges) {
        const from = Math.max(0, searched - 19, a - 32 * 1024);
        const to = Math.min(data.length, b + 1024);
        if (from >= to) continue;
        searched = to;
        const span = data.subarray(from, to);
        for (const m of markers)
          for (let at = span.indexOf(m); at !== -1; at = span.indexOf(m, at + 1))
            extra.push([Math.max(0, from + at - 1024), Math.min(data.length, from + at + 32 * 1024)]);
      }
      if (extra.length === 0) return ranges;
      const out: [number, number][] = [];
      for (const [a, b] of [...ranges, ...extra].sort((x, y) => x[0] - y[0])) {
        const last = out[out.length - 1];
        if (last && last[1] >= a) last[1] = Math.max(last[1], b);
        else out.push([a, b]);
      }
      return out;
    };
    const parts = [
      "-",
      "--",
      "-----",
      "BEGIN",
      "-----BEGIN",
      "----BEGIN",
      "$ANSIBLE",
      "$ANSIBLE_VAULT",
      "PuTTY-U",
      "PuTTY-User-Key-File-",
      "PuTTY-User-Key-File",
      "x",
      "\n",
    ];
    let seed = 7;
    const rand = (n: number) => {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      return seed % n;
    };
    for (let round = 0; round < 300; round++) {
      let text = "";
      const size = 200 + rand(90_000);
      while (text.length < size) text += rand(4) === 0 ? parts[rand(parts.length)] : "y".repeat(rand(3_000));
      const data = Buffer.from(text);
      const ranges: [number, number][] = [];
      for (let at = rand(40_000); at < data.length; at += 1 + rand(40_000)) {
        const end = Math.min(data.length, at + rand(3_000));
        ranges.push([at, end]);
        at = end;
      }
      assert.deepEqual(withBlockWindows(data, ranges), reference(data, ranges), `round ${round}`);
    }
  });

  it("leaves the ranges alone when no marker is near", () => {
    const data = textWith(100_000, "-----BEGIN CERTIFICATE-----", 60_000);
    assert.deepEqual(withBlockWindows(data, [[1_000, 2_000]]), [[1_000, 2_000]]);
  });
});
