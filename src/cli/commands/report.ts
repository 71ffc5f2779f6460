/** `leakstop report keygen|--flush|failed|dead-letters` (SPEC §3, §7): the producer side of the revocation pipeline. */
import { LeakstopError } from "../../lib/errors.js";
import { parseCommandArgs } from "../parse-args.js";

const HELP = `usage: leakstop report keygen --output DIR
       leakstop report --flush
       leakstop report dead-letters [--replay] (see leakstop report dead-letters --help)
       leakstop report failed [--retry] (see leakstop report failed --help)

keygen   make the X25519 report key pair in DIR: report-private.pem (0600; the workers'
         LEAKSTOP_REPORT_PRIVATE_KEY) and report-public.pem (producers' LEAKSTOP_REPORT_PUBLIC_KEY;
         the server serves it at GET /v1/report-key). Producers seal a third-party secret a
         provider can revoke to the public key; only the private key opens it.
--flush  deliver the findings spooled while neither Redis nor the server answered (oldest first);
         a batch's file is deleted once its delivery was acknowledged, and a resend has no second
         effect (each finding is queued once per findingId). Exit 0 when the spool is empty afterwards, 2 when
         the target still does not answer (the files stay).
environment:
  LEAKSTOP_SERVER + LEAKSTOP_TOKEN   report through the server (a findings:write key); wins over Redis
  REDIS_URL                          else straight to the queue (default redis://127.0.0.1:6379)
  LEAKSTOP_NAMESPACE                 queue namespace (default leakstop)
  LEAKSTOP_SPOOL_DIR                 the spool (default $XDG_STATE_HOME/leakstop/spool, else
                                     ~/.local/state/leakstop/spool)`;

const OPTIONS = {
  output: { type: "string", short: "o" },
  flush: { type: "boolean" },
  verbose: { type: "boolean" },
  help: { type: "boolean", short: "h" },
} as const;

export default async function report(args: string[]): Promise<number> {
  // Its own flags and file (notify's dead letters): handed over before this command parses anything.
  if (args[0] === "dead-letters") return (await import("./report-dead-letters.js")).default(args.slice(1));
  if (args[0] === "failed") return (await import("./report-failed.js")).default(args.slice(1));
  const { values, positionals } = parseCommandArgs("report", args, OPTIONS, 1);
  const [sub] = positionals;
  if (values.help || (sub === undefined && !values.flush)) {
    process.stdout.write(`${HELP}\n`);
    return values.help ? 0 : 2;
  }
  if (sub === "keygen") {
    if (values.output === undefined) throw new LeakstopError("LS_USAGE", "report keygen: --output DIR is required");
    const { writeSealKeyPair } = await import("../../lib/sealed-box.js");
    const pair = writeSealKeyPair(values.output);
    process.stdout.write(
      `report key pair written (keyId ${pair.keyId}):\n  private ${pair.privatePath} (0600: workers only)\n  public  ${pair.publicPath}\n`,
    );
    return 0;
  }
  if (sub !== undefined)
    throw new LeakstopError("LS_USAGE", `report: unknown subcommand "${sub}" (keygen, --flush, failed, dead-letters)`);
  return flush();
}

async function flush(): Promise<number> {
  const { reportOptionsFromEnv } = await import("../../report/options.js");
  const { flushSpool } = await import("../../report/producer.js");
  const opts = reportOptionsFromEnv(process.env);
  const o = await flushSpool(opts);
  for (const w of o.warnings) process.stderr.write(`leakstop: warning: ${w}\n`);
  if (o.unreachable !== undefined) {
    process.stderr.write(
      `leakstop: ${o.target} did not answer: ${o.pendingFiles} spooled batch(es) kept in ${opts.spoolDir}\n`,
    );
    return 2;
  }
  process.stdout.write(
    `delivered ${o.flushedFiles} spooled batch(es) to ${o.target}: ${o.added} new, ${o.duplicates} already queued\n`,
  );
  return o.pendingFiles > 0 ? 2 : 0;
}
