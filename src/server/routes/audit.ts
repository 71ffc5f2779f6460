/**
 * The audit trail over HTTP (audit:read): GET /v1/audit streams the entries as
 * JSON Lines, GET /v1/audit/verify runs the checks of `leakstop audit verify
 * --public-key --anchor`: the hash chain, every entry's signature (with the
 * audit public key) and the newest checkpoint of the server's anchor directory,
 * and names what it found. Entries carry key ids and hints, never keys.
 */
import { Readable } from "node:stream";
import type { FastifyInstance } from "fastify";
import { auditReport } from "../../audit/verify-report.js";
import type { AuditEntry } from "../../registry/index.js";
import type { ServerContext } from "../context.js";
import { errorBodySchema } from "../errors.js";
import { auditEntrySchema, auditQuerySchema, auditVerifySchema } from "../schemas.js";

/** Entries as JSON Lines, one per chunk, read lazily as the client consumes them. */
async function* jsonLines(entries: AsyncIterable<AuditEntry>): AsyncGenerator<string> {
  for await (const entry of entries) yield `${JSON.stringify(entry)}\n`;
}

/** Registers GET /v1/audit and GET /v1/audit/verify. */
export function registerAuditRoutes(app: FastifyInstance, ctx: ServerContext): void {
  const errors = { 401: errorBodySchema, 403: errorBodySchema, 503: errorBodySchema };

  app.get<{ Querystring: { since?: string } }>(
    "/v1/audit",
    {
      config: {
        access: "audit:read",
        summary: "Export the audit trail as JSON Lines (application/x-ndjson)",
        // Documented only: a stream is sent as it is, never through a response schema.
        okContent: { "application/x-ndjson": { schema: auditEntrySchema } },
      },
      schema: { querystring: auditQuerySchema, response: { 400: errorBodySchema, ...errors } },
    },
    async (request, reply) => {
      const iterator = ctx.audit.export({ since: request.query.since })[Symbol.asyncIterator]();
      // Read the first entry before answering, so a Redis failure is a clean error response.
      const first = await iterator.next();
      async function* rest(): AsyncGenerator<AuditEntry> {
        if (first.done) return;
        yield first.value;
        for (let next = await iterator.next(); !next.done; next = await iterator.next()) yield next.value;
      }
      reply.type("application/x-ndjson");
      return reply.send(Readable.from(jsonLines(rest())));
    },
  );

  app.get(
    "/v1/audit/verify",
    {
      config: {
        access: "audit:read",
        summary:
          "Check the audit trail: hash chain, entry signatures (audit public key) and the newest checkpoint; names what it found",
      },
      schema: { response: { 200: auditVerifySchema, ...errors } },
    },
    async () => auditReport(ctx.audit, ctx.auditTrust ?? { verifier: null, anchorDir: null }),
  );
}
