/**
 * What a Registry is configured with, resolved once in its constructor: the issuer prefix, the
 * key names, the clock, the webhook allow-list, the audit signer, the free-text screen and the
 * idempotency store (with its sealer). Options win; the service config and env fill the rest.
 */
import { type AuditSigner, signerFromEnv } from "../audit/signing.js";
import { serviceConfig } from "../config/service-config.js";
import { isValidIssuer } from "../keyformat/key-format.js";
import { LeakstopError } from "../lib/errors.js";
import { configuredWebhookAllow, type WebhookAllow } from "../notify/webhook-url.js";
import { isClusterClient, keyPrefix, type RedisClient } from "../redis/cluster.js";
import type { SecretScreen } from "./free-text.js";
import { IdempotencyStore } from "./idempotency.js";
import { DEFAULT_NAMESPACE, type RegistryKeys, registryKeys } from "./redis-keys.js";
import { sealerFromEnv } from "./seal.js";
import type { RegistryOptions } from "./types.js";

/** The issuer prefix: the option, else the service config's (LEAKSTOP_ISSUER, default "lsk"); LS_CONFIG_INVALID when malformed. */
export function resolveIssuer(issuer?: string): string {
  const chosen = issuer ?? serviceConfig().registry.issuer;
  if (!isValidIssuer(chosen)) {
    throw new LeakstopError("LS_CONFIG_INVALID", "LEAKSTOP_ISSUER must be 2-10 lowercase letters or digits");
  }
  return chosen;
}

/** A Registry's resolved settings. */
export interface RegistrySettings {
  issuer: string;
  keys: RegistryKeys;
  now: () => number;
  webhookAllow: WebhookAllow;
  /** Signs every audit entry this process appends; the private key stays here, never in Redis. */
  signer: AuditSigner | null;
  screen: SecretScreen | null;
  idempotency: IdempotencyStore;
}

/** Resolves `opts` against the service config and env (defaults as documented on RegistryOptions). */
export function resolveRegistrySettings(redis: RedisClient, opts: RegistryOptions): RegistrySettings {
  const namespace = opts.namespace ?? DEFAULT_NAMESPACE;
  const cluster = isClusterClient(redis);
  const signer = opts.auditSigner === undefined ? signerFromEnv() : opts.auditSigner;
  // The idempotency record takes the registry's prefix: on a Cluster `{ns}`, the slot of the keys it is written with.
  const sealer = opts.sealer ?? sealerFromEnv(process.env, signer);
  return {
    issuer: resolveIssuer(opts.issuer),
    keys: registryKeys(namespace, cluster),
    now: opts.now ?? Date.now,
    webhookAllow: opts.webhookAllow ?? configuredWebhookAllow(),
    signer,
    screen: opts.screen ?? null,
    idempotency: new IdempotencyStore(redis, keyPrefix(namespace, cluster), sealer),
  };
}
