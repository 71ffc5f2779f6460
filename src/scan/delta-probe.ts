/**
 * Scanning a blob of history against the version it replaced: only the ranges it changes
 * (sources/git/blob-delta.ts), with enough around them that any secret touching a changed byte is
 * seen whole. The probe only answers "anything new here?": a blob whose ranges hold a finding is
 * then scanned whole (scan-history.ts also rescans the later versions built on it), so findings,
 * their positions and their attribution are exactly those of whole-blob scans.
 */

import type { Engine } from "../detection/compile.js";
import { type DetectOptions, detectFragment } from "../detection/detect.js";
import { type Fragment, fragmentOf } from "../sources/fragment.js";
import { type ByteRanges, changedRanges } from "../sources/git/blob-delta.js";

/**
 * Bytes kept on each side of a change (then widened to whole lines): longer than any single-line
 * secret's reach and than the multi-line rules of bounded reach (a keyword, up to 5 lines of 120
 * bytes, then the secret).
 */
export const DELTA_CONTEXT = 2048;
/**
 * Blocks that can run for many lines (PEM keys, Ansible vaults): a change within REACH_AFTER bytes
 * after one of these markers (or REACH_BEFORE before it) adds the marker's whole window, as the
 * keyword windows of detection/windows.ts do for multi-line rules.
 */
interface BlockMarker {
  marker: Buffer;
  offset: number;
  needle: Buffer;
}
const BLOCK_MARKERS = [
  // Each marker is looked for by a part of it (`needle`, at `offset`) whose bytes are rare in text,
  // then checked whole: a search for "-----BEGIN" skips only 5 bytes at each "-", which sources and
  // documents are full of, and costs ~5 times one for "BEGIN" (BENCHMARKS.md, "hist" of the night).
  { marker: "-----BEGIN", offset: 5, needle: "BEGIN" },
  { marker: "$ANSIBLE_VAULT", offset: 0, needle: "$ANSIBLE_VAULT" },
  { marker: "PuTTY-User-Key-File-", offset: 0, needle: "PuTTY-U" },
].map(
  (m): BlockMarker => ({
    marker: Buffer.from(m.marker, "latin1"),
    offset: m.offset,
    needle: Buffer.from(m.needle, "latin1"),
  }),
);
const REACH_BEFORE = 1024;
const REACH_AFTER = 32 * 1024;
/** Where one range's search ends and the next one's starts, a marker may straddle the seam. */
const SEAM = Math.max(...BLOCK_MARKERS.map((m) => m.marker.length)) - 1;

/** Calls `found(at)` for each start of a marker lying wholly in data[from, to), in order. */
function eachMarker(data: Buffer, from: number, to: number, m: BlockMarker, found: (at: number) => void): void {
  const { marker, offset, needle } = m;
  // Where the needle can sit for its marker to lie in data[from, to); a hit at `at` there is a marker at from + at.
  const span = data.subarray(from + offset, to - (marker.length - offset - needle.length));
  for (let at = span.indexOf(needle); at !== -1; at = span.indexOf(needle, at + 1)) {
    const start = from + at;
    if (data.compare(marker, 0, marker.length, start, start + marker.length) === 0) found(start);
  }
}

/** Adds the windows of block markers open at (or starting in) each changed range, merged. */
export function withBlockWindows(data: Buffer, ranges: ByteRanges): ByteRanges {
  const extra: ByteRanges = [];
  // Each byte is searched once, however many ranges reach it (but for the seam between two searches).
  let searched = 0;
  for (const [a, b] of ranges) {
    const from = Math.max(0, searched - SEAM, a - REACH_AFTER);
    const to = Math.min(data.length, b + REACH_BEFORE);
    if (from >= to) continue;
    searched = to;
    for (const m of BLOCK_MARKERS) {
      eachMarker(data, from, to, m, (at) => {
        extra.push([Math.max(0, at - REACH_BEFORE), Math.min(data.length, at + REACH_AFTER)]);
      });
    }
  }
  if (extra.length === 0) return ranges;
  const all = [...ranges, ...extra].sort((x, y) => x[0] - y[0]);
  const out: ByteRanges = [];
  for (const [a, b] of all) {
    const last = out[out.length - 1];
    if (last && last[1] >= a) last[1] = Math.max(last[1], b);
    else out.push([a, b]);
  }
  return out;
}

/**
 * The windows of `text` a probe scans (what it changes relative to `base`, with context and block
 * windows); null when the whole text should be scanned instead (no usable cut, or most of it changed).
 */
export function probeWindows(base: Buffer, data: Buffer): ByteRanges | null {
  const ranges = changedRanges(base, data, DELTA_CONTEXT);
  if (ranges === null) return null;
  const windows = withBlockWindows(data, ranges);
  let covered = 0;
  for (const [a, b] of windows) covered += b - a;
  return covered > data.length * 0.75 ? null : windows;
}

/** A window of a text as a fragment of its own (lines and columns counted within it). */
export function windowFragment(text: Fragment, a: number, b: number): Fragment {
  return fragmentOf(text, text.data.subarray(a, b), 1, 0, b - a);
}

/** True when the ranges `text` changes relative to `base` hold no finding (the whole text then needs no scan). */
export function probeChanges(engine: Engine, base: Buffer, text: Fragment, opts: DetectOptions): boolean {
  const windows = probeWindows(base, text.data);
  if (windows === null) return false;
  for (const [a, b] of windows) {
    if (detectFragment(engine, windowFragment(text, a, b), opts).length > 0) return false;
  }
  return true;
}
