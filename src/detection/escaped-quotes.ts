/**
 * Text inside JSON strings (notebooks, kubectl's last-applied-configuration, JSON in JSON) writes
 * its quotes as \". Provider rules expect plain quotes around a value, so the scanner reads such
 * text with every \" turned into a plain quote plus a space, on the side away from the value:
 * `=\"v` reads `= "v` and `v\" ` reads `v" `. Same length, so every offset, line and column stays exact.
 */
const ESCAPED_QUOTE = Buffer.from('\\"');
const SPACE = 0x20;
const QUOTE = 0x22;

const isAlnum = (b: number | undefined) =>
  b !== undefined && ((b >= 0x30 && b <= 0x39) || (b >= 0x41 && b <= 0x5a) || (b >= 0x61 && b <= 0x7a));
/** Characters a secret ends with: alphanumerics and base64/url-safe punctuation. */
const endsValue = (b: number | undefined) =>
  isAlnum(b) || b === 0x2b || b === 0x2f || b === 0x3d || b === 0x5f || b === 0x2d || b === 0x2e;

/** `data` itself when it has no \", else a copy with each \" read as a plain quote and a space. */
export function withPlainQuotes(data: Buffer): Buffer {
  let at = data.indexOf(ESCAPED_QUOTE);
  if (at === -1) return data;
  const copy = Buffer.from(data);
  while (at !== -1) {
    const closing = endsValue(data[at - 1]) && !isAlnum(data[at + 2]);
    if (closing) {
      copy[at] = QUOTE;
      copy[at + 1] = SPACE;
    } else copy[at] = SPACE;
    at = data.indexOf(ESCAPED_QUOTE, at + 2);
  }
  return copy;
}
