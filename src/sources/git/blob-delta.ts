/**
 * What a new version of a file adds to the version it replaced, as byte ranges of the new version
 * to scan: the parts that are not a copy of the old one, widened by `context` bytes on each side.
 * A secret that touches a changed part (a PEM block with one line edited, a token added at the end
 * of a long minified line) lies wholly inside its range as long as it is shorter than `context`.
 *
 * Cheap by design (it runs on every blob of a history): the common prefix and suffix are compared
 * natively; the middle between them is walked in step with the old middle (changedRuns: equal runs
 * compared natively, and after each difference a few bytes of the new version looked up natively in
 * the old one to find where they agree again), so an edit costs a few native searches and no JS work
 * per line. Where those searches grow long (many scattered new lines), the middle is instead cut
 * into units (lines; lines longer than LONG_LINE are cut again at content-defined points, so an edit
 * in a 5 MB minified line does not make the whole line new) and a unit counts as unchanged when the
 * old middle has it *after the same unit*. Either way, every byte left out is in a run of the old
 * text, and the seam of a deletion counts as changed.
 */

/** Units of short lines are at least this long (fewer, longer units: less hashing; the context is wider anyway). */
const UNIT_MIN = 192;
/** A paragraph (up to a blank line) at most this long is one unit. */
const PARAGRAPH_MAX = 2048;
/** A unit ends after this many bytes whatever its lines say (lines all alike would never end one). */
const UNIT_MAX = 4096;
/** Lines longer than this are cut into content-defined pieces of about PIECE_MASK + 1 bytes. */
const LONG_LINE = 2048;
const PIECE_MASK = 0x1ff;
const PIECE_MIN = 64;
/** Below this many middle bytes the middle is taken as changed without cutting it up. */
const SMALL_MIDDLE = 1024;
/** Middles at least this long are always cut into units (scanning costs ~10× more per byte than cutting). */
const CUT_MIN = 32 * 1024;
/** Ranges covering more than this share of a blob are not worth it: scan it whole. */
const MOST = 0.75;
/** How far a range's edge may move to reach a line boundary (whole lines keep single-line secrets whole). */
const SNAP = 4096;

/** A deterministic gear table for content-defined cut points. */
const GEAR = (() => {
  const t = new Int32Array(256);
  let x = 0x9e3779b9 | 0;
  for (let i = 0; i < 256; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    t[i] = x;
  }
  return t;
})();

/** Length of the common prefix of a and b (blockwise native compares, then bytes). */
export function commonPrefix(a: Buffer, b: Buffer): number {
  const n = Math.min(a.length, b.length);
  let at = 0;
  let step = 1024;
  while (at < n) {
    const end = Math.min(n, at + step);
    // compare() with offsets: no Buffer views allocated (this runs on every blob of a history).
    if (a.compare(b, at, end, at, end) === 0) {
      at = end;
      if (step < 256 * 1024) step *= 2;
    } else if (step > 64) step >>= 2;
    else {
      while (at < end && a[at] === b[at]) at++;
      return at;
    }
  }
  return n;
}

/** Length of the common suffix of a and b, at most `max` bytes. */
export function commonSuffix(a: Buffer, b: Buffer, max: number): number {
  let n = 0;
  let step = 1024;
  while (n < max) {
    const k = Math.min(max - n, step);
    if (a.compare(b, b.length - n - k, b.length - n, a.length - n - k, a.length - n) === 0) {
      n += k;
      if (step < 256 * 1024) step *= 2;
    } else if (step > 64) step >>= 2;
    else {
      const stop = n + k;
      while (n < stop && a[a.length - 1 - n] === b[b.length - 1 - n]) n++;
      return n;
    }
  }
  return max;
}

