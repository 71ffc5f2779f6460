/**
 * `leakstop server`: the HTTP API of the key registry. Connects to Redis first
 * (one-line error and exit 2 when it does not answer), listens, and shuts down
 * gracefully on SIGINT/SIGTERM: in-flight requests finish, then Redis is closed.
 */
import type { FastifyInstance } from "fastify";
import { startAnchorSchedule } from "../../audit/anchor-schedule.js";
import { signerFromEnv } from "../../audit/signing.js";
import { auditVerifierFrom } from "../../audit/verify-report.js";
import { loadServiceConfig, type ServiceConfig, useServiceConfig } from "../../config/service-config.js";
import { LeakstopError, stripUrlCredentials } from "../../lib/errors.js";
import { readSealKeyFile } from "../../lib/sealed-box.js";
import { closeRedisClient, connectRedisClient } from "../../redis/cluster.js";
import { isRedisConnectionError } from "../../redis/connection.js";
import { parseDuration } from "../../registry/durations.js";
import { AuditLog, Registry } from "../../registry/index.js";
import { compileSecretScreen } from "../../registry/secret-screen.js";
import { buildServer, DEFAULT_BODY_LIMIT } from "../../server/app.js";
import { type PartnerSetup, partnerSetupFromEnv } from "../../server/partner-setup.js";
import { type IpRateLimit, parseIpRateLimit } from "../../server/rate-limit.js";
import { findingsRoutes } from "../../server/routes/findings.js";
import { parseCommandArgs } from "../parse-args.js";
import { shutdownSignal } from "../shutdown-signal.js";

const HELP = `usage: leakstop server [options]

Serves the key registry's HTTP API: /v1/keys (admin), POST /v1/keys/verify,
/v1/audit, GET /healthz, GET /metrics, GET /openapi.json. Callers send
Authorization: Bearer <leakstop key>; make the first one with
"leakstop keys create --bootstrap-admin".

options (flags > environment > --config file > defaults):
  --config FILE          service config (TOML: [server] [redis] [registry] [audit] [webhooks] ...;
                         LEAKSTOP_SERVICE_CONFIG; see docs/deploy.md)
  --host ADDR            address to listen on   (LEAKSTOP_HOST, default 127.0.0.1)
  --port N               port, 0 for any free   (LEAKSTOP_PORT, default 8080)
  --ip-rate-limit N/W    requests per client IP per window, e.g. 600/60s, or off
                         (LEAKSTOP_IP_RATE_LIMIT, default 1000/1s; raise it for a busy gateway)
  --body-limit BYTES     largest request body   (default ${DEFAULT_BODY_LIMIT})
  --public-verify        POST /v1/keys/verify without a caller key
  --trust-proxy          take client IPs from X-Forwarded-For (only behind your own proxy)
  --anchor-dir DIR       write signed audit checkpoints into DIR (LEAKSTOP_AUDIT_ANCHOR_DIR);
                         keep DIR outside Redis' reach (another disk, host or bucket)
  --anchor-every D       how often, e.g. 15m, 1h (default 1h)
  --verbose              print stack traces of errors
environment:
  REDIS_URL              the registry (default redis://127.0.0.1:6379; several comma-separated
                         URLs: a Redis Cluster)
  LEAKSTOP_ISSUER        prefix of issued keys (default lsk)
  LEAKSTOP_METRICS_TOKEN when set, GET /metrics needs Authorization: Bearer <token>
  LEAKSTOP_AUDIT_KEY     PEM private key that signs audit entries and checkpoints
  LEAKSTOP_AUDIT_PUBLIC_KEY  public key (path or PEM) GET /v1/audit/verify checks entry signatures
                         with (else the public half of LEAKSTOP_AUDIT_KEY); it also compares the
                         chain with the newest checkpoint in --anchor-dir
  LEAKSTOP_WEBHOOK_ALLOW private hosts/networks owners' webhooks may use ([webhooks] allow)
  LEAKSTOP_REPORT_PUBLIC_KEY  PEM file of the X25519 report public key (leakstop report keygen):
                         served at GET /v1/report-key; findings may carry secrets sealed to it
  LEAKSTOP_NAMESPACE     queue namespace of POST /v1/findings (default leakstop)
  LEAKSTOP_GITHUB_PARTNER_KEYS  GitHub's secret-scanning public keys (JSON file in GitHub's format):
                         turns on POST /v1/github/secret-scanning (partner alerts → findings queue)
  LEAKSTOP_GITHUB_PARTNER=on    the same, with the keys fetched from GITHUB_API_URL and cached`;

