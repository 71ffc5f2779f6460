/** Base62 with the GMP ("lexicographic") alphabet used by GitHub, npm and leakstop keys. */
export const BASE62_ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

/** Encodes an unsigned 32-bit integer, left-padded with "0" to `width` characters. */
export function encodeBase62(value: number, width = 6): string {
  let n = value >>> 0;
  let out = "";
  do {
    out = BASE62_ALPHABET[n % 62] + out;
    n = Math.floor(n / 62);
  } while (n > 0);
  return out.padStart(width, "0");
}

/** Decodes base62 to a number; NaN if a character is outside the alphabet. */
export function decodeBase62(text: string): number {
  let n = 0;
  for (const ch of text) {
    const d = BASE62_ALPHABET.indexOf(ch);
    if (d < 0) return Number.NaN;
    n = n * 62 + d;
  }
  return n;
}

export function isBase62(text: string): boolean {
  return /^[0-9A-Za-z]*$/.test(text);
}
