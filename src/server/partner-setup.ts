/**
 * Turns the GitHub partner endpoint on from the service config ([partner] keysFile or github = true,
 * or LEAKSTOP_GITHUB_PARTNER_KEYS / LEAKSTOP_GITHUB_PARTNER=on): the
 * key set and the route, whose jobs go to the findings queue on the server's Redis (report's
 * enqueueFindings: jobId = findingId, a resend is no new job). BullMQ loads only when it is on.
 */
import type { FastifyInstance } from "fastify";
import { loadServiceConfig, serviceConfig } from "../config/service-config.js";
import { normalizeApiUrl } from "../github/client.js";
import { PartnerKeySet, type PartnerKeySource } from "../github/partner-keys.js";
import type { RedisClient } from "../redis/cluster.js";
import type { Registry } from "../registry/index.js";
import { githubPartnerRoute } from "./routes/github-partner.js";

/** The route to register, or null when the endpoint is off. */
export interface PartnerSetup {
  route: (app: FastifyInstance) => void;
  /** Where GitHub's keys come from, for the start-up line. */
  describe: string;
}

export async function partnerSetupFromEnv(
  env: NodeJS.ProcessEnv,
  redis: RedisClient,
  registry: Pick<Registry, "getByHash">,
): Promise<PartnerSetup | null> {
  // [partner] / [github] in the service config file, or their variables (another env object: tests).
  const config = env === process.env ? serviceConfig() : loadServiceConfig({ env });
  const apiUrl = normalizeApiUrl(config.github.apiUrl, "GITHUB_API_URL");
  const source: PartnerKeySource | null = config.partner.keysFile
    ? { kind: "file", path: config.partner.keysFile }
    : config.partner.github
      ? { kind: "api", apiUrl, token: config.github.token ?? (env.GH_TOKEN?.trim() || null) }
      : null;
  if (!source) return null;
  const keys = new PartnerKeySet({ source });
  // A file that cannot be read is a start-up error, not a 503 on GitHub's first alert.
  if (source.kind === "file") await keys.lookup("");
  const namespace = config.redis.namespace;
  const { enqueueFindings } = await import("../queue/findings-queue.js");
  return {
    route: githubPartnerRoute({
      keys,
      enqueue: async (jobs) => void (await enqueueFindings(redis, namespace, jobs)),
      isKnownKey: async (hash) => (await registry.getByHash(hash)) !== null,
    }),
    describe: source.kind === "file" ? `keys from ${source.path}` : `keys from ${apiUrl}`,
  };
}
