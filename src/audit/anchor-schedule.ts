/**
 * The server's scheduled checkpoints (`leakstop server --anchor-dir DIR
 * --anchor-every 1h`): each tick checks the entries appended since the last
 * checkpoint (they chain on from it and carry the audit key's signature), then
 * writes a signed checkpoint of the head into DIR. A chain that does not check
 * out gets no checkpoint: blessing it would hide the damage.
 */
import type { AuditLog } from "./audit-log.js";
import { type Checkpoint, makeCheckpoint, writeCheckpointFile } from "./checkpoint.js";
import { entryHash, entrySigningText, parseStoredEntry } from "./entry.js";
import { type AuditSigner, verifierFor } from "./signing.js";

/** Options of {@link startAnchorSchedule}. */
export interface AnchorScheduleOptions {
  dir: string;
  everyMs: number;
  signer: AuditSigner | null;
  /** Told about each file written. */
  onWrite?: (file: string, checkpoint: Checkpoint) => void;
  /** Told when a tick fails (Redis away, or the chain does not check out); the next tick tries again. */
  onError?: (err: unknown) => void;
}

/** Why the entries since the last checkpoint do not check out, or null when they do. */
async function problemSince(log: AuditLog, last: Checkpoint, head: { seq: number }, signer: AuditSigner | null) {
  const verifier = signer ? verifierFor(signer.publicKey) : null;
  const raws = await log.range(last.seq - 1, head.seq - 1);
  let prev: string | null = null;
  for (const [i, raw] of raws.entries()) {
    const seq = last.seq + i;
    const parsed = parseStoredEntry(raw);
    if (
      !parsed ||
      parsed.entry.seq !== seq ||
      entryHash(parsed.entry.prevHash, seq, parsed.payload) !== parsed.entry.hash
    ) {
      return `entry #${seq} does not chain`;
    }
    if (i === 0) {
      if (parsed.entry.hash !== last.hash) return `entry #${seq} no longer has the hash of the last checkpoint`;
    } else {
      if (parsed.entry.prevHash !== prev) return `entry #${seq} does not link to the one before`;
      const s = parsed.signed;
      if (verifier && !(s && verifier.verify(entrySigningText(s.text), s.sig))) {
        return `entry #${seq} (${parsed.entry.id}) is not signed by the audit key`;
      }
    }
    prev = parsed.entry.hash;
  }
  return raws.length === head.seq - last.seq + 1 ? null : "entries are missing";
}

/**
 * Writes a checkpoint now and every `everyMs`; the timer does not keep the process alive.
 * `tick()` runs one round now (and waits for it); `stop()` waits for a round in progress.
 */
export function startAnchorSchedule(
  log: AuditLog,
  opts: AnchorScheduleOptions,
): { tick(): Promise<void>; stop(): Promise<void> } {
  let last: Checkpoint | null = null;
  let running: Promise<void> | null = null;
  const tick = async () => {
    const head = await log.head();
    const seq = head?.seq ?? 0;
    if (last && last.seq === seq) return;
    const checkpoint = makeCheckpoint(head, { namespace: log.namespace, signer: opts.signer });
    let problem: string | null;
    if (last && seq < last.seq) problem = `the chain shrank from ${last.seq} to ${seq} entries`;
    else if (last && last.seq > 0 && seq > last.seq && head) problem = await problemSince(log, last, head, opts.signer);
    else {
      // First checkpoint of this process (or the chain shrank): check the whole chain up to this head.
      // Unsigned here, so the new checkpoint cannot vouch for unsigned entries itself.
      const self = [{ file: "(head)", checkpoint: { ...checkpoint, sig: undefined } }];
      const verifier = opts.signer ? verifierFor(opts.signer.publicKey) : null;
      const result = await log.verify({ verifier, anchors: self });
      problem = result.ok ? null : `${result.problem} at entry #${result.index + 1}`;
    }
    if (problem) throw new Error(`audit chain does not check out, no checkpoint written: ${problem}`);
    const file = writeCheckpointFile(opts.dir, checkpoint);
    opts.onWrite?.(file, checkpoint);
    last = checkpoint;
  };
  const run = (): Promise<void> => {
    running ??= tick()
      .catch((err: unknown) => opts.onError?.(err))
      .finally(() => {
        running = null;
      });
    return running;
  };
  void run();
  const timer = setInterval(run, opts.everyMs);
  timer.unref();
  return {
    tick: run,
    async stop() {
      clearInterval(timer);
      await running;
    },
  };
}
