/**
 * The findings-queue processor (SPEC §7): registry match by secretHash → own active key revoked
 * with its audit entry → the owner's notifications; a third-party secret with a revoker (and its
 * sealed secret) → the provider-revoke queue; without one → an alert to the security contact (with
 * no contact configured the job is kept failed, as the provider-revoke queue does); an own-format
 * key the registry does not know → counted, nothing else.
 *
 * Every step may run again (BullMQ delivers at least once; a worker can die anywhere): the revoke
 * is once per key (revoke.lua), and every job enqueued here has a deterministic id, so a rerun
 * enqueues nothing new. Producers send findings in batches (one job, many findings: BullMQ's cost
 * is per job); a batch's findings run at once, and the jobs they enqueue go out together.
 */
import { type Job, type JobsOptions, UnrecoverableError } from "bullmq";
import { enqueueNotify, type JobAdder } from "../notify/notify-queue.js";
import {
  FINDING_BATCH_JOB,
  type FindingBatchJob,
  type FindingJob,
  JOB_SCHEMA_VERSION,
  type NotifyJob,
  type ProviderRevokeJob,
} from "../queue/jobs.js";
import type { FoundKey, Registry } from "../registry/index.js";
import { describePlace, revokeOwnKey } from "../revoke/own-key.js";
import { enqueueProviderRevoke } from "../revoke/providers/provider-revoke-queue.js";
import { findingJobProblem } from "./finding-check.js";
import type { Logger } from "./log.js";
import type { WorkerMetrics } from "./metrics.js";
import { ownerNotifyJobs, securityAlertJob } from "./notify-jobs.js";

/** What happened to a finding (also the `outcome` label of leakstop_findings_total). */
export type FindingOutcome =
  | "revoked"
  | "revoked-retry"
  | "repeat"
  | "inactive"
  | "unknown-own-key"
  | "provider-revoke"
  | "security-alert"
  | "unrevocable-no-contact";

/** What {@link findingProcessor} needs. */
export interface FindingDeps {
  registry: Registry;
  notify: JobAdder<NotifyJob>;
  providerRevoke: JobAdder<ProviderRevokeJob>;
  /** The name of the revoker for a third-party rule, if one exists. */
  revokerFor: (ruleId: string) => string | undefined;
  /** LEAKSTOP_SECURITY_CONTACT: an e-mail address or a webhook URL. */
  securityContact?: string;
  log?: Logger;
  metrics?: WorkerMetrics;
  now?: () => Date;
}

/** What a processed finding job returns (kept with the completed job; ids only). */
export interface FindingResult {
  outcome: FindingOutcome;
  keyId?: string;
  eventId?: string;
  /** Ids of the jobs enqueued (already present ones included). */
  jobs: string[];
}

/**
 * Acts on one finding. Safe to run any number of times for the same finding. `known`: its key's
 * record as already read (a batch reads them all in one call), else it is read here.
 */
export async function handleFinding(
  finding: FindingJob,
  deps: FindingDeps,
  known?: FoundKey | null,
): Promise<FindingResult> {
  const own = await revokeOwnKey(deps.registry, finding, known);
  if (own.kind === "revoked") {
    const jobs: string[] = [];
    for (const n of ownerNotifyJobs(own.record, finding, own)) jobs.push(await enqueueNotify(deps.notify, n));
    if (jobs.length === 0) deps.log?.warn({ keyId: own.record.id }, "revoked key's owner has no webhook or e-mail");
    const outcome = own.fresh ? "revoked" : "revoked-retry";
    return { outcome, keyId: own.record.id, eventId: own.eventId, jobs };
  }
  if (own.kind !== "unknown") return { outcome: own.kind, keyId: own.record.id, jobs: [] };
  if (finding.provider === "leakstop") return { outcome: "unknown-own-key", jobs: [] };
  const revoker = deps.revokerFor(finding.ruleId);
  if (revoker && finding.sealedSecret) {
    const id = await enqueueProviderRevoke(deps.providerRevoke, {
      v: finding.v,
      findingId: finding.findingId,
      revoker,
      ruleId: finding.ruleId,
      provider: finding.provider,
      secretHash: finding.secretHash,
      sealedSecret: finding.sealedSecret,
      location: finding.location,
      detectedAt: finding.detectedAt,
    });
    return { outcome: "provider-revoke", jobs: [id] };
  }
  const contact = deps.securityContact?.trim();
  if (!contact) return { outcome: "unrevocable-no-contact", jobs: [] };
  const why = revoker ? "the report carried no sealed secret for its revoker" : `no revoker for ${finding.ruleId}`;
  const alert = securityAlertJob(finding, contact, why, deps.now?.() ?? new Date());
  return { outcome: "security-alert", jobs: [await enqueueNotify(deps.notify, alert)] };
}

