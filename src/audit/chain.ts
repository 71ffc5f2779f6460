/**
 * Walks the audit chain entry by entry (pure, streaming) and names the first
 * entry that was edited, dropped or reordered.
 */
import { entryHash, GENESIS_HASH, parseStoredEntry } from "./entry.js";
import type { AuditVerifyResult } from "./types.js";

type Failure = Extract<AuditVerifyResult, { ok: false }>;

/** Feed entries in list order with push(), then call result(). */
export class ChainWalker {
  private index = 0;
  private expectedSeq = 1;
  private prevHash = GENESIS_HASH;
  private failure: Failure | null = null;
  /** A seq jumped ahead at this entry: reordered if the missing seq shows up later, else dropped. */
  private gap: Failure | null = null;
  private missingSeq = 0;
  private done = false;
  private previous: { index: number; id: string } | null = null;

  /**
   * @param head the chain's tip read BEFORE the entries (entries past it are newer appends and are ignored);
   *             null when the chain is empty.
   */
  constructor(private readonly head: { seq: number; hash: string } | null) {}

  /** True once the outcome is known (later entries change nothing). */
  get finished(): boolean {
    return this.failure !== null || this.done;
  }

  push(raw: string): void {
    const index = this.index++;
    if (this.finished) return;
    const parsed = parseStoredEntry(raw);
    if (this.gap) {
      if (parsed?.entry.seq === this.missingSeq) this.failure = { ...this.gap, problem: "reordered" };
      return;
    }
    if (!parsed) {
      this.failure = { ok: false, index, entryId: "", problem: "edited" };
      return;
    }
    const { entry, payload } = parsed;
    const id = typeof entry.id === "string" ? entry.id : "";
    if (entryHash(entry.prevHash, entry.seq, payload) !== entry.hash) {
      this.failure = { ok: false, index, entryId: id, problem: "edited" };
    } else if (entry.seq < this.expectedSeq) {
      this.failure = { ok: false, index, entryId: id, problem: "reordered" };
    } else if (entry.seq > this.expectedSeq) {
      this.gap = { ok: false, index, entryId: id, problem: "dropped" };
      this.missingSeq = this.expectedSeq;
    } else if (entry.prevHash !== this.prevHash) {
      // Both entries hash consistently but no longer link: the earlier one was rewritten (and rehashed).
      const blame = this.previous ?? { index, id };
      this.failure = { ok: false, index: blame.index, entryId: blame.id, problem: "edited" };
    } else {
      this.expectedSeq++;
      this.prevHash = entry.hash;
      this.previous = { index, id };
      if (this.head && entry.seq === this.head.seq) {
        if (entry.hash !== this.head.hash) this.failure = { ok: false, index, entryId: id, problem: "edited" };
        this.done = true;
      }
    }
  }

  /** The verdict once every entry (up to the head) was pushed. */
  result(): AuditVerifyResult {
    if (this.failure) return this.failure;
    if (this.gap) return this.gap;
    const count = this.expectedSeq - 1;
    if (this.head && count < this.head.seq) {
      // The list ends before the tip: its last entries were dropped.
      return { ok: false, index: this.index, entryId: "", problem: "dropped" };
    }
    return { ok: true, count };
  }
}
