/**
 * Keyword-anchored windows. In a big text (a minified bundle, a source map) nearly every keyword
 * occurs somewhere, so "run each rule whose keyword occurs" means dozens of full passes. There a
 * rule runs only in windows around its keywords' occurrences instead: from 1 KiB before each to
 * 4 KiB after (32 KiB for rules that can span lines, such as PEM blocks), widened to whole lines
 * where a line is short, merged where they touch.
 */
import type { CompiledRule, Engine } from "./compile.js";
import { type KeywordLocator, keywordLocator } from "./keyword-locator.js";
import { hasAsciiFolds } from "./keyword-prefilter.js";
import { execBuffer, testBuffer } from "./regex.js";
import type { WorkMeter } from "./work-meter.js";

/**
 * Below this size a text is scanned whole: windows would cover most of it anyway. A minified bundle or a
 * source map of 90-250 KiB (axios ships ten) is past it: read whole, each of the dozens of rules its
 * keywords select made a pass over it (at 256 KiB: RE2 1,076 M instructions on axios, 902 M at 64 KiB).
 */
export const WINDOW_MIN_TEXT = 64 * 1024;
/** Past this many keyword occurrences the text is dense enough to scan whole. */
const MAX_HITS = 20_000;
const BEFORE = 1024;
const AFTER = 4096;
const AFTER_MULTILINE = 32 * 1024;
/** How far a window edge may move to reach a line boundary. */
const SNAP = 1024;

export type Range = [number, number];

/** Rules whose regex can run across many lines need a longer reach after their keyword. */
export function reachAfter(rule: CompiledRule): number {
  return /\(\?[a-z]*s|BEGIN|\\n|\\r|\[\\s\\S\]/.test(rule.spec.regex) ? AFTER_MULTILINE : AFTER;
}

/** Per engine: keyword locators by the keyword indexes they search for, the most recently built LOCATORS. */
const LOCATORS = 16;
const locatorsOf = new WeakMap<Engine, Map<string, KeywordLocator>>();

/**
 * The locator of these keywords (`order`: their indexes, ascending), built once per engine: texts of
 * one kind show the same keywords (axios' 14 texts of 64 KiB or more: 7 keyword sets), and
 * a locator built again is compiled again, its automaton's states built again on its first pass.
 */
function locatorOf(engine: Engine, order: readonly number[], keywords: readonly string[]): KeywordLocator {
  let locators = locatorsOf.get(engine);
  if (!locators) {
    locators = new Map();
    locatorsOf.set(engine, locators);
  }
  const key = order.join(",");
  let locator = locators.get(key);
  if (!locator) {
    locator = keywordLocator(keywords);
    // A history reads thousands of big texts: the oldest locator goes, and RE2's memory with it.
    if (locators.size >= LOCATORS) locators.delete(locators.keys().next().value as string);
    locators.set(key, locator);
  }
  return locator;
}

/**
 * Keyword occurrences per keyword index, or null when there are too many to be worth it.
 * `present`: the keywords the prefilter saw in `data`. Only they are searched for: the others occur
 * nowhere in it, so an alternation of these alone (in the same order) finds the same hits and the
 * same credits, and RE2 builds its automaton for a few dozen keywords instead of all ~1,100 (a first
 * pass over a 1 MB translation file took ~150 ms, most of it building that automaton's states).
 */
export function keywordPositions(
  engine: Engine,
  data: Buffer,
  present: readonly number[],
  meter?: WorkMeter,
): Map<number, number[]> | null {
  const out = new Map<number, number[]>();
  if (present.length === 0) return out;
  const order = [...present].sort((a, b) => a - b);
  const keywords = order.map((k) => engine.keywords[k]!);
  const { regex, credits, keywordEndingAt } = locatorOf(engine, order, keywords);
  const credit = (hit: string, start: number) => {
    for (const [j, at] of credits(hit)) {
      const k = order[j]!;
      const list = out.get(k);
      if (list) list.push(start + at);
      else out.set(k, [start + at]);
    }
  };
  let count = 0;
  regex.lastIndex = 0;
  // A hit's end is enough to tell which keyword it is, unless RE2 matched a K or ſ as k or s.
  if (keywordEndingAt && !hasAsciiFolds(data)) {
    for (;;) {
      const from = regex.lastIndex;
      const found = testBuffer(regex, data);
      const end = regex.lastIndex;
      if (meter) {
        meter.regexRuns++;
        meter.regexBytes += (found ? end : data.length) - from;
      }
      if (!found) break;
      if (++count > MAX_HITS) return null;
      const k = keywordEndingAt(data, end, from);
      if (k !== -1) credit(keywords[k]!, end - keywords[k]!.length);
    }
    return out;
  }
  for (;;) {
    const from = regex.lastIndex;
    const m = execBuffer(regex, data);
    if (meter) {
      meter.regexRuns++;
      meter.regexBytes += (m ? m.index + m.length : data.length) - from;
    }
    if (m === null) break;
    if (++count > MAX_HITS) return null;
    credit(data.toString("latin1", m.index, m.index + m.length).toLowerCase(), m.index);
  }
  return out;
}

/**
 * Window edges move to a line boundary only if one is within SNAP bytes: the search itself is
 * bounded, so a single-line text costs O(SNAP) per keyword hit, not O(text).
 */
function snapBack(data: Buffer, at: number, meter?: WorkMeter): number {
  if (at <= 0) return 0;
  const from = Math.max(0, at - SNAP);
  if (meter) meter.windowBytes += at + 1 - from;
  const nl = data.subarray(from, at + 1).lastIndexOf(10);
  return nl === -1 ? at : from + nl + 1;
}

function snapForward(data: Buffer, at: number, meter?: WorkMeter): number {
  if (at >= data.length) return data.length;
  const to = Math.min(data.length, at + SNAP + 1);
  if (meter) meter.windowBytes += to - at;
  const nl = data.subarray(at, to).indexOf(10);
  return nl === -1 ? at : at + nl + 1;
}

/**
 * Merged windows around `positions` for `rule`, or null when they would cover most of the text.
 * Edges are snapped once per window, not per hit: a hit whose unsnapped window already touches the
 * open one merges without a search (snapping only widens a window, so the result is the same).
 */
export function ruleWindows(rule: CompiledRule, data: Buffer, positions: number[], meter?: WorkMeter): Range[] | null {
  const after = reachAfter(rule);
  // A typed array sorts numerically, without calling back into JS per comparison.
  const sorted = Float64Array.from(positions).sort();
  const out: Range[] = [];
  let covered = 0;
  let open: { start: number; rawEnd: number } | null = null;
  for (const p of sorted) {
    const rawStart = p - BEFORE;
    if (open && rawStart <= open.rawEnd) {
      open.rawEnd = p + after;
      continue;
    }
    const start = snapBack(data, Math.max(rawStart, 0), meter);
    if (open) {
      const end = snapForward(data, Math.min(open.rawEnd, data.length), meter);
      if (start <= end) {
        open.rawEnd = p + after;
        continue;
      }
      out.push([open.start, end]);
      covered += end - open.start;
    }
    open = { start, rawEnd: p + after };
  }
  if (open) {
    const end = snapForward(data, Math.min(open.rawEnd, data.length), meter);
    out.push([open.start, end]);
    covered += end - open.start;
  }
  return covered > data.length / 2 ? null : out;
}
