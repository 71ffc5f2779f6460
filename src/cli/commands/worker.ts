/**
 * `leakstop worker`: processes the pipeline's queues until SIGTERM/SIGINT, then stops taking
 * jobs, lets the active ones finish, closes its connections and exits 0. Logs are JSON lines on
 * stdout (pino, redacted); a Redis that does not answer at start is one line and exit 2.
 */
import { serviceConfig } from "../../config/service-config.js";
import { LeakstopError } from "../../lib/errors.js";
import { orgScanEnv, orgScanSchedule } from "../../scheduler/schedule-config.js";
import { createLogger } from "../../worker/log.js";
import { startWorkerService } from "../../worker/worker-service.js";
import { parseCommandArgs } from "../parse-args.js";
import { shutdownSignal } from "../shutdown-signal.js";

const HELP = `usage: leakstop worker [options]

Takes findings from the queue, revokes leaked leakstop keys (atomically with their audit entry),
and enqueues the owner's notifications, third-party revocations and security alerts. Run as many
as you like, on any hosts sharing one Redis. Stops gracefully on SIGTERM or SIGINT.

options (flags > environment > defaults):
  --concurrency N        findings processed at once (LEAKSTOP_WORKER_CONCURRENCY, default 32)
  --queues LIST          what this process takes (LEAKSTOP_WORKER_QUEUES, default findings,delivery):
                         findings (match, revoke, enqueue notifications) and/or delivery (webhooks,
                         e-mails, third-party revokers). Separate processes keep revocation
                         latency free of notification round trips
  --metrics-port N       serve Prometheus metrics at http://HOST:N/metrics (0: any free port)
  --metrics-host ADDR    address of the metrics server (default 127.0.0.1)
  --lock-duration MS     a job's lock without renewal: how soon a dead worker's job is retaken
                         (default 30000)
  --stalled-interval MS  how often stalled jobs are looked for (default 30000)
  --max-stalled N        stalls allowed before a job fails (default 3)
  --org-scans N          scheduled org-scan jobs at once in this process (LEAKSTOP_ORG_SCAN_CONCURRENCY,
                         default 1; 0: take none)
environment:
  REDIS_URL                  queues and registry (default redis://127.0.0.1:6379)
  LEAKSTOP_NAMESPACE         key and queue namespace (default leakstop)
  LEAKSTOP_SECURITY_CONTACT  e-mail address or webhook URL told about what cannot be revoked
  LEAKSTOP_AUDIT_KEY         PEM private key that signs the audit entries of revocations
  LEAKSTOP_LOG_LEVEL         pino level (default info)
scheduled org scans (one job per repository, only new commits; see README; or [scheduler] in the
service config file named by LEAKSTOP_SERVICE_CONFIG):
  LEAKSTOP_ORG_SCAN_CRON     e.g. "0 3 * * *"; with LEAKSTOP_ORG_SCAN_ORGS=acme,beta this worker
                             stores the schedule (every worker may; the last start wins)
  LEAKSTOP_ORG_SCAN_TZ       time zone of the cron pattern (default UTC)
  GITHUB_TOKEN, GITHUB_API_URL, LEAKSTOP_CACHE_DIR (this host's mirrors), LEAKSTOP_CONFIG,
  LEAKSTOP_THREADS, LEAKSTOP_REPORT_PUBLIC_KEY (GitHub tokens found are sealed to it)`;

const OPTIONS = {
  concurrency: { type: "string" },
  queues: { type: "string" },
  "metrics-port": { type: "string" },
  "metrics-host": { type: "string" },
  "lock-duration": { type: "string" },
  "stalled-interval": { type: "string" },
  "max-stalled": { type: "string" },
  "org-scans": { type: "string" },
  verbose: { type: "boolean" },
  help: { type: "boolean", short: "h" },
} as const;

function intFlag(name: string, text: string | undefined, min: number, max: number): number | undefined {
  if (text === undefined) return undefined;
  if (!/^\d{1,9}$/.test(text) || Number(text) < min || Number(text) > max) {
    throw new LeakstopError("LS_USAGE", `worker: --${name} "${text}" must be a whole number from ${min} to ${max}`);
  }
  return Number(text);
}

