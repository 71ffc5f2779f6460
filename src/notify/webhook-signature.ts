/**
 * The `Leakstop-Signature` header (SPEC §7): `t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<raw body>">`
 * with the webhook secret (LEAKSTOP_WEBHOOK_SECRET). The timestamp inside the signed text lets a
 * receiver refuse replays of an old delivery. Receivers can import {@link verifyWebhookSignature}.
 */
import { createHmac, timingSafeEqual } from "node:crypto";

/** The header value for `body` signed at unix time `t` (seconds). */
export function signWebhookBody(body: string, secret: string, t: number = Math.floor(Date.now() / 1000)): string {
  const mac = createHmac("sha256", secret).update(`${t}.${body}`).digest("hex");
  return `t=${t},v1=${mac}`;
}

/**
 * True when `header` carries a `v1` signature of `body` with `secret` and its `t` is within
 * `toleranceS` seconds of now (default 300; 0 = no time check). Several `v1=` entries are
 * allowed (a sender rotating its secret); any match passes. Compares in constant time.
 * @param body the raw request body exactly as received (bytes or text), not re-serialized JSON
 */
export function verifyWebhookSignature(
  body: string | Buffer,
  header: string | undefined | null,
  secret: string,
  toleranceS = 300,
  nowS: number = Math.floor(Date.now() / 1000),
): boolean {
  if (!header || !secret) return false;
  let t: number | undefined;
  const sigs: string[] = [];
  for (const part of header.split(",")) {
    const eq = part.indexOf("=");
    if (eq <= 0) continue;
    const name = part.slice(0, eq).trim();
    const value = part.slice(eq + 1).trim();
    if (name === "t" && /^\d{1,12}$/.test(value)) t = Number(value);
    else if (name === "v1" && /^[0-9a-f]{64}$/i.test(value)) sigs.push(value.toLowerCase());
  }
  if (t === undefined || sigs.length === 0) return false;
  if (toleranceS > 0 && Math.abs(nowS - t) > toleranceS) return false;
  const expected = createHmac("sha256", secret)
    .update(`${t}.`)
    .update(typeof body === "string" ? Buffer.from(body, "utf8") : body)
    .digest();
  return sigs.some((s) => timingSafeEqual(Buffer.from(s, "hex"), expected));
}
