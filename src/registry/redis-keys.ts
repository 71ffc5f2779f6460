/**
 * Redis key names of the registry. On one Redis: `<ns>:key:{<keyHash>}` and so on (names
 * unchanged since 0.1). On a Cluster every name starts with the hash tag `{<ns>}` (Redis hashes
 * the first tag only), so a state change (record + indexes + audit chain in one Lua script)
 * stays in one slot: see redis/cluster.ts and docs/deploy.md for the trade-off.
 */
import { auditKeys } from "../audit/audit-keys.js";
import { keyPrefix } from "../redis/cluster.js";

/** The default namespace prefix of every registry key. */
export const DEFAULT_NAMESPACE = "leakstop";

/** Key names for one namespace. */
export interface RegistryKeys {
  record(keyHash: string): string;
  rateLimit(keyHash: string): string;
  /** FindingIds already recorded for a key (the revocation pipeline's repeat dedupe). */
  leakFindings(keyHash: string): string;
  idToHash(id: string): string;
  createdIndex: string;
  ownerIndex(ownerId: string): string;
  endIndex: string;
  adminIndex: string;
  auditLog: string;
  auditHead: string;
}

/** Key names under `namespace` (default "leakstop"); `cluster` puts them all under one hash tag. */
export function registryKeys(namespace: string = DEFAULT_NAMESPACE, cluster = false): RegistryKeys {
  const ns = keyPrefix(namespace, cluster);
  const audit = auditKeys(namespace, cluster);
  return {
    record: (keyHash) => `${ns}:key:{${keyHash}}`,
    rateLimit: (keyHash) => `${ns}:key:{${keyHash}}:rl`,
    leakFindings: (keyHash) => `${ns}:key:{${keyHash}}:findings`,
    idToHash: (id) => `${ns}:id:${id}`,
    createdIndex: `${ns}:idx:created`,
    ownerIndex: (ownerId) => `${ns}:idx:owner:${ownerId}`,
    endIndex: `${ns}:idx:ends`,
    adminIndex: `${ns}:idx:admin`,
    auditLog: audit.log,
    auditHead: audit.head,
  };
}
