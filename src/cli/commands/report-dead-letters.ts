/**
 * `leakstop report dead-letters [--replay [--id ID]...] [--format text|json]`: the notifications
 * that failed every retry (SPEC §7: never dropped), and their replay once the receiver is fixed.
 * Output names keys by id and hint and webhook URLs by scheme and host only (a path or query
 * may carry a token). Loaded lazily by `leakstop report`.
 */
import { LeakstopError } from "../../lib/errors.js";
import type { DeadLetter } from "../../notify/dead-letters.js";
import { DEAD_LETTER_QUEUE, NOTIFY_QUEUE, queuePrefix } from "../../queue/names.js";
import { parseCommandArgs } from "../parse-args.js";

const HELP = `usage: leakstop report dead-letters [--format text|json]
       leakstop report dead-letters --replay [--id ID]...

Lists the notifications (webhooks, e-mails) that failed their last retry; nothing is dropped.
--replay   re-enqueue them (all, or those named by --id) with fresh retries under a new job id,
           then remove them from the dead letters; a running "leakstop worker" delivers them
--id ID    a dead letter's id as listed (repeatable)
--format   text (default) or json

Environment: REDIS_URL (default redis://127.0.0.1:6379), LEAKSTOP_NAMESPACE (default leakstop),
or their [redis] keys in LEAKSTOP_SERVICE_CONFIG.`;

const OPTIONS = {
  replay: { type: "boolean" },
  id: { type: "string", multiple: true },
  format: { type: "string" },
  verbose: { type: "boolean" },
  help: { type: "boolean", short: "h" },
} as const;

/** `https://host:port` for webhooks, the address for e-mail: never a path, query or credentials. */
function target(d: DeadLetter): string {
  const n = d.letter.notify;
  if (n.channel === "email") return n.to;
  try {
    const u = new URL(n.to);
    return `${u.protocol}//${u.host}`;
  } catch {
    return "(unparseable URL)";
  }
}

function asJson(d: DeadLetter): Record<string, unknown> {
  const n = d.letter.notify;
  return {
    id: d.id,
    kind: n.kind,
    channel: n.channel,
    to: target(d),
    eventId: n.eventId,
    keyId: n.keyId ?? null,
    hint: n.hint ?? null,
    ruleId: n.ruleId,
    attempts: d.letter.attempts,
    failedAt: d.letter.failedAt,
    lastError: d.letter.lastError,
  };
}

function asText(d: DeadLetter): string {
  const n = d.letter.notify;
  const what = n.keyId ? `key ${n.keyId}${n.hint ? ` (${n.hint})` : ""}` : n.ruleId;
  return [
    `${d.id}  ${n.kind} by ${n.channel} to ${target(d)}: ${what}`,
    `  failed ${d.letter.failedAt} after ${d.letter.attempts} attempt(s): ${d.letter.lastError}`,
  ].join("\n");
}

export default async function deadLetters(args: string[]): Promise<number> {
  const { values, positionals } = parseCommandArgs("report dead-letters", args, OPTIONS, 0);
  if (values.help) {
    process.stdout.write(`${HELP}\n`);
    return 0;
  }
  void positionals;
  const format = values.format ?? "text";
  if (format !== "text" && format !== "json") {
    throw new LeakstopError("LS_USAGE", `report dead-letters: unknown --format "${format}" (text, json)`);
  }
  if (values.id && !values.replay) {
    throw new LeakstopError("LS_USAGE", "report dead-letters: --id goes with --replay");
  }
  const [{ Queue }, { withRedisClient }, dl, { serviceConfig }] = await Promise.all([
    import("bullmq"),
    import("../../redis/cluster.js"),
    import("../../notify/dead-letters.js"),
    import("../../config/service-config.js"),
  ]);
  const prefix = queuePrefix(serviceConfig().redis.namespace);
  return withRedisClient(async (redis) => {
    const dead = new Queue(DEAD_LETTER_QUEUE, { connection: redis, prefix });
    const notify = new Queue(NOTIFY_QUEUE, { connection: redis, prefix });
    try {
      if (!values.replay) {
        const list = await dl.listDeadLetters(dead);
        if (format === "json") process.stdout.write(`${JSON.stringify(list.map(asJson), null, 2)}\n`);
        else if (list.length === 0) process.stdout.write("no dead letters\n");
        else process.stdout.write(`${list.map(asText).join("\n")}\n${list.length} dead letter(s)\n`);
        return 0;
      }
      const outcome = await dl.replayDeadLetters(dead, notify, values.id ? { ids: values.id } : {});
      if (format === "json") process.stdout.write(`${JSON.stringify(outcome, null, 2)}\n`);
      else {
        for (const r of outcome.replayed) process.stdout.write(`replayed ${r.deadLetterId} as ${r.jobId}\n`);
        for (const id of outcome.missing) process.stderr.write(`leakstop: no dead letter "${id}"\n`);
        process.stdout.write(`${outcome.replayed.length} dead letter(s) re-enqueued\n`);
      }
      return outcome.missing.length > 0 ? 2 : 0;
    } finally {
      await Promise.all([dead.close(), notify.close()]);
    }
  });
}
