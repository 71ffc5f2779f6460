/** `leakstop report keygen|--flush` (SPEC §3, §7): the producer side of the revocation pipeline. */
import { LeakstopError } from "../../lib/errors.js";
import { parseCommandArgs } from "../parse-args.js";

const HELP = `usage: leakstop report keygen --output DIR
       leakstop report --flush

keygen   make the X25519 report key pair in DIR: report-private.pem (0600; the workers'
         LEAKSTOP_REPORT_PRIVATE_KEY) and report-public.pem (producers' LEAKSTOP_REPORT_PUBLIC_KEY;
         the server serves it at GET /v1/report-key). Producers seal a third-party secret a
         provider can revoke to the public key; only the private key opens it.`;

const OPTIONS = {
  output: { type: "string", short: "o" },
  flush: { type: "boolean" },
  verbose: { type: "boolean" },
  help: { type: "boolean", short: "h" },
} as const;

export default async function report(args: string[]): Promise<number> {
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
  throw new LeakstopError("LS_USAGE", `report: unknown subcommand "${sub}" (keygen, --flush)`);
}
