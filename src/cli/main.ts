/**
 * CLI entry point: parses the subcommand, lazily imports its module (so that
 * `scan` and `hook run` never load BullMQ, ioredis, Octokit or the HTTP server)
 * and is the only place that turns errors into exit codes.
 */
import { ERROR_CODES, isLeakstopError, stripUrlCredentials } from "../lib/errors.js";

/** A subcommand module's default export: gets the argv after its name, returns the exit code. */
export type CommandRunner = (args: string[]) => Promise<number>;

const COMMANDS: Record<string, () => Promise<{ default: CommandRunner }>> = {
  scan: () => import("./commands/scan.js"),
  rules: () => import("./commands/rules.js"),
  keys: () => import("./commands/keys.js"),
  audit: () => import("./commands/audit.js"),
  server: () => import("./commands/server.js"),
  "org-scan": () => import("./commands/org-scan.js"),
  hook: () => import("./commands/hook.js"),
  report: () => import("./commands/report.js"),
};

const USAGE = `usage: leakstop <command> [options]

commands:
  scan [PATH]          scan a working tree (default .) for leaked secrets
  rules list|test      list the detectors; run every rule example through the engine
  hook install|run     install the pre-commit (or pre-push) git hook; what the hook runs
  keys ...             issue, verify, rotate, revoke and list keys (needs Redis)
  audit verify|anchor|export|keygen  check, anchor or export the signed audit trail (needs Redis)
  server               the HTTP API (needs Redis)
  org-scan --org ORG   scan the history of every repository of a GitHub organization
  report keygen|--flush  make the report key pair; deliver findings spooled while offline

Run "leakstop <command> --help" for a command's options.
Exit codes: 0 nothing found / success, 1 findings (or a key/audit check failed), 2 usage, config or runtime error.`;

async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === "--help" || name === "-h" || name === "help") {
    process.stdout.write(`${USAGE}\n`);
    return name === undefined ? 2 : 0;
  }
  if (name === "--version" || name === "-V") {
    process.stdout.write("leakstop 0.1.0\n");
    return 0;
  }
  const load = COMMANDS[name];
  if (!load) {
    process.stderr.write(`leakstop: unknown command "${name}" (see leakstop --help)\n`);
    return 2;
  }
  const mod = await load();
  return mod.default(rest);
}

// `leakstop scan | head`: once the reader is gone, further output is dropped and the command
// still ends with its own exit code, instead of an unhandled EPIPE with a stack trace.
for (const stream of [process.stdout, process.stderr]) {
  stream.on("error", (err: NodeJS.ErrnoException) => {
    if (err.code === "EPIPE") return;
    process.exitCode = 2;
  });
}

const verbose = process.argv.includes("--verbose");
main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    if (isLeakstopError(err)) {
      process.stderr.write(`leakstop: ${stripUrlCredentials(err.message)}\n`);
      process.exitCode = err.exitCode;
    } else {
      const msg = err instanceof Error ? err.message : String(err);
      process.stderr.write(`leakstop: ${stripUrlCredentials(msg)} (${ERROR_CODES.LS_INTERNAL.summary})\n`);
      process.exitCode = 2;
    }
    if (verbose && err instanceof Error && err.stack) process.stderr.write(`${stripUrlCredentials(err.stack)}\n`);
  },
);
