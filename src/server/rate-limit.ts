/**
 * A per-IP request limit for the whole API, kept in process memory: fixed windows,
 * a counter per client address. It runs before authentication so that guessing
 * keys costs the same as any other request. (Each key's own rate limit is the
 * registry's business and lives in Redis.)
 */

/** `limit` requests per `windowSeconds` per client IP. */
export interface IpRateLimit {
  limit: number;
  windowSeconds: number;
}

/** The outcome for one request. */
export interface RateDecision {
  allowed: boolean;
  limit: number;
  remaining: number;
  /** Seconds until the current window ends. */
  resetSeconds: number;
}

/** Parses `N/Ws` forms such as `600/60s`, `100/1s`, `1000/5m`; `off` means no limit (null). */
export function parseIpRateLimit(text: string): IpRateLimit | null {
  if (text === "off") return null;
  const m = /^(\d+)\/(\d+)(s|m|h)?$/.exec(text.trim());
  if (!m) throw new RangeError(`rate limit "${text}" is not N/<seconds>s, N/<minutes>m or off`);
  const limit = Number(m[1]);
  const windowSeconds = Number(m[2]) * ({ s: 1, m: 60, h: 3600 }[m[3] ?? "s"] ?? 1);
  if (limit < 1 || windowSeconds < 1) throw new RangeError(`rate limit "${text}" needs N >= 1 and a window >= 1s`);
  return { limit, windowSeconds };
}

/**
 * Counts requests per IP in the current window. When a window ends the whole
 * map is dropped, so memory is bounded by the clients seen in one window.
 */
export class IpRateLimiter {
  private windowStart = 0;
  private counts = new Map<string, number>();

  constructor(
    private readonly config: IpRateLimit,
    private readonly now: () => number = Date.now,
  ) {}

  /** Counts one request from `ip` and says whether it may proceed. */
  hit(ip: string): RateDecision {
    const windowMs = this.config.windowSeconds * 1000;
    const now = this.now();
    const start = now - (now % windowMs);
    if (start !== this.windowStart) {
      this.windowStart = start;
      this.counts = new Map();
    }
    const count = (this.counts.get(ip) ?? 0) + 1;
    this.counts.set(ip, count);
    const limit = this.config.limit;
    return {
      allowed: count <= limit,
      limit,
      remaining: Math.max(0, limit - count),
      resetSeconds: Math.max(1, Math.ceil((start + windowMs - now) / 1000)),
    };
  }
}
