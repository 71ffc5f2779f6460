/**
 * Third-party revokers by name: the value of ProviderRevokeJob.revoker. Add a provider by writing
 * providers/<name>.ts and one line here.
 */
import { loadServiceConfig, type ServiceConfig, serviceConfig } from "../../config/service-config.js";
import { LeakstopError } from "../../lib/errors.js";
import { readSealKeyFile, unseal } from "../../lib/sealed-box.js";
import type { SealedSecret } from "../../queue/jobs.js";
import { createGitHubRevoker } from "./github.js";
import type { ProviderRevoker } from "./provider-revoker.js";

/** Revokers by name. */
export type RevokerRegistry = ReadonlyMap<string, ProviderRevoker>;

function configFrom(env: NodeJS.ProcessEnv): ServiceConfig {
  return env === process.env ? serviceConfig() : loadServiceConfig({ env });
}

/** Every revoker, configured from the service config ([github] apiUrl/token: GITHUB_API_URL, GITHUB_TOKEN). */
export function providerRevokersFromConfig(config: ServiceConfig = serviceConfig()): RevokerRegistry {
  const apiUrl = config.github.apiUrl;
  if (/^[a-z]+:\/\/[^/]*@/i.test(apiUrl)) {
    throw new LeakstopError(
      "LS_CONFIG_INVALID",
      "GITHUB_API_URL must not carry credentials (set GITHUB_TOKEN instead)",
    );
  }
  return revokerRegistry([createGitHubRevoker({ apiUrl, token: config.github.token ?? null })]);
}

/** {@link providerRevokersFromConfig} for an environment (process.env: the installed service config). */
export function providerRevokersFromEnv(env: NodeJS.ProcessEnv = process.env): RevokerRegistry {
  return providerRevokersFromConfig(configFrom(env));
}

/**
 * Opens sealed secrets with the report private key ([report] privateKey,
 * LEAKSTOP_REPORT_PRIVATE_KEY: a PEM file), read once. Throws LS_CONFIG_INVALID when unset,
 * LS_REPORT_KEY_INVALID when unreadable.
 */
export function unsealerFromEnv(env: NodeJS.ProcessEnv = process.env): (box: SealedSecret) => string {
  const path = configFrom(env).report.privateKey;
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
