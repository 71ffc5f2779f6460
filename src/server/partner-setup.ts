/**
 * Turns the GitHub partner endpoint on from the environment (see partnerKeySourceFromEnv): the
 * key set and the route, whose jobs go to the findings queue on the server's Redis (report's
 * enqueueFindings: jobId = findingId, a resend is no new job). BullMQ loads only when it is on.
 */
import type { FastifyInstance } from "fastify";
import type { RedisClient } from "../redis/cluster.js";
import { DEFAULT_API_URL, normalizeApiUrl } from "../github/client.js";
import { PartnerKeySet, partnerKeySourceFromEnv } from "../github/partner-keys.js";
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
  const apiUrl = env.GITHUB_API_URL ? normalizeApiUrl(env.GITHUB_API_URL, "GITHUB_API_URL") : DEFAULT_API_URL;
  const source = partnerKeySourceFromEnv(env, apiUrl);
  if (!source) return null;
  const keys = new PartnerKeySet({ source });
  // A file that cannot be read is a start-up error, not a 503 on GitHub's first alert.
  if (source.kind === "file") await keys.lookup("");
  const namespace = env.LEAKSTOP_NAMESPACE?.trim() || "leakstop";
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
