/**
 * The key registry admin API: create, list, show, rotate, revoke.
 * A caller can never hand out leakstop scopes it does not hold itself, neither
 * by creating a key nor by rotating someone else's (rotation returns the new key),
 * and acts only on the owners it manages (authorize.ts).
 */
import type { FastifyInstance, FastifyRequest } from "fastify";
import { keyNotFoundMessage, type ListFilter, ROLE_SCOPES, type Role, type Scope } from "../../registry/index.js";
import { actorOf, type Caller } from "../auth.js";
import { assertMayChange, assertMayCreate, assertMayRead, listScope, type Principal } from "../authorize.js";
import { callerOf, type ServerContext } from "../context.js";
import { ApiError, errorBodySchema } from "../errors.js";
import {
  createKeyBodySchema,
  idempotencyHeadersSchema,
  issuedKeySchema,
  keyIdParamsSchema,
  keyListSchema,
  keyRecordSchema,
  listKeysQuerySchema,
  revokeBodySchema,
  rotateBodySchema,
} from "../schemas.js";

interface CreateKeyBody {
  owner: { id: string; name?: string; email?: string; webhook?: string };
  name?: string;
  scopes?: string[];
  manages?: string[];
  role?: Role;
  env?: "live" | "test";
  expiresInSeconds?: number;
  cidrs?: string[];
  rateLimit?: { limit: number; windowSeconds: number };
  metadata?: Record<string, string>;
}

/** The registry's list filter as it arrives in a query string: every value a string. */
type ListKeysQuery = Omit<ListFilter, "limit" | "ownerIn"> & { limit?: string };

/** Errors every key route can answer; those naming a key id can also answer 404. */
const errors = { 400: errorBodySchema, 401: errorBodySchema, 403: errorBodySchema, 503: errorBodySchema };
const byIdErrors = { ...errors, 404: errorBodySchema };

/**
 * The Idempotency-Key header as a registry option: a retry with the same header (same caller,
 * same request) gets the first outcome, the same new key included.
 */
function idempotencyKeyOf(request: FastifyRequest): { idempotencyKey?: string } {
  const value = request.headers["idempotency-key"];
  if (value === undefined) return {};
  if (typeof value !== "string") throw new ApiError("LS_BAD_REQUEST", "send one Idempotency-Key header");
  return { idempotencyKey: value };
}

/** The caller with the owners its record says it manages (one read, on admin routes only). */
async function principalOf(registry: ServerContext["registry"], caller: Caller): Promise<Principal> {
  const own = await registry.get(caller.keyId);
  // Revoked between authentication and here: it manages nothing.
  return { keyId: caller.keyId, scopes: caller.scopes, manages: own?.status === "active" ? own.manages : [] };
}

/** Requested scopes plus the role preset's, without duplicates. */
function grantedScopes(body: CreateKeyBody): string[] {
  const role: Scope[] = body.role ? ROLE_SCOPES[body.role] : [];
  return [...new Set([...(body.scopes ?? []), ...role])];
}

/** The record with this id, or a 404. */
async function requireRecord(registry: ServerContext["registry"], id: string) {
  const record = await registry.get(id);
  if (!record) throw new ApiError("LS_NOT_FOUND", keyNotFoundMessage(id));
  return record;
}

/** POST /v1/keys and POST /v1/keys/:id/rotate: the two answers that carry a new key. */
function registerIssueRoutes(app: FastifyInstance, { registry }: ServerContext): void {
  app.post<{ Body: CreateKeyBody }>(
    "/v1/keys",
    {
      config: { access: "keys:write", summary: "Issue a key; the response holds the key, shown this once" },
      schema: {
        body: createKeyBodySchema,
        headers: idempotencyHeadersSchema,
        response: { 201: issuedKeySchema, ...errors, 410: errorBodySchema, 422: errorBodySchema },
      },
    },
    async (request, reply) => {
      const caller = callerOf(request);
      const { role: _role, ...body } = request.body;
      const scopes = grantedScopes(request.body);
      const principal = await principalOf(registry, caller);
      assertMayCreate(principal, {
        ownerId: body.owner.id,
        scopes,
        ...(body.manages ? { manages: body.manages } : {}),
      });
      const idem = idempotencyKeyOf(request);
      return reply.code(201).send(await registry.create({ ...body, scopes }, actorOf(caller), idem));
    },
  );

  app.post<{ Params: { id: string }; Body: { overlapSeconds: number } }>(
    "/v1/keys/:id/rotate",
    {
      config: { access: "keys:write", summary: "Rotate a key: a new key, and both verify until the overlap ends" },
      schema: {
        params: keyIdParamsSchema,
        body: rotateBodySchema,
        headers: idempotencyHeadersSchema,
        response: {
          200: issuedKeySchema,
          ...byIdErrors,
          409: errorBodySchema,
          410: errorBodySchema,
          422: errorBodySchema,
        },
      },
    },
    async (request) => {
      const caller = callerOf(request);
      const current = await requireRecord(registry, request.params.id);
      assertMayChange(await principalOf(registry, caller), current, "rotate");
      const overlapSeconds = request.body.overlapSeconds;
      return registry.rotate(current.id, { overlapSeconds, ...idempotencyKeyOf(request) }, actorOf(caller));
    },
  );
}

/** GET /v1/keys and GET /v1/keys/:id. */
function registerReadRoutes(app: FastifyInstance, { registry }: ServerContext): void {
  app.get<{ Querystring: ListKeysQuery }>(
    "/v1/keys",
    {
      config: {
        access: "keys:read",
        summary: "List keys by owner, env, status and creation time, a page at a time (only owners the caller manages)",
      },
      schema: { querystring: listKeysQuerySchema, response: { 200: keyListSchema, ...errors } },
    },
    async (request) => {
      const { limit, ...filter } = request.query;
      const reach = listScope(await principalOf(registry, callerOf(request)), filter.owner);
      return registry.list({ ...filter, ...reach, limit: limit === undefined ? 100 : Number(limit) });
    },
  );

  app.get<{ Params: { id: string } }>(
    "/v1/keys/:id",
    {
      config: { access: "keys:read", summary: "Show one key's record (of an owner the caller manages)" },
      schema: { params: keyIdParamsSchema, response: { 200: keyRecordSchema, ...byIdErrors } },
    },
    async (request) => {
      const record = await requireRecord(registry, request.params.id);
      assertMayRead(await principalOf(registry, callerOf(request)), record);
      return record;
    },
  );
}

/** Registers the /v1/keys admin routes (verify lives in verify.ts). */
export function registerKeyRoutes(app: FastifyInstance, ctx: ServerContext): void {
  registerIssueRoutes(app, ctx);
  registerReadRoutes(app, ctx);
  app.post<{ Params: { id: string }; Body: { reason: string } }>(
    "/v1/keys/:id/revoke",
    {
      config: { access: "keys:revoke", summary: "Revoke a key now, with a reason" },
      schema: {
        params: keyIdParamsSchema,
        body: revokeBodySchema,
        headers: idempotencyHeadersSchema,
        response: { 200: keyRecordSchema, ...byIdErrors, 422: errorBodySchema },
      },
    },
    async (request) => {
      const caller = callerOf(request);
      const current = await requireRecord(ctx.registry, request.params.id);
      assertMayChange(await principalOf(ctx.registry, caller), current, "revoke");
      return ctx.registry.revoke(current.id, request.body.reason, actorOf(caller), idempotencyKeyOf(request));
    },
  );
}