/** Whether line data[at, end) ends a unit: about one line in four, decided by the line's first and last bytes. */
function endsUnit(data: Buffer, at: number, end: number): boolean {
  let h = end - at;
  const head = Math.min(end, at + 12);
  for (let i = at; i < head; i++) h = (h * 31 + data[i]!) | 0;
  for (let i = Math.max(head, end - 8); i < end; i++) h = (h * 31 + data[i]!) | 0;
  h ^= h >>> 9;
  return (h & 3) === 0;
}

/**
 * Calls `unit(from, to)` for each unit of data[from, to): paragraphs (runs of lines up to a blank
 * line, found natively) when short; else runs of whole lines of at least UNIT_MIN bytes, ended
 * where a line's own bytes say so (so an edit moves no boundary beyond the next few lines); a line
 * longer than LONG_LINE is cut on its own at content-defined points.
 */
function forEachUnit(
  data: Buffer,
  from: number,
  to: number,
  unit: (s: number, e: number) => void,
  stop: () => boolean = never,
): void {
  let at = from;
  while (at < to && !stop()) {
    const blank = data.indexOf(BLANK_LINE, at);
    const end = blank === -1 || blank + 2 > to ? to : blank + 2;
    if (end - at <= PARAGRAPH_MAX) unit(at, end);
    else lineUnits(data, at, end, unit, stop);
    at = end;
  }
}

const never = () => false;

const BLANK_LINE = Buffer.from("\n\n");

function lineUnits(
  data: Buffer,
  from: number,
  to: number,
  unit: (s: number, e: number) => void,
  stop: () => boolean,
): void {
  let unitStart = from;
  let at = from;
  while (at < to) {
    if (stop()) return;
    const nl = data.indexOf(10, at);
    const end = nl === -1 || nl >= to ? to : nl + 1;
    if (end - at > LONG_LINE) {
      if (unitStart < at) unit(unitStart, at);
      let start = at;
      let h = 0;
      for (let i = at; i < end; i++) {
        h = ((h << 1) + GEAR[data[i]!]!) | 0;
        if ((h & PIECE_MASK) === 0 && i + 1 - start >= PIECE_MIN) {
          unit(start, i + 1);
          if (stop()) return;
          start = i + 1;
          h = 0;
        }
      }
      if (start < end) unit(start, end);
      unitStart = end;
    } else if (end - unitStart >= UNIT_MAX || (end - unitStart >= UNIT_MIN && endsUnit(data, at, end))) {
      unit(unitStart, end);
      unitStart = end;
    }
    at = end;
  }
  if (unitStart < to) unit(unitStart, to);
}

/** Start of the line holding `at`, if it is within `reach` bytes back; else `at`. */
function lineStartNear(data: Buffer, at: number, reach: number): number {
  if (at <= 0) return 0;
  const from = Math.max(0, at - reach);
  const nl = data.subarray(from, at).lastIndexOf(10);
  return nl === -1 ? (from === 0 ? 0 : at) : from + nl + 1;
}

/** End of the line holding `at` (after its newline), if within `reach` bytes; else `at`. */
function lineEndNear(data: Buffer, at: number, reach: number): number {
  if (at >= data.length) return data.length;
  const nl = data.subarray(at, Math.min(data.length, at + reach)).indexOf(10);
  return nl === -1 ? (at + reach >= data.length ? data.length : at) : at + nl + 1;
}

/** Moves an offset back to the start of a UTF-8 character. */
function charStart(data: Buffer, at: number): number {
  let i = at;
  while (i > 0 && i < data.length && (data[i]! & 0xc0) === 0x80) i--;
  return i;
}

/** Byte ranges [from, to) of `blob`, ascending and disjoint. */
export type ByteRanges = [number, number][];

/** What a cut answers when its changes alone already cover most of the blob: scan it whole. */
const MOSTLY_CHANGED = "mostly changed";

/**
 * A lower bound of the bytes changedRanges will cover, kept as the cut finds changes (ascending):
 * each change [a, b) ends up widened to at least [a - context, b + context), less the few bytes
 * that moving an end back to a character's start may take. Once the bound passes MOST of the blob,
 * the answer is known (null) and the rest of the cut is skipped.
 */
