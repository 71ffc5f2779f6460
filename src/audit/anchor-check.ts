/**
 * Checks a walked chain against checkpoints kept outside Redis: the chain must
 * still hold every anchored entry with the anchored hash. Names what it found:
 * wiped (no entries left), truncated (fewer than anchored), rewritten (the
 * anchored entry's hash changed, i.e. the chain was rebuilt and rehashed).
 */
import { LeakstopError } from "../lib/errors.js";
import { checkSignature, type LoadedCheckpoint } from "./checkpoint.js";
import type { AuditVerifier } from "./signing.js";
import type { AuditVerifyResult } from "./types.js";

/**
 * Refuses checkpoints of another namespace, and (with a verifier) checkpoints whose signature does
 * not verify. Returns the highest seq a valid signature covers (0 when none does).
 */
export function checkAnchorFiles(
  anchors: LoadedCheckpoint[],
  namespace: string,
  verifier: AuditVerifier | null,
): number {
  let covered = 0;
  for (const { file, checkpoint } of anchors) {
    if (checkpoint.namespace !== namespace) {
      throw new LeakstopError(
        "LS_AUDIT_ANCHOR_INVALID",
        `${file} anchors namespace "${checkpoint.namespace}", not "${namespace}"`,
      );
    }
    if (!verifier) continue;
    const state = checkSignature(checkpoint, verifier);
    if (state === "bad") {
      throw new LeakstopError(
        "LS_AUDIT_ANCHOR_INVALID",
        `${file}: its signature does not verify with the audit public key ${verifier.keyId} (edited, or signed by another key)`,
      );
    }
    if (state === "valid") covered = Math.max(covered, checkpoint.seq);
  }
  return covered;
}

/** The first anchor the chain (`count` entries, `hashes` by seq) no longer matches; null when all match. */
export function compareWithAnchors(
  count: number,
  hashes: ReadonlyMap<number, string>,
  anchors: LoadedCheckpoint[],
): Extract<AuditVerifyResult, { ok: false }> | null {
  for (const { file, checkpoint } of anchors) {
    const { seq, hash } = checkpoint;
    if (seq === 0) continue;
    if (count === 0) return { ok: false, index: 0, entryId: "", problem: "wiped", anchor: file };
    if (count < seq) return { ok: false, index: count, entryId: "", problem: "truncated", anchor: file };
    if (hashes.get(seq) !== hash) return { ok: false, index: seq - 1, entryId: "", problem: "rewritten", anchor: file };
  }
  return null;
}
