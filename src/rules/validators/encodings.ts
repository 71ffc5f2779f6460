/**
 * Checks of self-describing encodings: Bech32 strings carry a BCH checksum (age secret keys, Nostr
 * nsec keys), and a PyPI token is a binary v2 macaroon whose last field is its 32-byte signature.
 */

const BECH32_CHARSET = "qpzry9x8gf2tvdw0s3jn54khce6mua7l";
const GENERATORS = [0x3b6a57b2, 0x26508e6d, 0x1ea119fa, 0x3d4233dd, 0x2a1462b3];

function polymod(values: number[]): number {
  let chk = 1;
  for (const v of values) {
    const top = chk >>> 25;
    chk = ((chk & 0x1ffffff) << 5) ^ v;
    for (let i = 0; i < 5; i++) if ((top >>> i) & 1) chk ^= GENERATORS[i]!;
  }
  return chk >>> 0;
}

/** A Bech32 or Bech32m string (BIP-173/350) whose checksum matches; one case throughout. */
export function bech32Checksum(text: string): boolean {
  if (text !== text.toLowerCase() && text !== text.toUpperCase()) return false;
  const s = text.toLowerCase();
  const sep = s.lastIndexOf("1");
  if (sep < 1 || sep + 7 > s.length) return false;
  const hrp = s.slice(0, sep);
  const data: number[] = [];
  for (const ch of s.slice(sep + 1)) {
    const d = BECH32_CHARSET.indexOf(ch);
    if (d < 0) return false;
    data.push(d);
  }
  const expanded: number[] = [];
  for (const ch of hrp) expanded.push(ch.charCodeAt(0) >> 5);
  expanded.push(0);
  for (const ch of hrp) expanded.push(ch.charCodeAt(0) & 31);
  const sum = polymod([...expanded, ...data]);
  return sum === 1 || sum === 0x2bc830a3;
}

/** Reads one v2 macaroon field (type, length, data) at `at`; null past the end or on a bad length. */
function field(bytes: Buffer, at: number): { type: number; end: number } | null {
  if (at >= bytes.length) return null;
  const type = bytes[at]!;
  if (type === 0) return { type, end: at + 1 };
  let len = 0;
  let shift = 0;
  let i = at + 1;
  for (;;) {
    if (i >= bytes.length || shift > 21) return null;
    const b = bytes[i++]!;
    len |= (b & 0x7f) << shift;
    if ((b & 0x80) === 0) break;
    shift += 7;
  }
  return i + len <= bytes.length ? { type, end: i + len } : null;
}

/**
 * A PyPI API token ("pypi-" + base64url of a v2 macaroon): version 2, then fields up to the signature
 * (type 6), which must be 32 bytes and end the token exactly. A truncated or made-up tail fails.
 */
export function pypiMacaroon(secret: string): boolean {
  const body = secret.replace(/^pypi-/, "");
  if (!/^[A-Za-z0-9_-]+$/.test(body)) return false;
  const bytes = Buffer.from(body, "base64url");
  if (bytes[0] !== 2) return false;
  let at = 1;
  for (let n = 0; n < 10_000; n++) {
    const f = field(bytes, at);
    if (!f) return false;
    if (f.type === 6) return f.end === bytes.length && f.end - at >= 34 && bytes[at + 1] === 32;
    if (f.type > 6) return false;
    at = f.end;
  }
  return false;
}
