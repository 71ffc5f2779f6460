/** `leakstop keys create|list|show|rotate|revoke|verify|expire`: the key registry on Redis (SPEC §3, §6). */

import { readFileSync } from "node:fs";
import { userInfo } from "node:os";
import { serviceConfig } from "../../config/service-config.js";
import { isLeakstopError, LeakstopError } from "../../lib/errors.js";
import { withRedisClient } from "../../redis/cluster.js";
import { parseDuration, parseRate } from "../../registry/durations.js";
import {
  type CreateKeyInput,
  type KeyRecord,
  keyNotFoundMessage,
  Registry,
  ROLE_SCOPES,
  type Role,
  resolveIssuer,
} from "../../registry/index.js";
import { recordDetails, recordTable, verifyLine } from "../../registry/record-text.js";
import { parseCommandArgs } from "../parse-args.js";

const HELP = `usage: leakstop keys <subcommand> [options]      (Redis at REDIS_URL, default redis://127.0.0.1:6379)

  create --owner ID [--name N] [--email E] [--webhook URL] [--scopes a,b] [--role admin|issuer|auditor|scanner]
         [--manages a,b|*] [--env live|test] [--expires 90d] [--cidr 10.0.0.0/8,::1/128] [--rate 100/60s]
                                   issue a key; it is printed once, leakstop keeps only its SHA-256.
                                   --manages: owners whose keys it may create/rotate/revoke (default its own)
  create --bootstrap-admin [--force]   the first admin key (refused if an active one exists, unless --force)
  verify KEY|- [--scope S] [--ip ADDR]  exit 0 valid, 1 not valid (the reason is printed); "-" reads KEY from stdin
  rotate ID [--overlap 24h]        issue the successor; the old key verifies until the overlap ends
  revoke ID --reason TEXT          revoke now (a revoked key stays revoked)
  create, rotate and revoke take --idempotency-key K: a retry with the same K (within 10 min, same
  request) returns the first outcome, the same new key included (needs LEAKSTOP_SEAL_KEY or
  LEAKSTOP_AUDIT_KEY: the new key is held sealed with it)
  show ID                          one key's record
  list [--owner ID] [--status active|revoked|expired] [--env live|test]
       [--created-after ISO] [--created-before ISO] [--limit N] [--cursor C]
  expire                           mark keys past their expiry or overlap as expired (audited)

every subcommand takes --format text|json. Issuer prefix: LEAKSTOP_ISSUER (default lsk).`;

const OPTIONS = {
  owner: { type: "string" },
  name: { type: "string" },
  email: { type: "string" },
  webhook: { type: "string" },
  scopes: { type: "string" },
  manages: { type: "string" },
  role: { type: "string" },
  env: { type: "string" },
  expires: { type: "string" },
  cidr: { type: "string", multiple: true },
  rate: { type: "string" },
  "bootstrap-admin": { type: "boolean" },
  force: { type: "boolean" },
  scope: { type: "string" },
  ip: { type: "string" },
  overlap: { type: "string" },
  reason: { type: "string" },
  "idempotency-key": { type: "string" },
  status: { type: "string" },
  "created-after": { type: "string" },
  "created-before": { type: "string" },
  cursor: { type: "string" },
  limit: { type: "string" },
  format: { type: "string" },
  verbose: { type: "boolean" },
  help: { type: "boolean", short: "h" },
} as const;

type Values = ReturnType<typeof parseCommandArgs<typeof OPTIONS>>["values"];
/** A subcommand checks its input first (before Redis is touched), then returns what to run against the registry. */
type Sub = (values: Values, args: string[], json: boolean) => (reg: Registry) => Promise<number>;

/** Flags each subcommand accepts (besides --format, --verbose, --help). */
const ALLOWED: Record<string, string[]> = {
  create: [
    ...["owner", "name", "email", "webhook", "scopes", "manages", "role", "env", "expires", "cidr", "rate"],
    ...["bootstrap-admin", "force", "idempotency-key"],
  ],
  verify: ["scope", "ip"],
  rotate: ["overlap", "idempotency-key"],
  revoke: ["reason", "idempotency-key"],
  show: [],
  list: ["owner", "status", "env", "created-after", "created-before", "cursor", "limit"],
  expire: [],
};

function usage(message: string): never {
  throw new LeakstopError("LS_USAGE", message);
}

function actor(): string {
  try {
    return `cli:${userInfo().username}`;
  } catch {
    return "cli";
  }
}

function print(text: string): void {
  process.stdout.write(`${text}\n`);
}

function oneArg(sub: string, args: string[], what: string): string {
  if (args.length !== 1) usage(`keys ${sub}: expected exactly one ${what}`);
  return args[0] as string;
}

