/**
 * POST /v1/github/secret-scanning: GitHub's secret-scanning partner alerts. No leakstop key:
 * the caller is GitHub, proven by an ECDSA P-256 signature over the raw body
 * (`Github-Public-Key-Identifier`, `Github-Public-Key-Signature`). The route lives in its own
 * fastify context whose body parser keeps the bytes as they came (a re-serialised JSON would not
 * verify). A bad, missing or unknown signature is a 401 that says nothing about the tokens; a
 * verified alert becomes one FindingJob per token (hashed, never stored) and the answer is
 * GitHub's feedback format: `[{token_hash, token_type, label}]`.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { type PartnerKeySet, verifyPartnerSignature } from "../../github/partner-keys.js";
import type { FindingJob } from "../../queue/jobs.js";
import { ApiError, errorBodySchema } from "../errors.js";
import { hashAlerts, type PartnerLabel, parsePartnerAlerts, partnerFindingJob } from "../partner-alerts.js";

/** Where GitHub posts alerts (give GitHub `<server URL>` + this path). */
export const GITHUB_PARTNER_PATH = "/v1/github/secret-scanning";
/** Default largest alert body: GitHub batches many matches into one request. */
export const DEFAULT_PARTNER_BODY_LIMIT = 1024 * 1024;

/** What the route needs. */
export interface GitHubPartnerDeps {
  /** GitHub's signing keys (a file, or fetched from the API and cached). */
  keys: Pick<PartnerKeySet, "lookup">;
  /** Puts the jobs on FINDINGS_QUEUE (jobId = findingId); must resolve only once they are stored. */
  enqueue(jobs: FindingJob[]): Promise<void>;
  /** True when the registry holds a key with this SHA-256 (any state): labels it a true positive. */
  isKnownKey(keyHash: string): Promise<boolean>;
  /** Largest accepted body in bytes (default {@link DEFAULT_PARTNER_BODY_LIMIT}). */
  bodyLimit?: number;
  now?: () => Date;
}

const labelSchema = {
  type: "array",
  items: {
    type: "object",
    required: ["token_hash", "token_type", "label"],
    properties: {
      token_hash: { type: "string" },
      token_type: { type: "string" },
      label: { type: "string", enum: ["true_positive", "false_positive"] },
    },
  },
} as const;

/** One answer for every signature failure: which part failed is not the sender's business. */
function unsigned(): ApiError {
  return new ApiError("LS_UNAUTHENTICATED", "the request does not carry a valid GitHub secret-scanning signature");
}

function header(request: FastifyRequest, name: string): string | null {
  const v = request.headers[name];
  return typeof v === "string" && v.trim() !== "" ? v.trim() : null;
}

/** Checks the signature of the raw body; throws the 401 (or a 503 when no key list can be had). */
async function checkSignature(request: FastifyRequest, raw: Buffer, keys: GitHubPartnerDeps["keys"]): Promise<void> {
  const keyId = header(request, "github-public-key-identifier");
  const signature = header(request, "github-public-key-signature");
  if (!keyId || !signature) throw unsigned();
  let key: Awaited<ReturnType<GitHubPartnerDeps["keys"]["lookup"]>>;
  try {
    key = await keys.lookup(keyId);
  } catch {
    throw new ApiError("LS_UNAVAILABLE", "GitHub's signing keys are not available; retry later", {
      retryAfterSeconds: 30,
    });
  }
  if (!key || !verifyPartnerSignature(raw, signature, key.key)) throw unsigned();
}

/** The route module, for `buildServer({ routes: [githubPartnerRoute(deps)] })`. */
export function githubPartnerRoute(deps: GitHubPartnerDeps): (app: FastifyInstance) => void {
  const bodyLimit = deps.bodyLimit ?? DEFAULT_PARTNER_BODY_LIMIT;
  const now = deps.now ?? (() => new Date());
  return (app) => {
    // An encapsulated context: its body parser (bytes, any content type) applies to this route only.
    app.register(async (scope) => {
      scope.removeAllContentTypeParsers();
      scope.addContentTypeParser("*", { parseAs: "buffer", bodyLimit }, (_req, body, done) => done(null, body));
      scope.post(
        GITHUB_PARTNER_PATH,
        {
          bodyLimit,
          config: { access: "public", summary: "GitHub secret-scanning partner alerts (signed by GitHub)" },
          schema: {
            response: {
              200: labelSchema,
              400: errorBodySchema,
              401: errorBodySchema,
              413: errorBodySchema,
              503: errorBodySchema,
            },
          },
        },
        async (request: FastifyRequest, reply: FastifyReply) => {
          const raw = Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0);
          await checkSignature(request, raw, deps.keys);
          let parsed: unknown;
          try {
            parsed = JSON.parse(raw.toString("utf8"));
          } catch {
            throw new ApiError("LS_BAD_REQUEST", "the request body is not valid JSON");
          }
          const alerts = parsePartnerAlerts(parsed);
          if (typeof alerts === "string") throw new ApiError("LS_BAD_REQUEST", alerts);
          const hashed = hashAlerts(alerts);
          const detectedAt = now().toISOString();
          await deps.enqueue(hashed.map((a) => partnerFindingJob(a, detectedAt)));
          const labels: PartnerLabel[] = await Promise.all(
            hashed.map(async (a) => ({
              token_hash: a.secretHash,
              token_type: a.type,
              // Only an issued key can be in the registry; anything else was never a leakstop credential.
              label: a.ownKey && (await deps.isKnownKey(a.secretHash)) ? "true_positive" : "false_positive",
            })),
          );
          return reply.code(200).send(labels);
        },
      );
    });
  };
}
