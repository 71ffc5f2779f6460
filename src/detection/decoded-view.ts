/**
 * The decoded view of a text: secrets written base64-encoded (a Kubernetes Secret's `data:` values,
 * `CREDENTIALS_B64=…`, a JSON blob in an environment variable) are decoded, each with the text that
 * names it (the line before the value), into one extra text that the rules run over. Every byte of
 * that view maps back to the original, so a finding in it is reported where the encoded value sits.
 * Cost stays linear: one pass to find candidate values, each decoded once and kept only when it
 * reads as text; the view is at most as long as the text, and it is never decoded again.
 */
import { type EncodedValue, nameStartOf } from "./encoded-value.js";
import { kubernetesSecretValues } from "./kubernetes-secret.js";
import type { ViewMeter } from "./work-meter.js";

/** One piece of the view: copied text (maps byte for byte) or a decoded base64 value (maps by groups of 4). */
interface Segment {
  viewStart: number;
  viewEnd: number;
  origStart: number;
  origEnd: number;
  base64: boolean;
}

export interface DecodedView {
  data: Buffer;
  segments: Segment[];
}

/** A value this short is not worth decoding outside a Kubernetes Secret (18 bytes decoded). */
const MIN_BASE64 = 24;
/** Byte classes: 1 a base64 character, 2 a base64url-only one (`_`, `-`): a value is a run of 1s. */
const CLASS = new Uint8Array(256);
for (const c of "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/") CLASS[c.charCodeAt(0)] = 1;
CLASS[0x5f] = 2;
CLASS[0x2d] = 2;
const EQUALS = 0x3d;

/** Decoded bytes that read as text (a key, a password, JSON, a PEM block), or null for binary. */
export function decodeTextBase64(encoded: string): Buffer | null {
  // Most long base64 is binary (hashes, PEM bodies, images): its first group of 48 characters tells.
  if (encoded.length > 64 && isBinary(Buffer.from(encoded.slice(0, 48), "base64"))) return null;
  const bytes = Buffer.from(encoded, "base64");
  return bytes.length === 0 || isBinary(bytes) ? null : bytes;
}

/** More than 2 % of bytes outside printable ASCII and tab/CR/LF, or any NUL (UTF-8 text in small doses only). */
function isBinary(bytes: Buffer): boolean {
  let unprintable = 0;
  for (const b of bytes) {
    if (b === 0x09 || b === 0x0a || b === 0x0d || (b >= 0x20 && b < 0x7f)) continue;
    if (b === 0 || ++unprintable * 50 > bytes.length) return true;
  }
  return false;
}

/**
 * Base64 values anywhere in the text that are worth decoding: runs of 24 or more base64 characters
 * (then up to two "=") with no base64url character on either side, a whole number of groups of 4,
 * both letter cases. A run of 24 must hold the byte 23 places on from where it could start, so the
 * search looks there first and skips ahead when it is no base64 character: most bytes are never read.
 */
function base64Values(data: Buffer, meter?: ViewMeter): EncodedValue[] {
  const out: EncodedValue[] = [];
  let read = 0; // bytes looked at (counted for the scaling tests)
  let start = 0; // always just after a byte that is no base64 character (or 0)
  while (start + MIN_BASE64 <= data.length) {
    const probe = start + MIN_BASE64 - 1;
    read++;
    if (CLASS[data[probe]!] !== 1) {
      start = probe + 1;
      continue;
    }
    let back = probe - 1;
    while (back >= start && CLASS[data[back]!] === 1) back--;
    read += probe - back;
    if (back >= start) {
      start = back + 1;
      continue;
    }
    let end = probe + 1;
    while (end < data.length && CLASS[data[end]!] === 1) end++;
    read += 2 * (end - start) + 4; // the run forward, its case check, what stands around it
    const runEnd = end;
    // Bounded: at the text's end, data[end] would read past it (undefined: a V8 deopt, never "=").
    while (end < data.length && data[end] === EQUALS && end - runEnd < 2) end++;
    const next = end < data.length ? data[end]! : 0;
    const standsAlone = (start === 0 || CLASS[data[start - 1]!] !== 2) && CLASS[next] === 0 && next !== EQUALS;
    if (standsAlone && (end - start) % 4 === 0 && mixedCase(data, start, end)) {
      out.push({ start, end, nameStart: nameStartOf(data, start) });
    }
    start = end > runEnd ? end : runEnd + 1;
  }
  if (meter) meter.viewBytes += read;
  return out;
}

