/**
 * The report use case: findings → jobs → the server or Redis; while neither answers, the spool.
 * Each run first delivers what earlier runs spooled (oldest first), so nothing waits longer than
 * the next report. A spool file is deleted only once its jobs were acknowledged; a resend has no
 * second effect because the job id is the findingId.
 */
import type { KeyObject } from "node:crypto";
import type { Finding } from "../findings/finding.js";
import { isLeakstopError } from "../lib/errors.js";
import { loadSealPublicKey, readSealKeyFile } from "../lib/sealed-box.js";
import type { FindingJob } from "../queue/jobs.js";
import { type Reporter, toFindingJobs } from "./finding-job.js";
import type { ReportOptions } from "./options.js";
import { fetchReportKey, Rejected, Unreachable } from "./server-client.js";
import { openSink, type Sink, targetName } from "./sinks.js";
import { listSpool, readSpool, removeSpool, setAside, writeSpool } from "./spool.js";

/** What a report or flush did. */
export interface ReportOutcome {
  /** Where the jobs went (no credentials), or would have gone. */
  target: string;
  /** Jobs added to the queue now, and jobs already there (a resend). */
  added: number;
  duplicates: number;
  /** Spool files delivered (and deleted) first. */
  flushedFiles: number;
  /** Spool files still waiting (unreadable ones included), in `spoolDir`. */
  pendingFiles: number;
  spoolDir: string;
  /** Set when this run's findings went to the spool: the file, and why. */
  spooled?: { file: string; jobs: number; reason: string };
  /** Revocable secrets reported without a seal (no report public key). */
  unsealed: number;
  /** Set when the target did not answer (why, one line). */
  unreachable?: string;
  /** One-line warnings (an unreadable spool file). */
  warnings: string[];
}

async function resolveSealKey(opts: ReportOptions): Promise<KeyObject | null> {
  if (opts.publicKeyPath) return readSealKeyFile(opts.publicKeyPath, "public");
  if (!opts.server) return null;
  try {
    const pem = await fetchReportKey(opts.server.url);
    return pem === null ? null : loadSealPublicKey(pem, "the server's report key");
  } catch (err) {
    if (err instanceof Unreachable) return null;
    throw err;
  }
}

/** Delivers the spooled batches, oldest first; stops at the first that cannot be delivered. */
async function deliverSpool(sink: Sink, dir: string, outcome: ReportOutcome): Promise<void> {
  for (const file of listSpool(dir)) {
    let jobs: FindingJob[];
    try {
      jobs = readSpool(file);
    } catch (err) {
      if (!isLeakstopError(err)) throw err;
      outcome.warnings.push(err.message);
      continue;
    }
    try {
      const r = await sink.send(jobs);
      outcome.added += r.added;
      outcome.duplicates += r.duplicates;
      removeSpool(file);
      outcome.flushedFiles++;
    } catch (err) {
      if (!(err instanceof Rejected)) throw err;
      outcome.warnings.push(`${err.message}; the spooled batch was set aside as ${setAside(file)}`);
    }
  }
}

async function deliver(jobs: FindingJob[], opts: ReportOptions, outcome: ReportOutcome): Promise<void> {
  let sink: Sink | null = null;
  try {
    sink = await openSink(opts);
    outcome.target = sink.where;
    await deliverSpool(sink, opts.spoolDir, outcome);
    if (jobs.length > 0) {
      const r = await sink.send(jobs);
      outcome.added += r.added;
      outcome.duplicates += r.duplicates;
    }
  } catch (err) {
    // Unreachable or refused: this run's jobs are kept on disk either way; nothing is lost.
    if (jobs.length > 0) {
      const reason = err instanceof Error ? err.message : String(err);
      const file = writeSpool(opts.spoolDir, jobs);
      // A batch the server finds malformed would fail every later flush: keep it, but aside.
      outcome.spooled = { file: err instanceof Rejected ? setAside(file) : file, jobs: jobs.length, reason };
    }
    if (!(err instanceof Unreachable)) throw err;
    outcome.unreachable = err.message;
  } finally {
    await sink?.close();
    outcome.pendingFiles = listSpool(opts.spoolDir).length;
  }
}

function emptyOutcome(opts: ReportOptions): ReportOutcome {
  return {
    target: targetName(opts),
    added: 0,
    duplicates: 0,
    flushedFiles: 0,
    pendingFiles: 0,
    spoolDir: opts.spoolDir,
    unsealed: 0,
    warnings: [],
  };
}

/**
 * Reports findings: builds their jobs (sealing the raw secrets of revocable rules to the report
 * key), delivers the spool and then them, or spools them when the target does not answer.
 * Throws LS_REPORT_REFUSED when the server says no (after spooling, so nothing is lost).
 */
export async function reportFindings(
  findings: readonly Finding[],
  rawSecrets: ReadonlyMap<string, string>,
  reporter: Reporter,
  opts: ReportOptions,
): Promise<ReportOutcome> {
  const outcome = emptyOutcome(opts);
  const sealTo = rawSecrets.size > 0 ? await resolveSealKey(opts) : null;
  const { jobs, unsealed } = toFindingJobs(findings, { reporter, sealTo, rawSecrets });
  outcome.unsealed = unsealed;
  await deliver(jobs, opts, outcome);
  return outcome;
}

/** `leakstop report --flush`: delivers the spool only. */
export async function flushSpool(opts: ReportOptions): Promise<ReportOutcome> {
  const outcome = emptyOutcome(opts);
  await deliver([], opts, outcome);
  return outcome;
}
