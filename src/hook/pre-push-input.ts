/** The lines git writes to a pre-push hook: "<local ref> <local sha> <remote ref> <remote sha>" per pushed ref. */
import { isZeroId } from "../sources/git/diff-args.js";

export interface PushedRef {
  localRef: string;
  localSha: string;
  remoteRef: string;
  /** The zero id when the remote does not have the branch yet. */
  remoteSha: string;
}

/** Every ref being pushed, without deletions (nothing is added by deleting a branch). */
export function parsePrePushInput(text: string): PushedRef[] {
  const out: PushedRef[] = [];
  for (const line of text.split("\n")) {
    const [localRef, localSha, remoteRef, remoteSha] = line.trim().split(/\s+/);
    if (!localRef || !localSha || !remoteRef || !remoteSha) continue;
    if (isZeroId(localSha)) continue;
    out.push({ localRef, localSha, remoteRef, remoteSha });
  }
  return out;
}
