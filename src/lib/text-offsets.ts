/** Pure offsets over UTF-8 bytes, shared by readers (chunk borders) and the engine (positions). */

/**
 * Offsets of the line breaks in `data` before `upTo`: every `\n`, and every `\r` not followed by
 * `\n` (a `\r\n` is one break, at its `\n`). A `\r` just before `upTo` looks past it.
 */
export function lineBreaks(data: Buffer, upTo = data.length): number[] {
  const out: number[] = [];
  for (let i = data.indexOf(10); i !== -1 && i < upTo; i = data.indexOf(10, i + 1)) out.push(i);
  let cr = data.indexOf(13);
  if (cr === -1 || cr >= upTo) return out;
  const lone: number[] = [];
  for (; cr !== -1 && cr < upTo; cr = data.indexOf(13, cr + 1)) if (data[cr + 1] !== 10) lone.push(cr);
  if (lone.length === 0) return out;
  return mergeSorted(out, lone);
}

/**
 * How many line breaks (as {@link lineBreaks} counts them) lie before `upTo`, and where the last
 * one is (-1: none), without listing them: a reader carries this from chunk to chunk.
 */
export function countLineBreaks(data: Buffer, upTo = data.length): { count: number; last: number } {
  let count = 0;
  let last = -1;
  for (let i = data.indexOf(10); i !== -1 && i < upTo; i = data.indexOf(10, i + 1)) {
    count++;
    last = i;
  }
  for (let cr = data.indexOf(13); cr !== -1 && cr < upTo; cr = data.indexOf(13, cr + 1)) {
    if (data[cr + 1] === 10) continue;
    count++;
    if (cr > last) last = cr;
  }
  return { count, last };
}

function mergeSorted(a: number[], b: number[]): number[] {
  const out = new Array<number>(a.length + b.length);
  let i = 0;
  let j = 0;
  let k = 0;
  while (i < a.length && j < b.length) out[k++] = a[i]! < b[j]! ? a[i++]! : b[j++]!;
  while (i < a.length) out[k++] = a[i++]!;
  while (j < b.length) out[k++] = b[j++]!;
  return out;
}

/**
 * UTF-16 code units that the UTF-8 bytes [from, to) decode to, exactly as Node's (WHATWG) decoder
 * decodes them: a 4-byte sequence is 2 units, and every ill-formed subsequence (a stray
 * continuation byte, a truncated sequence, an overlong form, 0xF5–0xFF) is 1 unit, its U+FFFD.
 */
export function utf16Length(data: Buffer, from: number, to: number): number {
  let n = 0;
  let need = 0;
  let seen = 0;
  let lower = 0x80;
  let upper = 0xbf;
  for (let i = from; i < to; i++) {
    const b = data[i]!;
    if (need === 0) {
      if (b < 0x80) n++;
      else if (b >= 0xc2 && b <= 0xdf) need = 1;
      else if (b >= 0xe0 && b <= 0xef) {
        if (b === 0xe0) lower = 0xa0;
        else if (b === 0xed) upper = 0x9f;
        need = 2;
      } else if (b >= 0xf0 && b <= 0xf4) {
        if (b === 0xf0) lower = 0x90;
        else if (b === 0xf4) upper = 0x8f;
        need = 3;
      } else n++;
      continue;
    }
    if (b < lower || b > upper) {
      // The sequence so far is one U+FFFD; this byte starts afresh.
      n++;
      need = 0;
      seen = 0;
      lower = 0x80;
      upper = 0xbf;
      i--;
      continue;
    }
    lower = 0x80;
    upper = 0xbf;
    if (++seen === need) {
      n += need === 3 ? 2 : 1;
      need = 0;
      seen = 0;
    }
  }
  return need > 0 ? n + 1 : n;
}