/** Log fields of a finding: ids and the place, never the payload. */
function logFields(finding: FindingJob, result: FindingResult): Record<string, unknown> {
  return {
    findingId: finding.findingId,
    ruleId: /^[A-Za-z0-9._-]{1,100}$/.test(finding.ruleId) ? finding.ruleId : "(unusual rule id)",
    where: describePlace(finding.location).slice(0, 300),
    outcome: result.outcome,
    ...(result.keyId ? { keyId: result.keyId } : {}),
    ...(result.eventId ? { eventId: result.eventId } : {}),
  };
}

/** Metrics and the log line of one handled finding; `enqueuedMs`: when its job was added. */
function record(
  deps: FindingDeps,
  finding: FindingJob,
  enqueuedMs: number,
  result: FindingResult,
  doneMs: number,
): void {
  const m = deps.metrics;
  m?.findings.inc({ outcome: result.outcome });
  if (result.outcome === "revoked") {
    m?.revocations.inc();
    m?.revokeLatency.observe({ from: "enqueued" }, Math.max(0, doneMs - enqueuedMs) / 1000);
    const detected = Date.parse(finding.detectedAt);
    if (!Number.isNaN(detected)) m?.revokeLatency.observe({ from: "detected" }, Math.max(0, doneMs - detected) / 1000);
  }
  for (const id of result.jobs) m?.enqueued.inc({ kind: id.slice(0, id.indexOf(":")) });
  const fields = logFields(finding, result);
  if (result.outcome === "revoked" || result.outcome === "security-alert") deps.log?.info(fields, "finding");
  else if (result.outcome === "unrevocable-no-contact") {
    deps.log?.warn(fields, "finding not revocable and LEAKSTOP_SECURITY_CONTACT is not set");
  } else deps.log?.debug(fields, "finding");
}

const NO_CONTACT =
  "LS_CONFIG_INVALID: LEAKSTOP_SECURITY_CONTACT is not set; cannot raise a third-party secret nothing can revoke";

/** A refused payload: counted, logged by job id and reason (never its content), kept failed for a person. */
function refuse(deps: FindingDeps, jobId: string | undefined, problem: string): UnrecoverableError {
  deps.metrics?.findings.inc({ outcome: "invalid" });
  deps.log?.error({ jobId, problem }, "finding job refused");
  return new UnrecoverableError(`finding job refused: ${problem}`);
}

/** What a processed batch returns (kept with the completed job): how many findings, by outcome. */
export interface BatchResult {
  findings: number;
  outcomes: Partial<Record<FindingOutcome, number>>;
}

/** Largest batch a worker takes (producers send 100: queue/findings-queue.ts). */
export const MAX_BATCH = 1000;

/**
 * Collects the jobs a batch's findings enqueue, then adds them in one round trip per queue.
 * Each job keeps its deterministic id, so adding them again (a retried batch) adds nothing.
 */
class JobBuffer<T> implements JobAdder<T> {
  private readonly jobs: { name: string; data: T; opts?: JobsOptions }[] = [];

  async add(name: string, data: T, opts?: JobsOptions): Promise<unknown> {
    this.jobs.push({ name, data, opts });
    return undefined;
  }

