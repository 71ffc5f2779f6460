/**
 * The findings-queue processor (SPEC §7): registry match by secretHash → own active key revoked
 * with its audit entry → the owner's notifications; a third-party secret with a revoker (and its
 * sealed secret) → the provider-revoke queue; without one → an alert to the security contact (with
 * no contact configured the job is kept failed, as the provider-revoke queue does); an own-format
 * key the registry does not know → counted, nothing else.
 *
 * Every step may run again (BullMQ delivers at least once; a worker can die anywhere): the revoke
 * is once per key (revoke.lua), and every job enqueued here has a deterministic id, so a rerun
 * enqueues nothing new.
 */
import { type Job, UnrecoverableError } from "bullmq";
import { enqueueNotify, type JobAdder } from "../notify/notify-queue.js";
import type { FindingJob, NotifyJob, ProviderRevokeJob } from "../queue/jobs.js";
import type { Registry } from "../registry/index.js";
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

/** Acts on one finding. Safe to run any number of times for the same finding. */
export async function handleFinding(finding: FindingJob, deps: FindingDeps): Promise<FindingResult> {
  const own = await revokeOwnKey(deps.registry, finding);
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

function record(deps: FindingDeps, job: Job<FindingJob>, result: FindingResult, doneMs: number): void {
  const m = deps.metrics;
  m?.findings.inc({ outcome: result.outcome });
  if (result.outcome === "revoked") {
    m?.revocations.inc();
    m?.revokeLatency.observe({ from: "enqueued" }, Math.max(0, doneMs - job.timestamp) / 1000);
    const detected = Date.parse(job.data.detectedAt);
    if (!Number.isNaN(detected)) m?.revokeLatency.observe({ from: "detected" }, Math.max(0, doneMs - detected) / 1000);
  }
  for (const id of result.jobs) m?.enqueued.inc({ kind: id.slice(0, id.indexOf(":")) });
  const fields = logFields(job.data, result);
  if (result.outcome === "revoked" || result.outcome === "security-alert") deps.log?.info(fields, "finding");
  else if (result.outcome === "unrevocable-no-contact") {
    deps.log?.warn(fields, "finding not revocable and LEAKSTOP_SECURITY_CONTACT is not set");
  } else deps.log?.debug(fields, "finding");
}

/** The processor for `new Worker(FINDINGS_QUEUE, findingProcessor(deps), ...)`. */
export function findingProcessor(deps: FindingDeps): (job: Job<FindingJob>) => Promise<FindingResult> {
  return async (job) => {
    const problem = findingJobProblem(job.data);
    if (problem !== null) {
      deps.metrics?.findings.inc({ outcome: "invalid" });
      deps.log?.error({ jobId: job.id, problem }, "finding job refused");
      // Failed for good and kept (failed jobs are not removed), so it can be looked at.
      throw new UnrecoverableError(`finding job refused: ${problem}`);
    }
    const result = await handleFinding(job.data, deps);
    record(deps, job, result, Date.now());
    if (result.outcome === "unrevocable-no-contact") {
      // As on the provider-revoke queue: nobody to raise it to, so the job is kept failed, never dropped.
      throw new UnrecoverableError(
        "LS_CONFIG_INVALID: LEAKSTOP_SECURITY_CONTACT is not set; cannot raise a third-party secret nothing can revoke",
      );
    }
    return result;
  };
}
