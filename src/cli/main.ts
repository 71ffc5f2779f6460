/**
 * CLI entry point: lazily imports the subcommand's module (so that `scan` and `hook run` never
 * load BullMQ, ioredis, Octokit or the HTTP server); run-cli.ts turns errors into exit codes.
 * bin/leakstop.js runs `hook run` from a single-file build of hook-main.ts instead, when present.
 */
import { type CommandTable, runCli } from "./run-cli.js";

const COMMANDS: CommandTable = {
  scan: () => import("./commands/scan.js"),
  rules: () => import("./commands/rules.js"),
  keys: () => import("./commands/keys.js"),
  audit: () => import("./commands/audit.js"),
  server: () => import("./commands/server.js"),
  "org-scan": () => import("./commands/org-scan.js"),
  hook: () => import("./commands/hook.js"),
  report: () => import("./commands/report.js"),
  worker: () => import("./commands/worker.js"),
  demo: () => import("./commands/demo.js"),
};

const USAGE = `usage: leakstop <command> [options]

commands:
  scan [PATH]          scan a working tree (default .) for leaked secrets
  rules list|test      list the detectors; run every rule example through the engine
  hook install|run     install the pre-commit (or pre-push) git hook; what the hook runs
  keys ...             issue, verify, rotate, revoke and list keys (needs Redis)
  audit verify|anchor|export|keygen  check, anchor or export the signed audit trail (needs Redis)
  server               the HTTP API (needs Redis)
  worker               revoke leaked keys from the findings queue, enqueue notifications (needs Redis)
  org-scan --org ORG   scan the history of every repository of a GitHub organization
  report keygen|--flush|failed|dead-letters  report key pair; deliver spooled findings; list or retry
                       failed findings jobs (failed --retry); failed notifications (dead-letters --replay)
  demo                 the whole story on a throwaway Redis: issue, leak, scan, revoke, notify, audit

Run "leakstop <command> --help" for a command's options.
Exit codes: 0 nothing found / success, 1 findings (or a key/audit check failed), 2 usage, config or runtime error.`;

void runCli(process.argv.slice(2), COMMANDS, USAGE);
