/**
 * Redis key names of the registry. A key's record and its rate-limit state share
 * one hash tag (`{<keyHash>}`), so the verify hot path touches a single slot
 * (Redis Cluster ready). State changes also write the indexes and the audit
 * chain, which live elsewhere: those scripts need a single Redis node.
 */
import { auditKeys } from "../audit/audit-keys.js";

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

/** Key names under `namespace` (default "leakstop"). */
export function registryKeys(namespace: string = DEFAULT_NAMESPACE): RegistryKeys {
  const ns = namespace;
  const audit = auditKeys(ns);
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
