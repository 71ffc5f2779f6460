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

/**
 * The same, when the pre-commit framework runs the hook: it reads git's lines itself and passes
 * the first pushed ref in PRE_COMMIT_FROM_REF / PRE_COMMIT_TO_REF (no refs at all when it pushes a
 * whole new history: then PRE_COMMIT_LOCAL_BRANCH). Null when not run by the framework.
 */
export function frameworkPushInput(env: NodeJS.ProcessEnv): string | null {
  const to = env.PRE_COMMIT_TO_REF ?? env.PRE_COMMIT_LOCAL_BRANCH;
  if (!to || env.PRE_COMMIT_REMOTE_NAME === undefined) return null;
  const from = env.PRE_COMMIT_TO_REF ? (env.PRE_COMMIT_FROM_REF ?? "0".repeat(40)) : "0".repeat(40);
  return `${env.PRE_COMMIT_LOCAL_BRANCH ?? "HEAD"} ${to} ${env.PRE_COMMIT_REMOTE_BRANCH ?? "unknown"} ${from}\n`;
}