/** How long the server waits for one Redis command before answering 503. */
const SERVER_COMMAND_TIMEOUT_MS = 2000;

/** The resolved settings of one run. */
interface ServerSettings {
  config: ServiceConfig;
  host: string;
  port: number;
  ipRateLimit: IpRateLimit | null;
  bodyLimit: number;
  publicVerify: boolean;
  trustProxy: boolean;
  anchor: { dir: string; everyMs: number } | null;
}

function parsePort(text: string, from: string): number {
  if (!/^\d{1,5}$/.test(text) || Number(text) > 65535) {
    throw new LeakstopError("LS_USAGE", `server: ${from} "${text}" is not a port number (0-65535)`);
  }
  return Number(text);
}

/** Flags > environment > config file > defaults. */
function resolveSettings(args: string[], env: NodeJS.ProcessEnv): ServerSettings | "help" {
  const { values } = parseCommandArgs(
    "server",
    args,
    {
      config: { type: "string" },
      host: { type: "string" },
      port: { type: "string" },
      "ip-rate-limit": { type: "string" },
      "body-limit": { type: "string" },
      "public-verify": { type: "boolean" },
      "trust-proxy": { type: "boolean" },
      "anchor-dir": { type: "string" },
      "anchor-every": { type: "string" },
      verbose: { type: "boolean" },
      help: { type: "boolean", short: "h" },
    },
    0,
  );
  if (values.help) return "help";
  if (values.port !== undefined) parsePort(values.port, "--port");
  const config = loadServiceConfig({
    env,
    configPath: values.config,
    flags: {
      "server.host": values.host,
      "server.port": values.port,
      "server.ipRateLimit": values["ip-rate-limit"],
      "audit.anchorDir": values["anchor-dir"],
    },
  });
  const rateText = config.server.ipRateLimit;
  let ipRateLimit: IpRateLimit | null;
  try {
    ipRateLimit = parseIpRateLimit(rateText);
  } catch (err) {
    throw new LeakstopError("LS_USAGE", `server: --ip-rate-limit: ${(err as Error).message}`);
  }
  const bodyText = values["body-limit"] ?? String(DEFAULT_BODY_LIMIT);
  if (!/^\d+$/.test(bodyText) || Number(bodyText) < 1024) {
    throw new LeakstopError("LS_USAGE", `server: --body-limit "${bodyText}" must be a number of bytes >= 1024`);
  }
  const anchorDir = config.audit.anchorDir;
  if (values["anchor-every"] !== undefined && anchorDir === undefined) {
    throw new LeakstopError("LS_USAGE", "server: --anchor-every needs --anchor-dir");
  }
  const everySeconds = parseDuration(values["anchor-every"] ?? "1h", "server: --anchor-every");
  if (everySeconds < 1) throw new LeakstopError("LS_USAGE", "server: --anchor-every must be at least 1s");
  return {
    anchor: anchorDir ? { dir: anchorDir, everyMs: everySeconds * 1000 } : null,
    config,
    host: config.server.host,
    port: config.server.port,
    ipRateLimit,
    bodyLimit: Number(bodyText),
    publicVerify: values["public-verify"] === true,
    trustProxy: values["trust-proxy"] === true,
  };
}

/** Listens, turning "port taken" and similar into one-line errors. */
async function listen(app: FastifyInstance, host: string, port: number): Promise<string> {
  try {
    return await app.listen({ host, port });
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const why =
      code === "EADDRINUSE"
        ? "the address is already in use (choose another --port)"
        : code === "EACCES"
          ? "permission denied (ports below 1024 need privileges)"
          : code === "EADDRNOTAVAIL" || code === "ENOTFOUND"
            ? "no such address on this machine (check --host)"
            : (err as Error).message;
    throw new LeakstopError("LS_USAGE", `server: cannot listen on ${host}:${port}: ${why}`, { cause: err });
  }
}