class CoverBound {
  private covered = 0;
  private lastHi = 0;
  private readonly limit: number;

  constructor(
    private readonly length: number,
    private readonly context: number,
  ) {
    this.limit = length * MOST;
  }

  /** Adds change [a, b) (a never less than an earlier one's); true once most of the blob is covered. */
  add(a: number, b: number): boolean {
    const lo = Math.max(this.lastHi, a - this.context, 0);
    const hi = Math.min(this.length, b + this.context) - 3;
    if (hi > lo) {
      this.covered += hi - lo;
      this.lastHi = hi;
    }
    return this.covered > this.limit;
  }
}

/** A cheap hash of a unit: its length and up to 24 of its bytes (equal units are then compared whole). */
function unitHash(data: Buffer, s: number, e: number): number {
  let h = e - s;
  const head = Math.min(e, s + 8);
  for (let i = s; i < head; i++) h = (h * 31 + data[i]!) | 0;
  const mid = (s + e) >> 1;
  const midEnd = Math.min(e, mid + 8);
  for (let i = Math.max(head, mid); i < midEnd; i++) h = (h * 31 + data[i]!) | 0;
  for (let i = Math.max(midEnd, e - 8); i < e; i++) h = (h * 31 + data[i]!) | 0;
  return h;
}

/**
 * The parts of blob[from, to) that are not unit-for-unit a run of base[baseFrom, baseTo). Units
 * are told apart by a cheap hash and a native compare: no strings, so no garbage per unit.
 */
function changedUnits(
  blob: Buffer,
  from: number,
  to: number,
  base: Buffer,
  baseFrom: number,
  baseTo: number,
  bound: CoverBound,
): ByteRanges | typeof MOSTLY_CHANGED {
  // Distinct base units: hash → ids (an id is 2 + the index of its first unit's bounds in `at`).
  // Keys and ids stay small integers (V8 Smis): no boxed numbers, no garbage per unit.
  const byHash = new Map<number, number | number[]>();
  const at: number[] = [];
  const same = (id: number, data: Buffer, s: number, e: number): boolean => {
    const k = (id - 2) * 2;
    return at[k + 1]! - at[k]! === e - s && base.compare(data, s, e, at[k]!, at[k + 1]!) === 0;
  };
  const idOf = (data: Buffer, s: number, e: number, add: boolean): number => {
    const h = unitHash(data, s, e) >> 1;
    const known = byHash.get(h);
    if (typeof known === "number") {
      if (same(known, data, s, e)) return known;
    } else if (known !== undefined) {
      for (const id of known) if (same(id, data, s, e)) return id;
    }
    if (!add) return -1;
    const id = at.length / 2 + 2;
    at.push(s, e);
    succ.push(-1);
    if (known === undefined) byHash.set(h, id);
    else if (typeof known === "number") byHash.set(h, [known, id]);
    else known.push(id);
    return id;
  };
  // Which unit follows which in the base: by id, the first successor seen; other pairs (a unit
  // the base repeats with different successors) in `more`. Ids start at 2: 0 stands for "the
  // common prefix", 1 for "the common suffix".
  const succ: number[] = [-1, -1];
  let more: Set<number> | null = null;
  const addPair = (p: number, id: number) => {
    const first = succ[p]!;
    if (first === -1) succ[p] = id;
    else if (first !== id) {
      more ??= new Set();
      more.add(p * 0x1000000 + id);
    }
  };
  const hasPair = (p: number, id: number) =>
    p >= 0 && id >= 0 && (succ[p] === id || more?.has(p * 0x1000000 + id) === true);
  let prev = 0;
  forEachUnit(base, baseFrom, baseTo, (s, e) => {
    const id = idOf(base, s, e, true);
    addPair(prev, id);
    prev = id;
  });
  addPair(prev, 1);
  const out: ByteRanges = [];
  let most = false;
  const mark = (s: number, e: number) => {
    const last = out[out.length - 1];
    if (last && last[1] >= s) last[1] = Math.max(last[1], e);
    else out.push([s, e]);
    if (bound.add(s, e)) most = true;
  };
  prev = 0;
  let prevStart = from;
  forEachUnit(
    blob,
    from,
    to,
    (s, e) => {
      if (most) return;
      const id = idOf(blob, s, e, false);
      if (!hasPair(prev, id)) mark(s, e);
      prev = id;
      prevStart = s;
    },
    () => most,
  );
  if (most) return MOSTLY_CHANGED;
  if (!hasPair(prev, 1)) mark(prevStart, to);
  return most ? MOSTLY_CHANGED : out;
}

