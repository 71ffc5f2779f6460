/**
 * Walks the audit chain entry by entry (pure, streaming) and names the first
 * entry that was edited, dropped, reordered or inserted; with the audit public
 * key also one that carries no signature, or a signature that does not verify.
 */
import { entryHash, entrySigningText, GENESIS_HASH, type ParsedEntry, parseStoredEntry } from "./entry.js";
import type { AuditVerifier } from "./signing.js";
import type { AuditVerifyResult } from "./types.js";

/** Signature checks of a walk. */
export interface SignatureCheck {
  verifier: AuditVerifier;
  /**
   * Entries up to this seq may be unsigned: a signed checkpoint (anchor) covers them through the
   * hash chain (entries written before the key was set up). Default 0.
   */
  coveredSeq?: number;
}

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
  private previous: { index: number; id: string } | null = null;
  /** The chained entries past the head read before the walk: appends made during it, or forgeries. */
  private readonly pastHead: { index: number; id: string; seq: number }[] = [];

  /**
   * @param head the chain's tip read BEFORE the entries (null when the chain was empty). Entries
   *             past it must chain on too; {@link result} then checks them against the tip read after.
   */
  /** Hashes of the entries whose seq was asked for in `wantHashes` (to compare with checkpoints). */
  readonly hashes = new Map<number, string>();
  private readonly want: Set<number>;

  constructor(
    private readonly head: { seq: number; hash: string } | null,
    private readonly signatures: SignatureCheck | null = null,
    wantHashes: number[] = [],
  ) {
    this.want = new Set(wantHashes);
  }

  /** True once the outcome is known (later entries change nothing). */
  get finished(): boolean {
    return this.failure !== null;
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
      // Its seq was already taken by an earlier entry (a swap or move shows up as a gap first): a copy.
      this.failure = { ok: false, index, entryId: id, problem: "inserted" };
    } else if (entry.seq > this.expectedSeq) {
      this.gap = { ok: false, index, entryId: id, problem: "dropped" };
      this.missingSeq = this.expectedSeq;
    } else if (entry.prevHash !== this.prevHash) {
      // Both entries hash consistently but no longer link: the earlier one was rewritten (and rehashed).
      const blame = this.previous ?? { index, id };
      this.failure = { ok: false, index: blame.index, entryId: blame.id, problem: "edited" };
    } else {
      const problem = this.signatureProblem(parsed, entry.seq);
      if (problem) this.failure = { ok: false, index, entryId: id, problem };
      else this.accept(index, id, entry);
    }
  }

  /** The entry chains on: move the expectations past it. */
  private accept(index: number, id: string, entry: ParsedEntry["entry"]): void {
    if (this.want.has(entry.seq)) this.hashes.set(entry.seq, entry.hash);
    this.expectedSeq++;
    this.prevHash = entry.hash;
    this.previous = { index, id };
    if (this.head && entry.seq === this.head.seq && entry.hash !== this.head.hash) {
      this.failure = { ok: false, index, entryId: id, problem: "edited" };
    }
    if (entry.seq > (this.head?.seq ?? 0)) this.pastHead.push({ index, id, seq: entry.seq });
  }

  /** "forged" when the signature does not verify, "unsigned" when there is none and no checkpoint covers it. */
  private signatureProblem(parsed: ParsedEntry, seq: number): "forged" | "unsigned" | null {
    const check = this.signatures;
    if (!check) return null;
    if (!parsed.signed) return seq > (check.coveredSeq ?? 0) ? "unsigned" : null;
    return check.verifier.verify(entrySigningText(parsed.signed.text), parsed.signed.sig) ? null : "forged";
  }

  /**
   * The verdict once every entry was pushed. `tip` is the chain's head read AFTER the walk: every
   * append moves it in the same step, so a chained entry past it was added behind the registry's
   * back ("inserted"). Without `tip` that check is skipped.
   */
  result(tip?: { seq: number; hash: string } | null): AuditVerifyResult {
    if (this.failure) return this.failure;
    if (this.gap) return this.gap;
    const count = this.expectedSeq - 1;
    if (this.head && count < this.head.seq) {
      // The list ends before the tip: its last entries were dropped.
      return { ok: false, index: this.index, entryId: "", problem: "dropped" };
    }
    if (tip !== undefined) {
      const forged = this.pastHead.find((e) => e.seq > (tip?.seq ?? 0));
      if (forged) return { ok: false, index: forged.index, entryId: forged.id, problem: "inserted" };
    }
    return { ok: true, count };
  }
}