/** `leakstop server`: returns 0 after a clean shutdown; errors propagate to main (exit 2). */
export default async function server(args: string[]): Promise<number> {
  const settings = resolveSettings(args, process.env);
  if (settings === "help") {
    process.stdout.write(`${HELP}\n`);
    return 0;
  }
  // Everything below (registry, audit signer, webhook allow list, Redis URL) reads this one config.
  useServiceConfig(settings.config);
  const { config } = settings;
  // A verify that waits on a silent Redis for long is worse than a quick 503 the gateway can act on.
  const signer = signerFromEnv();
  // GET /v1/audit/verify checks what `audit verify --public-key --anchor DIR` checks.
  const auditTrust = { verifier: auditVerifierFrom(undefined, process.env), anchorDir: settings.anchor?.dir ?? null };
  // One Redis or a Cluster (several URLs in REDIS_URL, or [redis] cluster): redis/cluster.ts.
  const redis = await connectRedisClient({
    commandTimeoutMs: SERVER_COMMAND_TIMEOUT_MS,
    // Verifies arriving together go to Redis in one write (one wake-up of Redis, not one each).
    redisOptions: { enableAutoPipelining: true },
  });
  let app: FastifyInstance | undefined;
  let anchors: { stop(): Promise<void> } | undefined;
  let registry: Registry | undefined;
  let partner: PartnerSetup | null = null;
  try {
    // Free-text fields are screened with the detection engine, compiled once here.
    const screen = compileSecretScreen({ eager: true });
    registry = new Registry(redis, { auditSigner: signer, screen });
    const audit = new AuditLog(redis);
    const reportKeyPath = config.report.publicKey;
    const reportPublicKeyPem = reportKeyPath
      ? readSealKeyFile(reportKeyPath, "public").export({ type: "spki", format: "pem" }).toString()
      : null;
    partner = await partnerSetupFromEnv(process.env, redis, registry);
    app = await buildServer({
      routes: [
        findingsRoutes({
          redis,
          namespace: config.redis.namespace,
          screen,
          reportPublicKeyPem,
        }),
        ...(partner ? [partner.route] : []),
      ],
      registry,
      audit,
      redis,
      auditTrust,
      bodyLimit: settings.bodyLimit,
      ipRateLimit: settings.ipRateLimit,
      verifyAccess: settings.publicVerify ? "public" : "caller",
      metricsToken: config.server.metricsToken,
      trustProxy: settings.trustProxy,
      onInternalError: (err, route) => {
        const msg = err instanceof Error ? err.message : String(err);
        const what = isRedisConnectionError(err) ? "Redis unreachable" : "internal error";
        process.stderr.write(`leakstop: server: ${what} on ${route}: ${stripUrlCredentials(msg)}\n`);
      },
    });
    if (settings.anchor) {
      if (!signer) process.stderr.write("leakstop: server: LEAKSTOP_AUDIT_KEY is not set: checkpoints are UNSIGNED\n");
      anchors = startAnchorSchedule(audit, {
        ...settings.anchor,
        signer,
        onWrite: (file, c) =>
          process.stderr.write(`leakstop: server: audit checkpoint seq ${c.seq} written to ${file}\n`),
        onError: (err) =>
          process.stderr.write(
            `leakstop: server: audit checkpoint failed: ${stripUrlCredentials((err as Error).message)}\n`,
          ),
      });
    }
    const stopped = shutdownSignal();
    const url = await listen(app, settings.host, settings.port);
    process.stdout.write(`leakstop server listening on ${url}\n`);
    if (!config.registry.sealKey && !signer) {
      // Retries reaching another server process, or this one after a restart, would get 410.
      process.stderr.write(
        "leakstop: server: neither LEAKSTOP_SEAL_KEY nor LEAKSTOP_AUDIT_KEY is set: a key created or rotated with an Idempotency-Key can be shown again only by this process until it restarts\n",
      );
    }
    if (partner)
      process.stdout.write(`GitHub partner alerts on ${url}/v1/github/secret-scanning (${partner.describe})\n`);
    const signal = await stopped;
    process.stderr.write(`leakstop: server: ${signal} received, finishing requests and shutting down\n`);
    return 0;
  } finally {
    await anchors?.stop();
    await app?.close();
    // Usage counts of the last second are written before Redis closes: a graceful stop loses none.
    await registry?.close().catch(() => undefined);
    await closeRedisClient(redis);
  }
}