function scopesFrom(values: Values): string[] {
  const scopes = (values.scopes ?? "").split(",").map((s) => s.trim());
  if (values.role !== undefined) {
    if (!(values.role in ROLE_SCOPES)) usage(`--role must be one of ${Object.keys(ROLE_SCOPES).join(", ")}`);
    scopes.push(...ROLE_SCOPES[values.role as Role]);
  }
  return [...new Set(scopes.filter((s) => s !== ""))];
}

function createInput(values: Values): CreateKeyInput {
  const bootstrap = values["bootstrap-admin"] === true;
  const ownerId = values.owner ?? (bootstrap ? "admin" : undefined);
  if (ownerId === undefined) usage("keys create: --owner ID is required");
  if (values.env !== undefined && values.env !== "live" && values.env !== "test") usage("--env must be live or test");
  const input: CreateKeyInput = {
    owner: {
      id: ownerId,
      ...(values.name !== undefined ? { name: values.name } : {}),
      ...(values.email !== undefined ? { email: values.email } : {}),
      ...(values.webhook !== undefined ? { webhook: values.webhook } : {}),
    },
    scopes: bootstrap ? [...new Set([...scopesFrom(values), ...ROLE_SCOPES.admin])] : scopesFrom(values),
    ...(values.manages !== undefined ? { manages: values.manages.split(",").map((m) => m.trim()) } : {}),
    env: (values.env ?? "live") as "live" | "test",
    cidrs: (values.cidr ?? []).flatMap((c) => c.split(",")),
  };
  if (values.expires !== undefined) input.expiresInSeconds = parseDuration(values.expires, "--expires");
  if (values.rate !== undefined) input.rateLimit = parseRate(values.rate);
  return input;
}

/**
 * --idempotency-key as a registry option. A retry runs in another process, so a new key held
 * for it must be sealed with a key both runs share: LEAKSTOP_SEAL_KEY, or one derived from LEAKSTOP_AUDIT_KEY.
 */
function idempotency(values: Values, showsKey: boolean): { idempotencyKey?: string } {
  const idempotencyKey = values["idempotency-key"];
  if (idempotencyKey === undefined) return {};
  if (showsKey && !serviceConfig().registry.sealKey && !serviceConfig().audit.key) {
    usage(
      "--idempotency-key needs LEAKSTOP_SEAL_KEY (32 bytes, hex or base64) or LEAKSTOP_AUDIT_KEY so a retry can show the same key",
    );
  }
  return { idempotencyKey };
}

function printNewKey(key: string, record: KeyRecord, json: boolean, extra: Record<string, unknown> = {}): void {
  if (json) {
    print(JSON.stringify({ key, ...record, ...extra }, null, 2));
  } else {
    print(key);
    print(recordDetails(record));
  }
  process.stderr.write("Store this key now: it is shown only once; leakstop keeps only its SHA-256.\n");
}

const create: Sub = (values, args, json) => {
  if (args.length > 0) usage(`keys create: unexpected argument "${args[0]}"`);
  const input = createInput(values);
  const onlyIfNoAdmin = values["bootstrap-admin"] === true && values.force !== true;
  return async (reg) => {
    let created: Awaited<ReturnType<Registry["create"]>>;
    try {
      created = await reg.create(input, actor(), { onlyIfNoAdmin, ...idempotency(values, true) });
    } catch (err) {
      if (onlyIfNoAdmin && isLeakstopError(err) && err.code === "LS_KEY_STATE") {
        usage("keys create --bootstrap-admin: an active admin key already exists (add --force to issue another)");
      }
      throw err;
    }
    const { key, record } = created;
    printNewKey(key, record, json);
    return 0;
  };
};

const verify: Sub = (values, args, json) => {
  let key = oneArg("verify", args, "KEY (or - to read it from stdin)");
  if (key === "-") key = readFileSync(0, "utf8").trim();
  return async (reg) => {
    const result = await reg.verify(key, {
      ...(values.scope !== undefined ? { scope: values.scope } : {}),
      ...(values.ip !== undefined ? { ip: values.ip } : {}),
    });
    print(json ? JSON.stringify(result, null, 2) : verifyLine(result));
    return result.valid ? 0 : 1;
  };
};

const rotate: Sub = (values, args, json) => {
  const id = oneArg("rotate", args, "key ID");
  const overlapSeconds = parseDuration(values.overlap ?? "24h", "--overlap");
  return async (reg) => {
    const { key, record, previous } = await reg.rotate(id, { overlapSeconds, ...idempotency(values, true) }, actor());
    printNewKey(key, record, json, json ? { previous } : {});
    if (!json) process.stderr.write(`${previous.id} keeps verifying until ${previous.graceEndsAt}.\n`);
    return 0;
  };
};

