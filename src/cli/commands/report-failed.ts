/**
 * `leakstop report failed [--retry [--id ID]...] [--format text|json]`: the findings and
 * provider-revoke jobs kept failed for a person (refused payloads, third-party secrets with no
 * security contact to raise them to, jobs out of retries), and their retry once the cause is
 * fixed. Output names jobs by id, counts and reason only, never a payload. Loaded lazily by
 * `leakstop report`.
 */
import { LeakstopError } from "../../lib/errors.js";
import { FINDINGS_QUEUE, PROVIDER_REVOKE_QUEUE, queuePrefix } from "../../queue/names.js";
import type { FailedJob } from "../../worker/failed-jobs.js";
import { parseCommandArgs } from "../parse-args.js";

const HELP = `usage: leakstop report failed [--format text|json]
       leakstop report failed --retry [--id ID]...

Lists the findings and provider-revoke jobs that failed for good (a refused payload, a
third-party secret with no LEAKSTOP_SECURITY_CONTACT to raise it to, or out of retries); they are
kept until someone looks. A findings job may carry a batch of findings.
--retry    move them (all, or those named by --id) back to the queue with fresh attempts; a
           running "leakstop worker" takes them again, and findings already acted on change
           nothing the second time
--id ID    a failed job's id as listed (repeatable)
--format   text (default) or json

Environment: REDIS_URL (default redis://127.0.0.1:6379), LEAKSTOP_NAMESPACE (default leakstop),
or their [redis] keys in LEAKSTOP_SERVICE_CONFIG.`;

const OPTIONS = {
  retry: { type: "boolean" },
  id: { type: "string", multiple: true },
  format: { type: "string" },
  verbose: { type: "boolean" },
  help: { type: "boolean", short: "h" },
} as const;

function asText(j: FailedJob): string {
  const what = j.queue === FINDINGS_QUEUE ? `${j.findings} finding(s)` : j.name;
  return [
    `${j.id}  ${j.queue}: ${what}`,
    `  failed ${j.failedAt ?? "(time unknown)"} after ${j.attempts} attempt(s): ${j.reason}`,
  ].join("\n");
}

export default async function failed(args: string[]): Promise<number> {
  const { values } = parseCommandArgs("report failed", args, OPTIONS, 0);
  if (values.help) {
    process.stdout.write(`${HELP}\n`);
    return 0;
  }
  const format = values.format ?? "text";
  if (format !== "text" && format !== "json") {
    throw new LeakstopError("LS_USAGE", `report failed: unknown --format "${format}" (text, json)`);
  }
  if (values.id && !values.retry) throw new LeakstopError("LS_USAGE", "report failed: --id goes with --retry");
  const [{ Queue }, { withRedisClient }, fj, { serviceConfig }] = await Promise.all([
    import("bullmq"),
    import("../../redis/cluster.js"),
    import("../../worker/failed-jobs.js"),
    import("../../config/service-config.js"),
  ]);
  const prefix = queuePrefix(serviceConfig().redis.namespace);
  return withRedisClient(async (redis) => {
    const queues = [FINDINGS_QUEUE, PROVIDER_REVOKE_QUEUE].map(
      (name) => new Queue(name, { connection: redis, prefix, skipVersionCheck: true }),
    );
    try {
      if (!values.retry) {
        const list = await fj.listFailed(queues);
        if (format === "json") process.stdout.write(`${JSON.stringify(list, null, 2)}\n`);
        else if (list.length === 0) process.stdout.write("no failed jobs\n");
        else process.stdout.write(`${list.map(asText).join("\n")}\n${list.length} failed job(s)\n`);
        return 0;
      }
      const outcome = await fj.retryFailed(queues, values.id ? { ids: values.id } : {});
      if (format === "json") process.stdout.write(`${JSON.stringify(outcome, null, 2)}\n`);
      else {
        for (const r of outcome.retried) process.stdout.write(`retrying ${r.id} (${r.queue})\n`);
        for (const id of outcome.missing) process.stderr.write(`leakstop: no failed job "${id}"\n`);
        process.stdout.write(`${outcome.retried.length} failed job(s) back on their queue\n`);
      }
      return outcome.missing.length > 0 ? 2 : 0;
    } finally {
      await Promise.all(queues.map((q) => q.close()));
    }
  });
}
