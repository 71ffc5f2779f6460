/** `leakstop demo` (SPEC §3): the five-minute tour on a throwaway local Redis. */
import { runDemo } from "../../demo/demo-tour.js";
import { parseCommandArgs } from "../parse-args.js";

const HELP = `usage: leakstop demo [--keep]

Starts a throwaway redis-server (it must be on PATH), issues a key, commits it into a temporary
git repository, scans it with --report, and shows a running leakstop worker revoke the key, the
owner's webhook receive a signed message, and the audit trail verify. Touches nothing of yours:
no REDIS_URL, no config file, only a temporary directory, removed at the end.

options:
  --keep    keep the temporary directory (repository, keys, Redis data) and print where`;

const OPTIONS = {
  keep: { type: "boolean" },
  verbose: { type: "boolean" },
  help: { type: "boolean", short: "h" },
} as const;

export default async function demo(args: string[]): Promise<number> {
  const { values } = parseCommandArgs("demo", args, OPTIONS, 0);
  if (values.help) {
    process.stdout.write(`${HELP}\n`);
    return 0;
  }
  await runDemo({ keep: values.keep === true });
  return 0;
}
