/**
 * The notifications a finding leads to: the owner's webhook and/or e-mail when their key was
 * revoked (eventId = the revocation's audit entry id), or the security contact when a
 * third-party secret cannot be revoked (eventId = the findingId). Pure builders: the same
 * inputs give the same jobs, so a retried finding enqueues the same job ids.
 */
import { type FindingJob, JOB_SCHEMA_VERSION, type NotifyJob } from "../queue/jobs.js";
import type { KeyRecord } from "../registry/types.js";
import { contactChannel } from "../revoke/providers/provider-revoke-processor.js";

/** One NotifyJob per contact the key's owner registered (webhook, e-mail); none when they gave neither. */
export function ownerNotifyJobs(
  record: Pick<KeyRecord, "id" | "hint" | "owner">,
  finding: FindingJob,
  revocation: { eventId: string; revokedAt: string },
): NotifyJob[] {
  const base: Omit<NotifyJob, "channel" | "to"> = {
    v: JOB_SCHEMA_VERSION,
    kind: "key-revoked",
    eventId: revocation.eventId,
    keyId: record.id,
    hint: record.hint,
    ownerId: record.owner.id,
    ruleId: finding.ruleId,
    provider: finding.provider,
    location: finding.location,
    detectedAt: finding.detectedAt,
    actedAt: revocation.revokedAt,
    action: "revoked",
  };
  const jobs: NotifyJob[] = [];
  if (record.owner.webhook) jobs.push({ ...base, channel: "webhook", to: record.owner.webhook });
  if (record.owner.email) jobs.push({ ...base, channel: "email", to: record.owner.email });
  return jobs;
}

/** The security contact's alert about a third-party secret nothing can revoke. */
export function securityAlertJob(finding: FindingJob, contact: string, why: string, now: Date): NotifyJob {
  return {
    v: JOB_SCHEMA_VERSION,
    kind: "security-alert",
    eventId: finding.findingId,
    channel: contactChannel(contact),
    to: contact,
    ruleId: finding.ruleId,
    provider: finding.provider,
    location: finding.location,
    detectedAt: finding.detectedAt,
    actedAt: now.toISOString(),
    action: `not revocable: ${why}; raised to the security contact`,
  };
}
