/**
 * Checkpoints: the chain's tip (entry count + head hash + time), signed with the
 * audit key and kept OUTSIDE Redis (`leakstop audit anchor`, the server's
 * --anchor-dir). Through the hash chain a checkpoint fixes every entry up to it,
 * so a chain that was wiped, truncated or rewritten since no longer matches.
 */
import { mkdirSync, readdirSync, readFileSync, renameSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { LeakstopError } from "../lib/errors.js";
import { GENESIS_HASH } from "./entry.js";
import type { AuditSigner, AuditVerifier } from "./signing.js";

export const CHECKPOINT_TYPE = "leakstop-audit-checkpoint";

/** One checkpoint as written to a file (JSON). */
export interface Checkpoint {
  type: typeof CHECKPOINT_TYPE;
  version: 1;
  /** Redis namespace of the chain (default "leakstop"). */
  namespace: string;
  /** Number of entries (the head's seq); 0 for an empty chain. */
  seq: number;
  /** Hash of entry `seq` (64 zeros for an empty chain). */
  hash: string;
  /** When the checkpoint was taken (ISO-8601). */
  time: string;
  /** Fingerprint of the signing key; absent with `sig` on an unsigned checkpoint. */
  keyId?: string;
  /** Base64 Ed25519 signature of {@link checkpointSigningText}. */
  sig?: string;
}

/** A checkpoint read from a file, with where it came from (for messages). */
export interface LoadedCheckpoint {
  file: string;
  checkpoint: Checkpoint;
}

/** The text a checkpoint's signature covers. */
export function checkpointSigningText(c: Pick<Checkpoint, "namespace" | "seq" | "hash" | "time">): string {
  return `${CHECKPOINT_TYPE}\n1\n${c.namespace}\n${c.seq}\n${c.hash}\n${c.time}`;
}

/** Builds a checkpoint of `head` (null: empty chain), signed when a signer is given. */
export function makeCheckpoint(
  head: { seq: number; hash: string } | null,
  opts: { namespace: string; signer: AuditSigner | null; now?: Date },
): Checkpoint {
  const base = {
    namespace: opts.namespace,
    seq: head?.seq ?? 0,
    hash: head?.hash ?? GENESIS_HASH,
    time: (opts.now ?? new Date()).toISOString(),
  };
  const c: Checkpoint = { type: CHECKPOINT_TYPE, version: 1, ...base };
  if (opts.signer) {
    c.keyId = opts.signer.keyId;
    c.sig = opts.signer.sign(checkpointSigningText(base));
  }
  return c;
}

/** "valid" / "unsigned" / "bad" (signature present but not by this key, or the checkpoint was edited). */
export function checkSignature(c: Checkpoint, verifier: AuditVerifier): "valid" | "unsigned" | "bad" {
  if (c.sig === undefined) return "unsigned";
  return verifier.verify(checkpointSigningText(c), c.sig) ? "valid" : "bad";
}

function parseCheckpoint(text: string, file: string): Checkpoint {
  let obj: Record<string, unknown>;
  try {
    obj = JSON.parse(text);
  } catch {
    throw new LeakstopError("LS_AUDIT_ANCHOR_INVALID", `${file} is not a checkpoint (not JSON)`);
  }
  const ok =
    typeof obj === "object" &&
    obj !== null &&
    obj.type === CHECKPOINT_TYPE &&
    obj.version === 1 &&
    typeof obj.namespace === "string" &&
    Number.isSafeInteger(obj.seq) &&
    (obj.seq as number) >= 0 &&
    typeof obj.hash === "string" &&
    /^[0-9a-f]{64}$/.test(obj.hash) &&
    typeof obj.time === "string" &&
    (obj.sig === undefined || typeof obj.sig === "string");
  if (!ok) throw new LeakstopError("LS_AUDIT_ANCHOR_INVALID", `${file} is not a leakstop audit checkpoint`);
  return obj as unknown as Checkpoint;
}

/** Reads a checkpoint file, or every `*.json` checkpoint in a directory (sorted by seq). */
export function loadCheckpoints(path: string): LoadedCheckpoint[] {
  let files: string[];
  try {
    files = statSync(path).isDirectory()
      ? readdirSync(path)
          .filter((n) => n.endsWith(".json"))
          .map((n) => join(path, n))
      : [path];
  } catch (err) {
    const why = (err as NodeJS.ErrnoException).code ?? "unreadable";
    throw new LeakstopError("LS_IO", `--anchor: cannot read ${path} (${why})`, { cause: err });
  }
  if (files.length === 0) throw new LeakstopError("LS_AUDIT_ANCHOR_INVALID", `--anchor: no checkpoint in ${path}`);
  const loaded = files.map((file) => {
    let text: string;
    try {
      text = readFileSync(file, "utf8");
    } catch (err) {
      throw new LeakstopError("LS_IO", `--anchor: cannot read ${file}`, { cause: err });
    }
    return { file, checkpoint: parseCheckpoint(text, file) };
  });
  return loaded.sort((a, b) => a.checkpoint.seq - b.checkpoint.seq);
}

/** The JSON text of a checkpoint file. */
export function checkpointText(c: Checkpoint): string {
  return `${JSON.stringify(c, null, 2)}\n`;
}

/** Writes a checkpoint into `dir` atomically (temp file + rename); returns the file's path. */
export function writeCheckpointFile(dir: string, c: Checkpoint): string {
  mkdirSync(dir, { recursive: true });
  const stamp = c.time.replace(/[:.]/g, "-");
  const file = join(dir, `checkpoint-${String(c.seq).padStart(12, "0")}-${stamp}.json`);
  const tmp = `${file}.tmp`;
  writeFileSync(tmp, checkpointText(c), { mode: 0o644 });
  renameSync(tmp, file);
  return file;
}
