/**
 * Names of the pipeline's BullMQ queues and the prefix they live under. The prefix carries a
 * Redis Cluster hash tag, so every key of every queue lands in one slot and BullMQ's multi-key
 * scripts run on a cluster as they do on one Redis.
 */

/** Findings reported by scans, the Action, the hook, org scans and the partner endpoint. */
export const FINDINGS_QUEUE = "findings";
/** Owner notifications and security-contact alerts (webhook or e-mail), retried with backoff. */
export const NOTIFY_QUEUE = "notify";
/** Third-party secrets handed to a provider's revocation API. */
export const PROVIDER_REVOKE_QUEUE = "provider-revoke";
/** Notifications that failed every retry: kept until replayed, never dropped. */
export const DEAD_LETTER_QUEUE = "dead-letters";
/** Scheduled org-wide scans: one job per repository. */
export const ORG_SCAN_QUEUE = "org-scan";

/** The BullMQ `prefix` for a namespace (default "leakstop"): `{leakstop}:q`. */
export function queuePrefix(namespace = "leakstop"): string {
  return `{${namespace}}:q`;
}

/** Events kept per queue's event stream (BullMQ's default: 10,000); leakstop reads none back, only operators might. */
export const QUEUE_EVENTS_KEPT = 1000;
