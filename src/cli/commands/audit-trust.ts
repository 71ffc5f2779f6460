/**
 * The signed side of `leakstop audit`: verify (chain, signatures, anchors),
 * anchor (write a signed checkpoint to keep outside Redis) and keygen.
 */

import { existsSync, writeFileSync } from "node:fs";
import type { AuditLog } from "../../audit/audit-log.js";
import { checkpointText, type LoadedCheckpoint, loadCheckpoints, makeCheckpoint } from "../../audit/checkpoint.js";
import { type AuditSigner, type AuditVerifier, generateAuditKeyPair, verifierFor } from "../../audit/signing.js";
import { auditVerifierFrom, describeProblem } from "../../audit/verify-report.js";
import { LeakstopError } from "../../lib/errors.js";

/** The public key to check signatures with: --public-key > LEAKSTOP_AUDIT_PUBLIC_KEY > the key of LEAKSTOP_AUDIT_KEY. */
export const resolveVerifier = auditVerifierFrom;

const short = (hash: string) => `${hash.slice(0, 16)}…`;

/** `audit verify`: exit 0 when intact, else LS_AUDIT_BROKEN naming what was found. */
export async function verifyCommand(
  log: AuditLog,
  opts: { json: boolean; verifier: AuditVerifier | null; anchors: LoadedCheckpoint[] },
): Promise<number> {
  const head = await log.head();
  const result = await log.verify({ verifier: opts.verifier, anchors: opts.anchors });
  const summary = {
    signatures: opts.verifier ? `checked (key ${opts.verifier.keyId})` : "not checked (no public key)",
    anchors: opts.anchors.length,
  };
  if (opts.json) {
    process.stdout.write(`${JSON.stringify({ ...result, ...summary })}\n`);
    return result.ok ? 0 : 1;
  }
  if (!result.ok)
    throw new LeakstopError("LS_AUDIT_BROKEN", `audit trail broken: ${describeProblem(result, opts.anchors)}`);
  // The head hash is worth writing down elsewhere (audit anchor does): a rebuilt chain would not end in it.
  const tip = head ? ` (head: seq ${head.seq}, hash ${head.hash})` : "";
  const last = opts.anchors.at(-1)?.checkpoint;
  const anchored = last
    ? `${opts.anchors.length} anchor(s) matched, latest seq ${last.seq} of ${last.time}`
    : "no anchor given";
  process.stdout.write(`audit trail intact: ${result.count} entries${tip}\n`);
  process.stdout.write(`signatures ${summary.signatures}; ${anchored}\n`);
  // Say what this run could not prove (README: threat model).
  if (!opts.verifier) {
    process.stderr.write(
      "leakstop: note: signatures not checked (no --public-key): entries forged by someone with Redis write access also pass\n",
    );
  }
  if (!last) {
    process.stderr.write(
      "leakstop: note: no --anchor: a chain truncated, deleted or rebuilt by someone with Redis write access also passes\n",
    );
  }
  return 0;
}

/** `audit anchor`: verifies the chain, then writes a checkpoint of its head (signed with LEAKSTOP_AUDIT_KEY). */
export async function anchorCommand(
  log: AuditLog,
  signer: AuditSigner | null,
  opts: { output: string | undefined; acceptUnsigned: boolean },
): Promise<number> {
  const { output } = opts;
  const head = await log.head();
  const checkpoint = makeCheckpoint(head, { namespace: log.namespace, signer });
  // Anchoring a chain that is already broken would bless the damage: check it first, up to this head.
  // The new checkpoint goes in unsigned, so it cannot vouch for unsigned entries itself.
  const self = [{ file: "(the head just read)", checkpoint: { ...checkpoint, sig: undefined } }];
  const checkSigs = signer && !opts.acceptUnsigned;
  const result = await log.verify({ verifier: checkSigs ? verifierFor(signer.publicKey) : null, anchors: self });
  if (!result.ok) {
    throw new LeakstopError("LS_AUDIT_BROKEN", `audit anchor refused: ${describeProblem(result, self)}`);
  }
  const text = checkpointText(checkpoint);
  if (output === undefined) process.stdout.write(text);
  else writeNew(output, text, 0o644, false);
  const signed = signer ? `signed with key ${signer.keyId}` : "UNSIGNED (set LEAKSTOP_AUDIT_KEY to sign it)";
  process.stderr.write(
    `leakstop: checkpoint of ${checkpoint.seq} entries (head ${short(checkpoint.hash)}) ${signed}${output ? ` written to ${output}` : ""}; keep it outside Redis\n`,
  );
  return 0;
}

function writeNew(path: string, text: string, mode: number, exclusive: boolean): void {
  try {
    writeFileSync(path, text, { mode, flag: exclusive ? "wx" : "w" });
  } catch (err) {
    const why =
      (err as NodeJS.ErrnoException).code === "EEXIST" ? "it exists (not overwritten)" : (err as Error).message;
    throw new LeakstopError("LS_IO", `cannot write ${path}: ${why}`, { cause: err });
  }
}

/** `audit keygen --output FILE`: a new Ed25519 key pair, FILE (private, mode 0600) and FILE.pub. */
export function keygenCommand(output: string | undefined): number {
  if (output === undefined)
    throw new LeakstopError("LS_USAGE", "audit keygen: --output FILE is required (the private key is never printed)");
  const pub = `${output}.pub`;
  if (existsSync(pub)) throw new LeakstopError("LS_IO", `cannot write ${pub}: it exists (not overwritten)`);
  const pair = generateAuditKeyPair();
  writeNew(output, pair.privatePem, 0o600, true);
  writeNew(pub, pair.publicPem, 0o644, true);
  process.stdout.write(
    `audit key ${pair.keyId}: private key ${output} (mode 0600; set LEAKSTOP_AUDIT_KEY=${output} where entries are written), public key ${pub} (for audit verify --public-key)\n`,
  );
  return 0;
}

/** Loads --anchor (a file or a directory of checkpoints), or nothing. */
export function resolveAnchors(path: string | undefined): LoadedCheckpoint[] {
  return path === undefined ? [] : loadCheckpoints(path);
}
