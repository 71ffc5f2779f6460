/**
 * POST /v1/findings: the findings intake for producers holding a findings:write key (scan
 * --report, the Action, the hook, org scans through LEAKSTOP_SERVER). A batch is checked whole
 * before anything is queued: the schema, each findingId against its secretHash and location, a
 * sealed secret only for a revocable rule and only to this server's key, and no field that looks
 * like a raw secret (the registry's credential screen). Jobs are queued by findingId, so a resend
 * is answered 202 with its findings counted as duplicates and has no second effect.
 *
 * GET /v1/report-key: the X25519 public key producers seal third-party secrets to
 * (LEAKSTOP_REPORT_PUBLIC_KEY), public since it is a public key.
 */
import type { FastifyInstance } from "fastify";
import { loadSealPublicKey, sealKeyId } from "../../lib/sealed-box.js";
import { findingIdOf } from "../../queue/finding-id.js";
import { enqueueFindings } from "../../queue/findings-queue.js";
import type { FindingJob } from "../../queue/jobs.js";
import { revokerFor } from "../../queue/revocable-rules.js";
import type { RedisClient } from "../../redis/cluster.js";
import type { SecretScreen } from "../../registry/free-text.js";
import { callerOf, type ServerContext } from "../context.js";
import { ApiError, errorBodySchema } from "../errors.js";
import {
  FINDINGS_BODY_LIMIT,
  findingsAcceptedSchema,
  findingsBodySchema,
  reportKeySchema,
} from "../findings-schemas.js";

/** What the findings routes need beyond the shared context. */
export interface FindingsRouteOptions {
  /** A full client: BullMQ adds jobs through it. */
  redis: RedisClient;
  /** LEAKSTOP_NAMESPACE (default "leakstop"). */
  namespace?: string;
  /** The credential screen (registry/secret-screen.ts); null skips the check (tests of other things). */
  screen: SecretScreen | null;
  /** PEM of the report public key (LEAKSTOP_REPORT_PUBLIC_KEY), or null: no sealed secrets accepted. */
  reportPublicKeyPem: string | null;
}

function bad(message: string): never {
  throw new ApiError("LS_BAD_REQUEST", message);
}

/** Every string of a job except the sealed box's random fields: what the screen reads. */
function screenedFields(job: FindingJob): Array<[string, string]> {
  const loc = job.location;
  const fields: Array<[string, string | undefined]> = [
    ["ruleId", job.ruleId],
    ["provider", job.provider],
    ["reporter", job.reporter],
    ["location.path", loc.path],
    ["location.repository", loc.repository],
    ["location.url", loc.url],
  ];
  return fields.filter((f): f is [string, string] => f[1] !== undefined);
}

function checkJob(job: FindingJob, i: number, screen: SecretScreen | null, keyId: string | null): void {
  const at = `findings[${i}]`;
  if (findingIdOf(job.secretHash, job.location) !== job.findingId) {
    bad(`${at}.findingId is not the SHA-256 of its secretHash and location`);
  }
  if (job.sealedSecret) {
    if (revokerFor(job.ruleId) === null)
      bad(`${at}.sealedSecret: rule ${job.ruleId} has no revoker; send its secretHash only`);
    if (keyId === null) bad(`${at}.sealedSecret: this server has no report key (LEAKSTOP_REPORT_PUBLIC_KEY)`);
    if (job.sealedSecret.keyId !== keyId)
      bad(`${at}.sealedSecret was sealed to another key than GET /v1/report-key serves`);
  }
  if (!screen) return;
  for (const [name, value] of screenedFields(job)) {
    const rule = screen(value);
    // The value is never echoed: it may be a live key.
    if (rule !== null) bad(`${at}.${name} looks like a raw secret (${rule}); findings carry only its hash`);
  }
}

/** Returns the registrar for buildServer's `routes` option. */
export function findingsRoutes(opts: FindingsRouteOptions): (app: FastifyInstance, ctx: ServerContext) => void {
  const publicKey = opts.reportPublicKeyPem
    ? loadSealPublicKey(opts.reportPublicKeyPem, "LEAKSTOP_REPORT_PUBLIC_KEY")
    : null;
  const keyId = publicKey ? sealKeyId(publicKey) : null;
  const namespace = opts.namespace ?? "leakstop";
  return (app) => {
    app.post<{ Body: { findings: FindingJob[] } }>(
      "/v1/findings",
      {
        bodyLimit: FINDINGS_BODY_LIMIT,
        config: { access: "findings:write", summary: "Report findings into the revocation pipeline (idempotent)" },
        schema: {
          body: findingsBodySchema,
          response: {
            202: findingsAcceptedSchema,
            400: errorBodySchema,
            401: errorBodySchema,
            403: errorBodySchema,
            413: errorBodySchema,
            503: errorBodySchema,
          },
        },
      },
      async (request, reply) => {
        const caller = callerOf(request);
        const jobs = request.body.findings;
        jobs.forEach((job, i) => {
          checkJob(job, i, opts.screen, keyId);
        });
        // The authenticated key is the reporter: what the client called itself is not proof.
        const attributed = jobs.map((job) => ({ ...job, reporter: `key:${caller.keyId}` }));
        const r = await enqueueFindings(opts.redis, namespace, attributed);
        return reply.code(202).send({ accepted: r.added, duplicates: r.duplicates });
      },
    );
    app.get(
      "/v1/report-key",
      {
        config: { access: "public", summary: "The X25519 public key producers seal third-party secrets to" },
        schema: { response: { 200: reportKeySchema, 404: errorBodySchema } },
      },
      async () => {
        if (!publicKey || !keyId)
          throw new ApiError("LS_NOT_FOUND", "this server has no report key (LEAKSTOP_REPORT_PUBLIC_KEY)");
        return {
          alg: "x25519-hkdf-sha256-aes256gcm",
          keyId,
          publicKey: publicKey.export({ type: "spki", format: "pem" }).toString(),
        };
      },
    );
  };
}
