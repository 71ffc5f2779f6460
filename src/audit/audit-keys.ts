/** Redis key names of the audit chain, under the same namespace as the registry. */

/** The list of entries and the chain's tip (seq, hash). */
export interface AuditKeys {
  log: string;
  head: string;
}

/** Key names under `namespace` (default "leakstop"). */
export function auditKeys(namespace = "leakstop"): AuditKeys {
  return { log: `${namespace}:audit:log`, head: `${namespace}:audit:head` };
}
