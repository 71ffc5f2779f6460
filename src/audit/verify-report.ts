/**
 * What `leakstop audit verify` and the server's GET /v1/audit/verify share: the
 * public key to check signatures with, the checkpoint to compare against, and
 * one line naming what a walk found. Both run the same checks (AuditLog.verify).
 */

import { readdirSync } from "node:fs";
import { basename, join } from "node:path";
import { loadServiceConfig, serviceConfig } from "../config/service-config.js";
import { isLeakstopError } from "../lib/errors.js";
import type { AuditLog } from "./audit-log.js";
import { type LoadedCheckpoint, loadCheckpoints } from "./checkpoint.js";
import { type AuditVerifier, loadAuditVerifier, signerFromEnv, verifierFor } from "./signing.js";
import type { AuditVerifyResult } from "./types.js";

/** The public key to check signatures with: `flag` > LEAKSTOP_AUDIT_PUBLIC_KEY > the key of LEAKSTOP_AUDIT_KEY; null when none. */
export function auditVerifierFrom(flag: string | undefined, env: NodeJS.ProcessEnv): AuditVerifier | null {
  if (flag !== undefined) return loadAuditVerifier(flag, "--public-key");
  const publicKey = (env === process.env ? serviceConfig() : loadServiceConfig({ env })).audit.publicKey;
  if (publicKey) return loadAuditVerifier(publicKey, "LEAKSTOP_AUDIT_PUBLIC_KEY");
  const signer = signerFromEnv(env);
  return signer ? verifierFor(signer.publicKey) : null;
}

/**
 * The newest checkpoint in `dir` (the server's anchor directory), or null when it holds none yet.
 * Checkpoint files are named by zero-padded seq then time, so the last name is the newest; through
 * the hash chain it vouches for every entry before it, so the older files need not be read.
 */
export function latestCheckpoint(dir: string): LoadedCheckpoint | null {
  let names: string[];
  try {
    names = readdirSync(dir).filter((n) => n.endsWith(".json"));
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "ENOENT") return null;
    throw err;
  }
  const last = names.sort().at(-1);
  return last === undefined ? null : (loadCheckpoints(join(dir, last))[0] ?? null);
}

const short = (hash: string) => `${hash.slice(0, 16)}…`;

/** One line naming what verify found. */
export function describeProblem(
  result: Extract<AuditVerifyResult, { ok: false }>,
  anchors: LoadedCheckpoint[],
): string {
  const n = result.index + 1;
  const entry = `entry #${n} (${result.entryId || "unreadable"})`;
  const anchor = anchors.find((a) => a.file === result.anchor)?.checkpoint;
  switch (result.problem) {
    case "dropped":
      return result.entryId
        ? `an entry was dropped before entry #${n} (${result.entryId})`
        : `the entries from #${n} on were dropped`;
    case "inserted":
      return `entry #${n} (${result.entryId}) was inserted: a copy of an earlier entry, or past the chain's recorded head`;
    case "unsigned":
      return `${entry} carries no signature by the audit key: it was written without LEAKSTOP_AUDIT_KEY`;
    case "forged":
      return `${entry} has a signature that does not verify with the audit public key: written or edited without the key`;
    case "wiped":
      return `the chain is empty, but ${result.anchor} anchors ${anchor?.seq} entries: the log and head were deleted`;
    case "truncated":
      return `the chain holds ${result.index} entries, but ${result.anchor} anchors ${anchor?.seq}: its tail was cut off`;
    case "rewritten":
      return `entry #${n} no longer has the hash ${short(anchor?.hash ?? "")} that ${result.anchor} anchors: the chain was rewritten`;
    default:
      return `${entry} was ${result.problem}`;
  }
}

/** The verdict as the server reports it: the walk's result, what was checked, and one line saying what was found. */
export type AuditReport = (
  | AuditVerifyResult
  | { ok: false; problem: "anchor_invalid"; anchor: string; index?: undefined; entryId?: undefined }
) & {
  message: string;
  /** The audit key's fingerprint when signatures were checked, else null. */
  signatures: string | null;
  /** The checkpoint compared against (file name only), or null. */
  checkpoint: { file: string; seq: number; time: string } | null;
};

/**
 * Verifies the chain with the public key and the newest checkpoint of `anchorDir` (each when
 * given), as `leakstop audit verify --public-key --anchor` does. A checkpoint that is not valid
 * (signature by another key, edited, another namespace) is reported as "anchor_invalid".
 */
export async function auditReport(
  log: Pick<AuditLog, "verify">,
  opts: { verifier: AuditVerifier | null; anchorDir: string | null },
): Promise<AuditReport> {
  const latest = opts.anchorDir ? latestCheckpoint(opts.anchorDir) : null;
  // Messages name the file, not the server's directory.
  const anchors = latest ? [{ ...latest, file: basename(latest.file) }] : [];
  const signatures = opts.verifier?.keyId ?? null;
  const c = anchors[0]?.checkpoint;
  const checkpoint = c && anchors[0] ? { file: anchors[0].file, seq: c.seq, time: c.time } : null;
  let result: AuditVerifyResult;
  try {
    result = await log.verify({ verifier: opts.verifier, anchors });
  } catch (err) {
    if (!isLeakstopError(err) || err.code !== "LS_AUDIT_ANCHOR_INVALID" || !checkpoint) throw err;
    const message = `checkpoint ${err.message}`;
    return { ok: false, problem: "anchor_invalid", anchor: checkpoint.file, message, signatures, checkpoint };
  }
  if (!result.ok) return { ...result, message: describeProblem(result, anchors), signatures, checkpoint };
  const unproven: string[] = [];
  if (!signatures) unproven.push("signatures not checked (no audit public key)");
  if (!checkpoint) unproven.push("no checkpoint to compare with (a wiped, truncated or rebuilt chain would pass)");
  const checked = [
    signatures ? `signatures checked with key ${signatures}` : null,
    checkpoint ? `matches checkpoint seq ${checkpoint.seq} of ${checkpoint.time}` : null,
  ].filter((s) => s !== null);
  const message = [`audit trail intact: ${result.count} entries`, ...checked, ...unproven].join("; ");
  return { ...result, message, signatures, checkpoint };
}