  async flushTo(queue: JobAdder<T>): Promise<void> {
    if (this.jobs.length === 0) return;
    if (queue.addBulk) await queue.addBulk(this.jobs);
    else for (const j of this.jobs) await queue.add(j.name, j.data, j.opts);
  }
}

/**
 * Acts on every finding of a batch. A finding's effect happens once however often the batch runs
 * (see {@link handleFinding}); a step that failed fails the batch after the others finished, so
 * BullMQ retries it and the findings already done re-apply nothing. Refused findings and
 * unrevocable ones without a security contact keep the batch failed for a person
 * (`leakstop report failed`), once everything else in it was done.
 */
async function processBatch(job: Job<FindingBatchJob>, deps: FindingDeps): Promise<BatchResult> {
  const data: unknown = job.data;
  const list = isObject(data) ? data.findings : undefined;
  if (!isObject(data) || data.v !== JOB_SCHEMA_VERSION) {
    throw refuse(deps, job.id, `schema version ${isObject(data) && typeof data.v === "number" ? data.v : "?"}`);
  }
  if (!Array.isArray(list) || list.length === 0 || list.length > MAX_BATCH) {
    throw refuse(deps, job.id, `findings is not a list of 1-${MAX_BATCH}`);
  }
  const notify = new JobBuffer<NotifyJob>();
  const providerRevoke = new JobBuffer<ProviderRevokeJob>();
  const batchDeps: FindingDeps = { ...deps, notify, providerRevoke };
  const problems: string[] = [];
  const outcomes: Partial<Record<FindingOutcome, number>> = {};
  const valid: FindingJob[] = [];
  list.forEach((item: unknown, i) => {
    const problem = findingJobProblem(item);
    if (problem === null) valid.push(item as FindingJob);
    else {
      refuse(deps, job.id, `finding ${i}: ${problem}`);
      problems.push(`finding ${i}: ${problem}`);
    }
  });
  // Every key of the batch in one Redis call instead of one read per finding.
  const records = valid.length > 0 ? await deps.registry.getManyByHash(valid.map((f) => f.secretHash)) : [];
  const settled = await Promise.allSettled(
    valid.map(async (finding, i) => {
      const result = await handleFinding(finding, batchDeps, records[i]);
      record(deps, finding, job.timestamp, result, Date.now());
      outcomes[result.outcome] = (outcomes[result.outcome] ?? 0) + 1;
    }),
  );
  // The jobs of the findings done: enqueued before the batch can complete (or be retried).
  await notify.flushTo(deps.notify);
  await providerRevoke.flushTo(deps.providerRevoke);
  const failed = settled.find((r): r is PromiseRejectedResult => r.status === "rejected");
  if (failed) throw failed.reason;
  if (problems.length > 0) throw new UnrecoverableError(`finding job refused: ${problems.slice(0, 3).join("; ")}`);
  if (outcomes["unrevocable-no-contact"]) throw new UnrecoverableError(NO_CONTACT);
  return { findings: list.length, outcomes };
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/** The processor for `new Worker(FINDINGS_QUEUE, findingProcessor(deps), ...)`: single findings and batches. */
export function findingProcessor(
  deps: FindingDeps,
): (job: Job<FindingJob | FindingBatchJob>) => Promise<FindingResult | BatchResult> {
  return async (job) => {
    if (job.name === FINDING_BATCH_JOB) return processBatch(job as Job<FindingBatchJob>, deps);
    const problem = findingJobProblem(job.data);
    // Failed for good and kept (failed jobs are not removed), so it can be looked at.
    if (problem !== null) throw refuse(deps, job.id, problem);
    const data = job.data as FindingJob;
    const result = await handleFinding(data, deps);
    record(deps, data, job.timestamp, result, Date.now());
    // As on the provider-revoke queue: nobody to raise it to, so the job is kept failed, never dropped.
    if (result.outcome === "unrevocable-no-contact") throw new UnrecoverableError(NO_CONTACT);
    return result;
  };
}
