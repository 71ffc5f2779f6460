/**
 * One unescape view for every rule: inside a JSON or shell string (`"KEY=abc\nTOKEN=…"`) or a
 * URL-encoded text (`token%3D…`, `%22key%22%3A%22…`), names and values sit behind escapes that no
 * assignment form expects. The engine reads the text with those escapes turned into what they say,
 * at the same length, so every offset, line and column stays exact (the secret itself is read from
 * the text before this view; escaped quotes, `\"`, are read as quotes by detection/escaped-quotes.ts):
 * - `\n`, `\t`, `\r` read as two blanks (not a line break: lines stay where they are);
 * - `%22 %27 %3A %3D %2C %3F %26` read as blanks and `" ' : = , ? &` (a closing quote first: `key"  `), and
 *   `%20 %09 %0A %0D` as three blanks.
 * Escapes that belong to a value are left alone: a PEM armour line's `\n` (`-----\n`), the `\n`
 * that closes a string (`…\n"`), `%3D` padding at a value's end (`…%3D%3D&`).
 */
import { ViewScratch } from "./view-scratch.js";
import type { ViewMeter } from "./work-meter.js";

const slot = new ViewScratch();

const BACKSLASH = 0x5c;
const PERCENT = 0x25;
const SPACE = 0x20;

/** Decoded punctuation by the two hex digits after `%` (upper-cased). */
const PERCENT_CODES: Record<string, number> = {
  "22": 0x22,
  "27": 0x27,
  "3A": 0x3a,
  "3D": 0x3d,
  "2C": 0x2c,
  "3F": 0x3f,
  "26": 0x26,
};
const PERCENT_BLANKS = new Set(["20", "09", "0A", "0D"]);

const isQuote = (b: number | undefined) => b === 0x22 || b === 0x27 || b === 0x60;

const DASH = 0x2d;

function isPemArmourEnd(data: Buffer, at: number): boolean {
  if (at < 5) return false;
  for (let i = at - 5; i < at; i++) if (data[i] !== DASH) return false;
  return true;
}

/** `\n`, `\t`, `\r` at `at` (the backslash) that a name or value may follow. */
function blankableEscape(data: Buffer, at: number): boolean {
  const letter = data[at + 1];
  if (letter !== 0x6e && letter !== 0x74 && letter !== 0x72) return false;
  if (data[at - 1] === BACKSLASH) return false; // `\\n` is a backslash, then an n
  return !isPemArmourEnd(data, at) && !isQuote(data[at + 2]) && data[at + 2] !== BACKSLASH;
}

/** `%22`/`%27` (or a quote) right at `at`. */
function quoteAt(data: Buffer, at: number): boolean {
  return isQuote(data[at]) || /^%2[27]$/i.test(data.toString("latin1", at, at + 3));
}

/**
 * Whether the `%3D`/`%3A` at `at` follows a name: quoted (`%22key%22%3A%22…`, `key%3D%22…`), or a
 * query parameter's (`%3Fapi_key%3D…`, `&token%3A…`). URL-encoded values hold `%3D` too (Twitter
 * tokens: `…%2BoyU7lg%3DYnfA…`); there the run before it follows another escape, not a separator.
 */
function separatesName(data: Buffer, at: number): boolean {
  if (quoteAt(data, at + 3) || (at >= 3 && quoteAt(data, at - 3))) return true;
  let start = at;
  while (start > 0 && at - start < 64 && /[\w.-]/.test(String.fromCharCode(data[start - 1]!))) start--;
  if (start === at) return false;
  if (start === 0) return true;
  const before = data[start - 1]!;
  if (before === 0x26 || before === 0x3f || before === SPACE || before === 0x09 || before === 0x0a || isQuote(before))
    return true;
  // Another escape ends right there (its two hex digits read as name characters): `%26`, `%3F`, `%20` only.
  return before === PERCENT && /^(?:26|3F|20)/i.test(data.toString("latin1", start, start + 2));
}

/** The decoded byte of `%XX` at `at`, SPACE for a blank, or null to leave it. */
function percentCode(data: Buffer, at: number): number | null {
  // Every code above starts with 0, 2 or 3: a printf `%s` or `%d` is left without building a string.
  const first = data[at + 1];
  if (first !== 0x30 && first !== 0x32 && first !== 0x33) return null;
  const hex = data.toString("latin1", at + 1, at + 3).toUpperCase();
  if (PERCENT_BLANKS.has(hex)) return SPACE;
  const code = PERCENT_CODES[hex];
  if (code === undefined) return null;
  if ((code === 0x3d || code === 0x3a) && !separatesName(data, at)) return null;
  return code;
}

/** `data` itself when nothing needs unescaping, else a same-length copy read as described above (reused by the next call on this thread). */
export function unescapeView(data: Buffer, meter?: ViewMeter): Buffer {
  let copy: Buffer | null = null;
  // Counted: each search for the next escape (the bytes it passes), about 8 bytes looked at around
  // each escape (64 more where a name is read back), and the copy.
  const next = (byte: number, from: number) => {
    const at = data.indexOf(byte, from);
    if (meter) meter.viewBytes += (at === -1 ? data.length : at + 1) - from + 8;
    return at;
  };
  const copied = () => {
    if (meter) meter.viewBytes += data.length;
    return slot.copyOf(data);
  };
  for (let at = next(BACKSLASH, 0); at !== -1; at = next(BACKSLASH, at + 2)) {
    if (!blankableEscape(data, at)) continue;
    copy ??= copied();
    copy[at] = SPACE;
    copy[at + 1] = SPACE;
  }
  for (let at = next(PERCENT, 0); at !== -1; at = next(PERCENT, at + 1)) {
    if (at + 2 >= data.length) break;
    const code = percentCode(data, at);
    if (meter && (code === 0x3d || code === 0x3a)) meter.viewBytes += 64;
    if (code === null) continue;
    copy ??= copied();
    // A quote that closes a name or value sits against it (`key"  `), any other next to what follows
    // (read in the copy: an escape just before reads as what it decoded to).
    const closing = isQuote(code) && /[\w.-]/.test(String.fromCharCode(copy[at - 1] ?? 0x20));
    copy[at] = closing ? code : SPACE;
    copy[at + 1] = SPACE;
    copy[at + 2] = closing ? SPACE : code;
    at += 2;
  }
  return copy ?? data;
}
