/** `leakstop audit verify|anchor|export|keygen` (SPEC §3, §7). */
import { createWriteStream, type WriteStream } from "node:fs";
import { finished } from "node:stream/promises";
import { AuditLog } from "../../audit/audit-log.js";
import { signerFromEnv } from "../../audit/signing.js";
import { LeakstopError } from "../../lib/errors.js";
import { withRedisClient } from "../../redis/cluster.js";
import { parseCommandArgs } from "../parse-args.js";
import { anchorCommand, keygenCommand, resolveAnchors, resolveVerifier, verifyCommand } from "./audit-trust.js";

const HELP = `usage: leakstop audit verify [--anchor FILE|DIR] [--public-key FILE] [--format text|json]
       leakstop audit anchor [--output FILE] [--accept-unsigned]
       leakstop audit export [--since ISO-8601] [--output FILE]
       leakstop audit keygen --output FILE

verify   walk the hash-chained audit trail; exit 0 when intact, 1 naming what was found: an entry
         edited, dropped, reordered or inserted; with the public key, an entry unsigned or forged;
         with --anchor (a checkpoint file, or a directory of them), a chain wiped, truncated or
         rewritten since the checkpoint was taken
anchor   verify, then write a checkpoint (entry count + head hash + time) signed with
         LEAKSTOP_AUDIT_KEY (stdout unless --output); keep it outside Redis. It refuses a chain
         with unsigned entries unless --accept-unsigned (entries written before the key was set
         up: review them first; the signed checkpoint then vouches for them)
export   write the entries as JSON Lines (stdout unless --output)
keygen   make an Ed25519 audit key pair: FILE (private, 0600) and FILE.pub
environment:
  REDIS_URL                  the registry (default redis://127.0.0.1:6379)
  LEAKSTOP_AUDIT_KEY         path of the PEM private key that signs entries and checkpoints
  LEAKSTOP_AUDIT_PUBLIC_KEY  public key (path or PEM) verify checks with, when --public-key is not
                             given (else the public half of LEAKSTOP_AUDIT_KEY)`;

const OPTIONS = {
  since: { type: "string" },
  output: { type: "string", short: "o" },
  format: { type: "string" },
  anchor: { type: "string" },
  "public-key": { type: "string" },
  "accept-unsigned": { type: "boolean" },
  verbose: { type: "boolean" },
  help: { type: "boolean", short: "h" },
} as const;

function usage(message: string): never {
  throw new LeakstopError("LS_USAGE", message);
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
  if (!["verify", "anchor", "export", "keygen"].includes(sub)) {
    usage(`audit: unknown subcommand "${sub}" (verify, anchor, export, keygen)`);
  }
  const format = values.format ?? "text";
  if (format !== "text" && format !== "json") usage(`audit: unknown --format "${format}" (text, json)`);
  if (sub === "verify" && (values.since !== undefined || values.output !== undefined)) {
    usage("audit verify: --since and --output apply to audit export only");
  }
  if (sub !== "verify" && (values.anchor !== undefined || values["public-key"] !== undefined)) {
    usage(`audit ${sub}: --anchor and --public-key apply to audit verify only`);
  }
  if (values.since !== undefined && Number.isNaN(Date.parse(values.since))) {
    usage(`--since: "${values.since}" is not an ISO-8601 date`);
  }
  if (sub === "keygen") return keygenCommand(values.output);
  // Keys and anchors are read before Redis is touched: a bad file is a usage problem, not a chain one.
  const verifier = sub === "verify" ? resolveVerifier(values["public-key"], process.env) : null;
  const anchors = resolveAnchors(values.anchor);
  const signer = sub === "anchor" ? signerFromEnv() : null;
  return withRedisClient((redis) => {
    const log = new AuditLog(redis);
    if (sub === "verify") return verifyCommand(log, { json: format === "json", verifier, anchors });
    if (sub === "anchor") {
      return anchorCommand(log, signer, { output: values.output, acceptUnsigned: values["accept-unsigned"] === true });
    }
    return exportEntries(log, values.since, values.output);
  });
}
