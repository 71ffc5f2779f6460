/**
 * Knows when Redis is down, so requests that need it get a 503 at once instead
 * of each waiting for its own timeout. Down: the connection closed and the
 * client is reconnecting, or a command timed out (a Redis that stopped
 * answering on an open socket) until a probe PING answers again. Recovery needs
 * nothing from the operator: the client reconnects on its own.
 */
import type { Redis } from "ioredis";
import { isRedisConnectionError } from "../redis/connection.js";

/** How often a suspect connection is probed, and how long each probe waits. */
const PROBE_MS = 250;

type Watchable = Pick<Redis, "ping"> & Partial<Pick<Redis, "on" | "off" | "status">>;

/** Tracks one client's availability from its connection events and from command timeouts. */
export class RedisHealth {
  private closed = false;
  private stalled = false;
  private probing = false;

  constructor(private readonly redis: Watchable) {
    // Clients that cannot report their state (test doubles) are taken as up.
    if (typeof redis.on !== "function") return;
    this.closed = redis.status === "reconnecting" || redis.status === "close" || redis.status === "end";
    redis.on("ready", () => {
      this.closed = false;
      this.stalled = false;
    });
    for (const event of ["close", "reconnecting", "end"]) {
      redis.on(event, () => {
        this.closed = true;
      });
    }
  }

  /** True while Redis is known to be unreachable. */
  get down(): boolean {
    return this.closed || this.stalled;
  }

  /** Tells the tracker about a failed request: a timeout marks Redis down until a PING answers. */
  noteError(err: unknown): void {
    if (!isRedisConnectionError(err) || !(err instanceof Error) || !err.message.startsWith("Command timed out")) return;
    this.stalled = true;
    if (!this.probing) void this.probe();
  }

  private async probe(): Promise<void> {
    this.probing = true;
    while (this.stalled) {
      const answered = await Promise.race([
        this.redis.ping().then(
          () => true,
          () => false,
        ),
        new Promise<boolean>((resolve) => setTimeout(() => resolve(false), PROBE_MS).unref()),
      ]);
      if (answered) this.stalled = false;
      else await new Promise((resolve) => setTimeout(resolve, PROBE_MS).unref());
    }
    this.probing = false;
  }
}