/** --queues: "findings", "delivery" or both, comma-separated. */
function queuesFlag(text: string | undefined): { findings: boolean; delivery: boolean } {
  if (text === undefined || text.trim() === "") return { findings: true, delivery: true };
  const names = text.split(",").map((n) => n.trim());
  const bad = names.find((n) => n !== "findings" && n !== "delivery");
  if (bad !== undefined) {
    throw new LeakstopError(
      "LS_USAGE",
      `worker: --queues takes findings and/or delivery, comma-separated (got ${JSON.stringify(bad.slice(0, 40))})`,
    );
  }
  return { findings: names.includes("findings"), delivery: names.includes("delivery") };
}

export default async function worker(args: string[]): Promise<number> {
  const { values } = parseCommandArgs("worker", args, OPTIONS, 0);
  if (values.help) {
    process.stdout.write(`${HELP}\n`);
    return 0;
  }
  const env = process.env;
  const concurrency = intFlag("concurrency", values.concurrency ?? env.LEAKSTOP_WORKER_CONCURRENCY, 1, 10_000);
  const roles = queuesFlag(values.queues ?? env.LEAKSTOP_WORKER_QUEUES);
  const settings = {
    concurrency,
    roles,
    metricsPort: intFlag("metrics-port", values["metrics-port"], 0, 65535),
    metricsHost: values["metrics-host"],
    lockDurationMs: intFlag("lock-duration", values["lock-duration"], 100, 86_400_000),
    stalledIntervalMs: intFlag("stalled-interval", values["stalled-interval"], 100, 86_400_000),
    maxStalledCount: intFlag("max-stalled", values["max-stalled"], 0, 1000),
  };
  // [scheduler] in the service config file, or its LEAKSTOP_ORG_SCAN_* variables; --org-scans wins.
  const scheduler = serviceConfig().scheduler;
  const orgScanConcurrency = intFlag("org-scans", values["org-scans"], 0, 64) ?? scheduler.concurrency;
  const orgScans =
    orgScanConcurrency === 0
      ? undefined
      : {
          concurrency: orgScanConcurrency,
          schedule: orgScanSchedule(scheduler),
          github: orgScanEnv(env),
          // The rules and the scan engine load on the first repository job only.
          scanDeps: async () => (await import("../../scheduler/org-scan-env.js")).scanDepsFromEnv(env),
        };
  // [worker] securityContact in the service config file, or LEAKSTOP_SECURITY_CONTACT.
  const securityContact = serviceConfig().worker.securityContact?.trim() || undefined;
  const log = createLogger();
  // Listening before the start means a signal during it still shuts down cleanly afterwards.
  const stopped = shutdownSignal();
  const service = await startWorkerService({
    ...settings,
    namespace: env.LEAKSTOP_NAMESPACE || undefined,
    securityContact,
    orgScans,
    log,
  });
  log.info(
    {
      concurrency: concurrency ?? 32,
      queues: Object.keys(roles).filter((r) => roles[r as keyof typeof roles]),
      orgScans: orgScanConcurrency,
      schedule: orgScans?.schedule ? `${orgScans.schedule.cron} (${orgScans.schedule.orgs.join(",")})` : null,
      metrics: service.metricsUrl,
      namespace: env.LEAKSTOP_NAMESPACE || "leakstop",
    },
    "worker ready",
  );
  if (!securityContact && roles.findings) {
    log.warn(
      "LEAKSTOP_SECURITY_CONTACT is not set: a third-party secret nothing can revoke is kept as a failed job, raised to nobody",
    );
  }
  const signal = await stopped;
  log.info({ signal }, "stopping: no new jobs, finishing active ones");
  // A second signal while draining means "now": leave without waiting (jobs left active are retaken as stalled).
  const force = shutdownSignal().then((s) => {
    log.warn({ signal: s }, "second signal: exiting without waiting for active jobs");
    log.flush();
    process.exit(2);
  });
  void force;
  await service.close();
  log.info("worker stopped");
  log.flush();
  return 0;
}