const revoke: Sub = (values, args, json) => {
  const id = oneArg("revoke", args, "key ID");
  const reason = values.reason;
  if (reason === undefined) usage("keys revoke: --reason TEXT is required");
  return async (reg) => {
    const before = await reg.get(id);
    const record = await reg.revoke(id, reason, actor(), idempotency(values, false));
    const already = before?.status === "revoked";
    if (json) print(JSON.stringify({ ...record, alreadyRevoked: already }, null, 2));
    else print(already ? `${id} was already revoked at ${record.revokedAt}` : `revoked ${id} (${record.hint})`);
    return 0;
  };
};

const show: Sub = (_values, args, json) => {
  const id = oneArg("show", args, "key ID");
  return async (reg) => {
    const record = await reg.get(id);
    if (!record) throw new LeakstopError("LS_KEY_NOT_FOUND", keyNotFoundMessage(id));
    print(json ? JSON.stringify(record, null, 2) : recordDetails(record));
    return 0;
  };
};

const list: Sub = (values, args, json) => {
  if (args.length > 0) usage(`keys list: unexpected argument "${args[0]}"`);
  let limit: number | undefined;
  if (values.limit !== undefined) {
    if (!/^\d+$/.test(values.limit)) usage(`--limit: "${values.limit}" is not a whole number`);
    limit = Number(values.limit);
  }
  // Checked here too so a bad filter is reported as such even when Redis is down.
  if (values.status !== undefined && !["active", "revoked", "expired"].includes(values.status)) {
    usage("--status must be one of active, revoked, expired");
  }
  if (values.env !== undefined && values.env !== "live" && values.env !== "test") usage("--env must be live or test");
  for (const flag of ["created-after", "created-before"] as const) {
    const v = values[flag];
    if (v !== undefined && Number.isNaN(Date.parse(v))) usage(`--${flag}: "${v}" is not an ISO-8601 date`);
  }
  return async (reg) => {
    const page = await reg.list({
      ...(values.owner !== undefined ? { owner: values.owner } : {}),
      ...(values.status !== undefined ? { status: values.status } : {}),
      ...(values.env !== undefined ? { env: values.env } : {}),
      ...(values["created-after"] !== undefined ? { createdAfter: values["created-after"] } : {}),
      ...(values["created-before"] !== undefined ? { createdBefore: values["created-before"] } : {}),
      ...(values.cursor !== undefined ? { cursor: values.cursor } : {}),
      ...(limit !== undefined ? { limit } : {}),
    });
    if (json) {
      print(JSON.stringify(page, null, 2));
    } else {
      print(page.items.length > 0 ? recordTable(page.items) : "no keys");
      if (page.nextCursor) process.stderr.write(`more: leakstop keys list --cursor ${page.nextCursor} ...\n`);
    }
    return 0;
  };
};

const expire: Sub = (_values, args, json) => {
  if (args.length > 0) usage(`keys expire: unexpected argument "${args[0]}"`);
  return async (reg) => {
    const expired = await reg.expireDue();
    print(json ? JSON.stringify({ expired }) : `${expired} key(s) marked expired`);
    return 0;
  };
};

/** True when the subcommand stores text the caller typed (a bare --bootstrap-admin stores none). */
function carriesText(sub: string, values: Values): boolean {
  if (sub === "revoke") return true;
  return sub === "create" && ["owner", "name", "email", "scopes", "manages"].some((f) => f in values);
}
const SUBS: Record<string, Sub> = { create, verify, rotate, revoke, show, list, expire };

function checkFlags(sub: string, values: Values): void {
  const allowed = new Set([...(ALLOWED[sub] ?? []), "format", "verbose", "help"]);
  for (const flag of Object.keys(values)) {
    if (!allowed.has(flag)) usage(`keys ${sub}: --${flag} does not apply here (see leakstop keys --help)`);
  }
}

export default async function keys(args: string[]): Promise<number> {
  const { values, positionals } = parseCommandArgs("keys", args, OPTIONS);
  const [sub, ...rest] = positionals;
  if (values.help || sub === undefined) {
    print(HELP);
    return values.help ? 0 : 2;
  }
  const run = SUBS[sub];
  if (!run) usage(`keys: unknown subcommand "${sub}" (${Object.keys(SUBS).join(", ")})`);
  checkFlags(sub, values);
  const format = values.format ?? "text";
  if (format !== "text" && format !== "json") usage(`keys: unknown --format "${format}" (text, json)`);
  const task = run(values, rest, format === "json");
  resolveIssuer(); // a bad LEAKSTOP_ISSUER is a config error, whether or not Redis answers
  // Subcommands that store caller text screen it for credentials; the others never load the engine.
  const screen = carriesText(sub, values)
    ? (await import("../../registry/secret-screen.js")).compileSecretScreen({ eager: false })
    : undefined;
  return withRedisClient(async (redis) => {
    const registry = new Registry(redis, screen ? { screen } : {});
    try {
      return await task(registry);
    } finally {
      await registry.close(); // writes the use `keys verify` counted
    }
  });
}
