/**
 * A third-party revoker: hands a leaked secret to its provider's revocation API. One file per
 * provider in this folder (github.ts, ...), registered by name.
 */

/** What a provider said. */
export interface ProviderRevokeOutcome {
  /** "revoked": the provider accepted it; "rejected": it refused or did not know the token; "failed": try again later. */
  outcome: "revoked" | "rejected" | "failed";
  /** One line for logs and the notification, never containing the secret. */
  detail: string;
}

export interface ProviderRevoker {
  /** Stable name, used in ProviderRevokeJob.revoker and config. */
  readonly name: string;
  /** True for the detector rule ids whose secrets this revoker can revoke. */
  handles(ruleId: string): boolean;
  /** Revokes `secret` (already unsealed; keep it in memory only for this call). */
  revoke(secret: string, ruleId: string): Promise<ProviderRevokeOutcome>;
}