/** Upper- and lower-case letters both occur (not hex, not digits, not an upper-case constant). */
function mixedCase(data: Buffer, start: number, end: number): boolean {
  let upper = false;
  let lower = false;
  for (let i = start; i < end && !(upper && lower); i++) {
    const b = data[i]!;
    if (b >= 0x41 && b <= 0x5a) upper = true;
    else if (b >= 0x61 && b <= 0x7a) lower = true;
  }
  return upper && lower;
}

/**
 * The decoded view of `data`, or null when nothing in it decodes to text. Kubernetes Secret values
 * of any length, and long base64 values anywhere; each as "<its line up to the value><decoded>\n".
 */
export function decodedView(data: Buffer, meter?: ViewMeter): DecodedView | null {
  if (data.length < MIN_BASE64) return null;
  const secret = data.includes(SECRET_WORD);
  // The search for the word, and the Kubernetes regexes' passes over the text where it occurs.
  if (meter) meter.viewBytes += secret ? 3 * data.length : data.length;
  const secretValues = secret ? kubernetesSecretValues(data.toString("latin1")) : [];
  const covered = new Set(secretValues.map((v) => v.start));
  const values = [...secretValues, ...base64Values(data, meter).filter((v) => !covered.has(v.start))];
  if (values.length === 0) return null;
  values.sort((a, b) => a.start - b.start);
  const parts: Buffer[] = [];
  const segments: Segment[] = [];
  let size = 0;
  let lastEnd = -1;
  for (const v of values) {
    if (v.start < lastEnd) continue;
    // Read as text, decoded, checked for binary bytes, copied into the view.
    if (meter) meter.viewBytes += 4 * (v.end - v.start);
    const decoded = decodeTextBase64(data.toString("latin1", v.start, v.end));
    if (!decoded) continue;
    const nameStart = Math.max(v.nameStart, lastEnd);
    const name = data.subarray(nameStart, v.start);
    segments.push({
      viewStart: size,
      viewEnd: size + name.length,
      origStart: nameStart,
      origEnd: v.start,
      base64: false,
    });
    size += name.length;
    segments.push({
      viewStart: size,
      viewEnd: size + decoded.length,
      origStart: v.start,
      origEnd: v.end,
      base64: true,
    });
    size += decoded.length + 1;
    parts.push(name, decoded, NEWLINE);
    lastEnd = v.end;
  }
  return segments.length === 0 ? null : { data: Buffer.concat(parts, size), segments };
}

const NEWLINE = Buffer.from("\n");
const SECRET_WORD = Buffer.from("Secret");

/** The segment holding view offset `at` (the last one starting at or before it). */
function segmentAt(view: DecodedView, at: number): Segment {
  const list = view.segments;
  let lo = 0;
  let hi = list.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >>> 1;
    if (list[mid]!.viewStart <= at) lo = mid;
    else hi = mid - 1;
  }
  return list[lo]!;
}

function mapOffset(seg: Segment, at: number, end: boolean): number {
  const inside = Math.min(Math.max(at - seg.viewStart, 0), seg.viewEnd - seg.viewStart);
  if (!seg.base64) return seg.origStart + inside;
  // 3 decoded bytes come from 4 characters: a secret maps to the characters that encode it.
  const chars = (end ? Math.ceil(inside / 3) : Math.floor(inside / 3)) * 4;
  return Math.min(seg.origStart + chars, seg.origEnd);
}

/** The original span of view bytes [start, end): the characters that hold (or encode) them. */
export function toOriginal(view: DecodedView, start: number, end: number): [number, number] {
  const from = mapOffset(segmentAt(view, start), start, false);
  const to = mapOffset(segmentAt(view, Math.max(start, end - 1)), end, true);
  return [from, Math.max(to, from + 1)];
}

/** Whether view bytes [start, end) lie in decoded bytes (not only in copied names). */
export function isDecoded(view: DecodedView, start: number, end: number): boolean {
  return segmentAt(view, start).base64 || segmentAt(view, Math.max(start, end - 1)).base64;
}
