/**
 * The key registry's public surface (SPEC §6-§7), for the CLI, the HTTP server
 * and the revocation pipeline. Import from here, not from the files behind it.
 */
export { AuditLog } from "../audit/audit-log.js";
export type { AuditEntry, AuditVerifyResult } from "../audit/types.js";
export { startExpirySweep } from "./expiry.js";
export {
  type CallerVerifyResult,
  type FoundKey,
  keyNotFoundMessage,
  Registry,
  type RevokeFoundResult,
  resolveIssuer,
} from "./registry.js";
export type {
  CreateKeyInput,
  KeyOwner,
  KeyRecord,
  KeyStatus,
  ListFilter,
  RegistryOptions,
  Role,
  Scope,
  VerifyFailure,
  VerifyResult,
} from "./types.js";
export { isAdminScopes, ROLE_SCOPES, SCOPES } from "./types.js";