/** Bytes of the new version looked up in the old one to find where the two agree again. */
const ANCHOR = 48;
/** Bytes of the old version searched for anchors, per byte of the middle, before the unit cut takes over. */
const SEARCH_PER_BYTE = 16;
const SEARCH_MIN = 256 * 1024;
/** An anchor taken `step` bytes past a difference is looked for within NEAR + 4 × step bytes of the old version. */
const NEAR = 8 * 1024;

/**
 * Length of the common run of a and b, at most `n` bytes, forward from a[ai] and b[bi] (dir 1) or
 * backward from a[ai - 1] and b[bi - 1] (dir -1): blocks of `step` bytes compared natively, the
 * block doubling while they agree and quartering where they differ, down to a byte loop.
 */
function commonRun(a: Buffer, ai: number, b: Buffer, bi: number, n: number, dir: 1 | -1, step: number): number {
  let at = 0;
  while (at < n) {
    const k = Math.min(n - at, step);
    // The run's next k bytes: [ai + at, ai + at + k) forward, [ai - at - k, ai - at) backward.
    const aFrom = dir === 1 ? ai + at : ai - at - k;
    const bFrom = dir === 1 ? bi + at : bi - at - k;
    if (a.compare(b, bFrom, bFrom + k, aFrom, aFrom + k) === 0) {
      at += k;
      if (step < 256 * 1024) step *= 2;
    } else if (step > 32) step >>= 2;
    else {
      const stop = at + k;
      // The byte `at` of the run: a[ai + at] forward, a[ai - 1 - at] backward.
      const a0 = dir === 1 ? ai : ai - 1;
      const b0 = dir === 1 ? bi : bi - 1;
      while (at < stop && a[a0 + dir * at] === b[b0 + dir * at]) at++;
      return at;
    }
  }
  return n;
}

/**
 * The parts of blob[from, to) that are not a run of base[baseFrom, baseTo), found by walking both
 * in step: runs of equal bytes are compared natively; where they differ, ANCHOR bytes of the new
 * version (taken ever further on: 0, 48, 96, 192… bytes past the difference) are looked up
 * natively in the rest of the old one, and the first place they occur restarts the walk (the run
 * is also extended backwards, so the changed part is exactly the bytes between the two runs).
 * Every byte left out is thus in a run of the base, and every seam between two runs that are not
 * adjacent in the base (a deletion) is marked as an empty change, which the caller's context
 * widens. A block moved upwards counts as changed. No JS work per line or unit: a few native
 * searches per edit. Null when the searches grow too long (many scattered new lines): the unit
 * cut (changedUnits) is then cheaper.
 */
