/** `leakstop audit verify` and `leakstop audit export [--since ISO] [--output FILE]` (SPEC §3, §7). */
import { createWriteStream, type WriteStream } from "node:fs";
import { finished } from "node:stream/promises";
import { AuditLog } from "../../audit/audit-log.js";
import { LeakstopError } from "../../lib/errors.js";
import { withRedis } from "../../queue/redis-connection.js";
import { parseCommandArgs } from "../parse-args.js";

const HELP = `usage: leakstop audit verify [--format text|json]
       leakstop audit export [--since ISO-8601] [--output FILE]

verify   walk the hash-chained audit trail; exit 0 when intact, 1 naming the first entry
         that was edited, dropped, reordered or inserted
export   write the entries as JSON Lines (stdout unless --output)
Redis at REDIS_URL (default redis://127.0.0.1:6379).`;

const OPTIONS = {
  since: { type: "string" },
  output: { type: "string", short: "o" },
  format: { type: "string" },
  verbose: { type: "boolean" },
  help: { type: "boolean", short: "h" },
} as const;

function usage(message: string): never {
  throw new LeakstopError("LS_USAGE", message);
}

async function verify(log: AuditLog, json: boolean): Promise<number> {
  const result = await log.verify();
  if (json) {
    process.stdout.write(`${JSON.stringify(result)}\n`);
    return result.ok ? 0 : 1;
  }
  if (result.ok) {
    // The head hash is worth writing down elsewhere: a chain rewritten from scratch would not end in it.
    const head = await log.head();
    const tip = head ? ` (head: seq ${head.seq}, hash ${head.hash})` : "";
    process.stdout.write(`audit trail intact: ${result.count} entries${tip}\n`);
    return 0;
  }
  const what =
    result.problem === "dropped"
      ? result.entryId
        ? `an entry was dropped before entry #${result.index + 1} (${result.entryId})`
        : `the entries from #${result.index + 1} on were dropped`
      : result.problem === "inserted"
        ? `entry #${result.index + 1} (${result.entryId}) was inserted: it lies past the chain's recorded head`
        : `entry #${result.index + 1} (${result.entryId || "unreadable"}) was ${result.problem}`;
  throw new LeakstopError("LS_AUDIT_BROKEN", `audit trail broken: ${what}`);
}

function write(out: NodeJS.WritableStream, line: string): Promise<void> | undefined {
  if (out.write(line)) return undefined;
  return new Promise((resolve) => {
    out.once("drain", () => resolve());
    out.once("error", () => resolve());
  });
}

async function exportEntries(log: AuditLog, since: string | undefined, output: string | undefined): Promise<number> {
  let file: WriteStream | null = null;
  if (output !== undefined) {
    file = createWriteStream(output);
    await new Promise<void>((resolve, reject) => {
      file?.once("open", () => resolve());
      file?.once("error", (err) => reject(new LeakstopError("LS_IO", `cannot write ${output}: ${err.message}`)));
    });
  }
  const out = file ?? process.stdout;
  // A reader that goes away (| head) ends the export quietly instead of crashing on EPIPE.
  let closed = false;
  out.on("error", () => {
    closed = true;
  });
  let count = 0;
  for await (const entry of log.export(since !== undefined ? { since } : {})) {
    if (closed) break;
    await write(out, `${JSON.stringify(entry)}\n`);
    count++;
  }
  if (file) {
    file.end();
    await finished(file);
    process.stderr.write(`${count} audit entries written to ${output}\n`);
  }
  return 0;
}

export default async function audit(args: string[]): Promise<number> {
  const { values, positionals } = parseCommandArgs("audit", args, OPTIONS, 1);
  const [sub] = positionals;
  if (values.help || sub === undefined) {
    process.stdout.write(`${HELP}\n`);
    return values.help ? 0 : 2;
  }
  if (sub !== "verify" && sub !== "export") usage(`audit: unknown subcommand "${sub}" (verify, export)`);
  const format = values.format ?? "text";
  if (format !== "text" && format !== "json") usage(`audit: unknown --format "${format}" (text, json)`);
  if (sub === "verify" && (values.since !== undefined || values.output !== undefined)) {
    usage("audit verify: --since and --output apply to audit export only");
  }
  if (values.since !== undefined && Number.isNaN(Date.parse(values.since))) {
    usage(`--since: "${values.since}" is not an ISO-8601 date`);
  }
  return withRedis((redis) => {
    const log = new AuditLog(redis);
    return sub === "verify" ? verify(log, format === "json") : exportEntries(log, values.since, values.output);
  });
}
