/**
 * Appends to the audit chain with the hashing done here, not in Redis (Redis's Lua has no
 * SHA-256; a pure-Lua one cost ~270 µs of Redis CPU per entry). Each change script gets its entry
 * already chained onto the tip this process expects (entry.ts chainEntry); the script checks that
 * the tip is still there before its first write (lua/append.lua audit_moved) and otherwise
 * changes nothing and answers with the real tip, onto which the entry is chained again.
 *
 * Appends from one process are pipelined: each call chains onto the tip the calls still in flight
 * will leave (commands on one connection run in the order they were sent), so N concurrent
 * revocations are N scripts in one go, not N round trips one after the other. When a guess was
 * wrong (another process appended, or a script appended nothing), the calls chained after it come
 * back "moved" and run again on the real tip; a generation number makes only the first of them
 * move the tip, so the retries chain onto each other instead of all onto the same tip.
 */
import { LeakstopError } from "../lib/errors.js";
import { type ChainedEntry, type ChainLink, chainEntry, GENESIS_HASH } from "./entry.js";

/** What a change script's reply says about the chain. */
export type ChainReply =
  /** The tip had moved: nothing was written; this is the tip as the script found it. */
  | { moved: ChainLink }
  /** The script ran: the index of the entry it appended, -1 when it appended none. */
  | { appended: number };

/** One change with its candidate entries (all chained onto the same tip; the script appends at most one). */
export interface ChainedChange<T> {
  /** Audit payloads (entry.ts auditPayload). */
  payloads: string[];
  /** The index of the payload the script is expected to append, -1 for none: the next call chains onto it. */
  expected: number;
  /** Runs the script with the chained entries' texts, in the order of `payloads`. */
  send(entries: string[]): Promise<T>;
  /** Reads the script's reply (use {@link movedTip} for the "moved" answer). */
  read(reply: T): ChainReply;
}

/** Tries per change before giving up (each failed try wrote nothing). */
const MAX_TRIES = 100;

/** The tip in a script's "moved" answer `{-9, "audit-moved", seq, hash}`, or null for any other reply. */
export function movedTip(reply: unknown): ChainLink | null {
  if (!Array.isArray(reply) || reply[0] !== -9 || reply[1] !== "audit-moved") return null;
  return { seq: Number(reply[2]), hash: String(reply[3]) };
}

/** One process's view of one audit chain's tip. */
export class ChainTip {
  /** The tip once every call in flight has landed as expected; null: read it from Redis. */
  private tip: ChainLink | null = null;
  private generation = 0;
  private reading: Promise<void> | null = null;

  /** @param readTip reads the chain's head (seq 0 and {@link GENESIS_HASH} when empty). */
  constructor(private readonly readTip: () => Promise<ChainLink>) {}

  /** Runs `change` until its script ran on the real tip; returns that reply. */
  async run<T>(change: ChainedChange<T>): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      if (this.tip === null) await this.load();
      const base = this.tip ?? { seq: 0, hash: GENESIS_HASH };
      const generation = this.generation;
      const entries: ChainedEntry[] = change.payloads.map((p) => chainEntry(base, p));
      const expected = entries[change.expected];
      if (expected) this.tip = expected.link;
      let reply: T;
      try {
        reply = await change.send(entries.map((e) => e.text));
      } catch (err) {
        // The script may or may not have run: read the tip again.
        this.rebase(generation, null);
        throw err;
      }
      const said = change.read(reply);
      if ("appended" in said) {
        if (said.appended !== change.expected) this.rebase(generation, entries[said.appended]?.link ?? base);
        return reply;
      }
      this.rebase(generation, said.moved);
      if (attempt >= MAX_TRIES) {
        throw new LeakstopError(
          "LS_INTERNAL",
          `the audit chain's tip kept moving (${MAX_TRIES} tries): too many writers at once; retry`,
        );
      }
      // Past a few tries another process is appending as fast: step aside a little.
      if (attempt > 3) await new Promise((r) => setTimeout(r, Math.random() * Math.min(50, attempt * 2)));
    }
  }

  /** The guess of this generation was wrong: `tip` is the truth (null: unknown). Later generations know better. */
  private rebase(generation: number, tip: ChainLink | null): void {
    if (generation !== this.generation) return;
    this.generation++;
    this.tip = tip;
  }

  /** Reads the tip once for every call waiting on it. */
  private async load(): Promise<void> {
    this.reading ??= this.readTip()
      .then((tip) => {
        this.tip ??= tip;
      })
      .finally(() => {
        this.reading = null;
      });
    await this.reading;
  }
}
