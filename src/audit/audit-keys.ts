import { keyPrefix } from "../redis/cluster.js";
/** Redis key names of the audit chain, under the same namespace as the registry. */

/** The list of entries and the chain's tip (seq, hash). */
export interface AuditKeys {
  log: string;
  head: string;
}

/** Key names under `namespace` (default "leakstop"); on a Cluster under the registry's hash tag `{namespace}`. */
export function auditKeys(namespace = "leakstop", cluster = false): AuditKeys {
  const ns = keyPrefix(namespace, cluster);
  return { log: `${ns}:audit:log`, head: `${ns}:audit:head` };
}
