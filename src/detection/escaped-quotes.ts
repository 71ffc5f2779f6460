/**
 * Text inside JSON strings (notebooks, kubectl's last-applied-configuration, JSON in JSON) writes
 * its quotes as \". Provider rules expect plain quotes around a value, so the scanner reads such
 * text with every \" turned into a plain quote plus a space, on the side away from the value:
 * `=\"v` reads `= "v` and `v\" ` reads `v" `. Same length, so every offset, line and column stays exact.
 * JSON in a JSON string in another string (a `DOCKER_AUTH_CONFIG` in a runner's TOML, a manifest in an
 * annotation) escapes a quote again with each level: `\\\"` is a quote too, and its whole run of
 * backslashes is read as blanks.
 */
import { ViewScratch } from "./view-scratch.js";
import type { ViewMeter } from "./work-meter.js";

const plainSlot = new ViewScratch();
const notebookSlot = new ViewScratch();

const ESCAPED_QUOTE = Buffer.from('\\"');
const SPACE = 0x20;
const QUOTE = 0x22;
const BACKSLASH = 0x5c;

const isAlnum = (b: number | undefined) =>
  b !== undefined && ((b >= 0x30 && b <= 0x39) || (b >= 0x41 && b <= 0x5a) || (b >= 0x61 && b <= 0x7a));
/** Characters a secret ends with: alphanumerics and base64/url-safe punctuation. */
const endsValue = (b: number | undefined) =>
  isAlnum(b) || b === 0x2b || b === 0x2f || b === 0x3d || b === 0x5f || b === 0x2d || b === 0x2e;

/** `data` itself when it has no \", else a copy (reused by the next call on this thread) with each \" read as a plain quote and a space. */
export function withPlainQuotes(data: Buffer, meter?: ViewMeter): Buffer {
  let at = data.indexOf(ESCAPED_QUOTE);
  if (meter) meter.viewBytes += at === -1 ? data.length : at + 1;
  if (at === -1) return data;
  const copy = plainSlot.copyOf(data);
  if (meter) meter.viewBytes += data.length;
  while (at !== -1) {
    // An odd run of backslashes before the quote escapes it at some depth (`\"`, `\\\"`); `\\"` ends a
    // string whose last character is a backslash, read as before (only its last backslash blanked).
    let start = at;
    while (start > 0 && data[start - 1] === BACKSLASH) start--;
    if ((at + 1 - start) % 2 === 0) start = at;
    const closing = endsValue(data[start - 1]) && !isAlnum(data[at + 2]);
    if (closing) {
      copy[start] = QUOTE;
      copy.fill(SPACE, start + 1, at + 2);
    } else copy.fill(SPACE, start, at + 1);
    const from = at + 2;
    at = data.indexOf(ESCAPED_QUOTE, from);
    if (meter) meter.viewBytes += (at === -1 ? data.length : at + 1) - from + 3;
  }
  return copy;
}

const NEWLINE = 0x0a;
const COMMA = 0x2c;

/**
 * A notebook stores each line of a cell as its own JSON string, so a PEM block reads
 * `"-----BEGIN …-----\n",` / `"MIIE…\n",` …. For `.ipynb` files the scanner also blanks the quote
 * that opens a line's string and the quote and comma that close it: the cell's lines then read as
 * the text they are, at the same offsets.
 */
export function notebookView(data: Buffer, meter?: ViewMeter): Buffer {
  const copy = notebookSlot.copyOf(data);
  // One copy, then each line read once from both ends.
  if (meter) meter.viewBytes += 2 * data.length;
  let start = 0;
  while (start < copy.length) {
    let end = copy.indexOf(NEWLINE, start);
    if (end === -1) end = copy.length;
    let first = start;
    while (first < end && (copy[first] === SPACE || copy[first] === 0x09)) first++;
    let last = end - 1;
    while (last > first && (copy[last] === SPACE || copy[last] === 0x0d || copy[last] === 0x09)) last--;
    if (copy[first] === QUOTE && last > first) {
      copy[first] = SPACE;
      if (copy[last] === COMMA) copy[last--] = SPACE;
      if (copy[last] === QUOTE && copy[last - 1] !== 0x5c) copy[last] = SPACE;
    }
    start = end + 1;
  }
  return copy;
}