function changedRuns(
  blob: Buffer,
  from: number,
  to: number,
  base: Buffer,
  baseFrom: number,
  baseTo: number,
  bound: CoverBound,
): ByteRanges | typeof MOSTLY_CHANGED | null {
  const out: ByteRanges = [];
  let budget = SEARCH_PER_BYTE * (to - from) + SEARCH_MIN;
  let i = from;
  let j = baseFrom;
  for (;;) {
    const n = commonRun(blob, i, base, j, Math.min(to - i, baseTo - j), 1, 256);
    i += n;
    j += n;
    if (i >= to) {
      if (j < baseTo) out.push([to, to]);
      return out;
    }
    if (j >= baseTo) {
      out.push([i, to]);
      return bound.add(i, to) ? MOSTLY_CHANGED : out;
    }
    // blob[i] differs from base[j]: find where they agree again.
    let step = 0;
    let found = -1;
    let a = i;
    for (;;) {
      a = i + step;
      if (a + ANCHOR > to) break;
      // Near first: an edit's other side is usually close by, and a far search per try would cost the whole base.
      const end = Math.min(baseTo, j + NEAR + 4 * step + ANCHOR);
      const k = base.subarray(j, end).indexOf(blob.subarray(a, a + ANCHOR));
      budget -= (k === -1 ? end : j + k + ANCHOR) - j;
      if (budget < 0) return null;
      if (k !== -1) {
        found = j + k;
        break;
      }
      step = step === 0 ? ANCHOR : step * 2;
    }
    if (found === -1) {
      out.push([i, to]);
      return bound.add(i, to) ? MOSTLY_CHANGED : out;
    }
    // Back from the anchor, at most its distance past the difference: smaller first blocks.
    const back = commonRun(blob, a, base, found, Math.min(a - i, found - j), -1, 64);
    const end = a - back;
    if (end > i || found - back > j) {
      out.push([i, end]);
      if (bound.add(i, end)) return MOSTLY_CHANGED;
    }
    i = a;
    j = found;
  }
}

/**
 * The ranges of `blob` to scan so that every secret it holds that `base` does not hold is seen
 * whole (if shorter than `context`): its changed parts widened by `context` bytes, merged.
 * Empty when the blob is a run of the base (a truncation); null when the ranges would cover most
 * of the blob anyway (scan it whole).
 */
export function changedRanges(base: Buffer, blob: Buffer, context: number): ByteRanges | null {
  const p = commonPrefix(base, blob);
  if (p === blob.length && p === base.length) return [];
  const s = commonSuffix(base, blob, Math.min(base.length, blob.length) - p);
  // The middle, from the start of its first line (if near) to the end of its last one: the same
  // offsets in both texts, as the bytes around them are common.
  const from = lineStartNear(blob, p, 1024);
  const tailNl = blob.subarray(blob.length - s, Math.min(blob.length, blob.length - s + 1024)).indexOf(10);
  const cut = tailNl === -1 ? s : s - tailNl - 1;
  const to = blob.length - cut;
  const baseTo = base.length - cut;
  // A small middle that is most of a small blob: cutting it up would not pay.
  if (to - from < CUT_MIN && to - from + 2 * context > blob.length * MOST) return null;
  let changed: ByteRanges | typeof MOSTLY_CHANGED;
  if (to - from <= SMALL_MIDDLE || baseTo <= from) changed = [[from, Math.max(from, to)]];
  else {
    // A cut that finds most of the blob changed stops there: the blob is scanned whole (null) anyway.
    changed =
      changedRuns(blob, from, to, base, from, baseTo, new CoverBound(blob.length, context)) ??
      changedUnits(blob, from, to, base, from, baseTo, new CoverBound(blob.length, context));
    if (changed === MOSTLY_CHANGED) return null;
  }
  const out: ByteRanges = [];
  let covered = 0;
  for (const [a, b] of changed) {
    const lo = charStart(blob, lineStartNear(blob, Math.max(0, a - context), SNAP));
    const hi = charStart(blob, lineEndNear(blob, Math.min(blob.length, b + context), SNAP));
    const last = out[out.length - 1];
    if (last && last[1] >= lo) {
      covered += Math.max(0, hi - last[1]);
      last[1] = Math.max(last[1], hi);
    } else {
      out.push([lo, hi]);
      covered += hi - lo;
    }
  }
  return covered > blob.length * MOST ? null : out;
}
