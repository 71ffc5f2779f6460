/**
 * Third-party revokers by name: the value of ProviderRevokeJob.revoker. Add a provider by writing
 * providers/<name>.ts and one line here.
 */
import { LeakstopError } from "../../lib/errors.js";
import { readSealKeyFile, unseal } from "../../lib/sealed-box.js";
import type { SealedSecret } from "../../queue/jobs.js";
import { createGitHubRevoker } from "./github.js";
import type { ProviderRevoker } from "./provider-revoker.js";

/** Revokers by name. */
export type RevokerRegistry = ReadonlyMap<string, ProviderRevoker>;

/** Every revoker, configured from the environment (GITHUB_API_URL, GITHUB_TOKEN). */
export function providerRevokersFromEnv(env: NodeJS.ProcessEnv = process.env): RevokerRegistry {
  const apiUrl = env.GITHUB_API_URL || undefined;
  if (apiUrl !== undefined) {
    let url: URL | null = null;
    try {
      url = new URL(apiUrl);
    } catch {}
    if (!url || (url.protocol !== "https:" && url.protocol !== "http:") || url.username || url.password) {
      throw new LeakstopError("LS_CONFIG_INVALID", "GITHUB_API_URL must be an http(s) URL without credentials");
    }
  }
  return revokerRegistry([createGitHubRevoker({ apiUrl, token: env.GITHUB_TOKEN || null })]);
}

/**
 * Opens sealed secrets with the private key in LEAKSTOP_REPORT_PRIVATE_KEY (a PEM file), read
 * once. Throws LS_CONFIG_INVALID when unset, LS_REPORT_KEY_INVALID when unreadable.
 */
export function unsealerFromEnv(env: NodeJS.ProcessEnv = process.env): (box: SealedSecret) => string {
  const path = env.LEAKSTOP_REPORT_PRIVATE_KEY;
  if (!path) {
    throw new LeakstopError(
      "LS_CONFIG_INVALID",
      "LEAKSTOP_REPORT_PRIVATE_KEY is not set: third-party secrets cannot be opened for their revokers",
    );
  }
  const key = readSealKeyFile(path, "private");
  return (box) => unseal(box, key);
}

/** A registry of the given revokers (tests pass their own). */
export function revokerRegistry(revokers: readonly ProviderRevoker[]): RevokerRegistry {
  return new Map(revokers.map((r) => [r.name, r]));
}

/** The registered revoker that can revoke secrets of this rule, if any. */
export function revokerForRule(registry: RevokerRegistry, ruleId: string): ProviderRevoker | undefined {
  for (const r of registry.values()) if (r.handles(ruleId)) return r;
  return undefined;
}
