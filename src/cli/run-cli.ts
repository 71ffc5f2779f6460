/**
 * Runs one CLI invocation: parses the subcommand, lazily loads its module and is the only place
 * that turns errors into exit codes. Shared by the full CLI (main.ts) and the single-file builds
 * (hook-main.ts, scan-main.ts, through bundle-entry.ts), which know only their own command.
 */

import { ERROR_CODES, errorLines, isLeakstopError, stripUrlCredentials } from "../lib/errors.js";
import { leakstopVersion } from "../lib/version.js";

/** A subcommand module's default export: gets the argv after its name, returns the exit code. */
export type CommandRunner = (args: string[]) => Promise<number>;

/** Subcommand name → its module, loaded on demand. */
export type CommandTable = Record<string, () => Promise<{ default: CommandRunner }>>;

async function dispatch(argv: string[], commands: CommandTable, usage: string): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === "--help" || name === "-h" || name === "help") {
    process.stdout.write(`${usage}\n`);
    return name === undefined ? 2 : 0;
  }
  if (name === "--version" || name === "-V") {
    process.stdout.write(`leakstop ${leakstopVersion()}\n`);
    return 0;
  }
  const load = commands[name];
  if (!load) {
    process.stderr.write(`leakstop: unknown command "${name}" (see leakstop --help)\n`);
    return 2;
  }
  const mod = await load();
  return mod.default(rest);
}

function quietOnEpipe(stream: NodeJS.WriteStream): void {
  stream.on("error", (err: NodeJS.ErrnoException) => {
    if (err.code === "EPIPE") return;
    process.exitCode = 2;
  });
}

/**
 * Calls `attach` with process[name] when something first reads it (at once if it cannot wait):
 * node creates the stream on first read, and a clean hook run never writes, so it never pays for
 * creating either stream (~15 M instructions for a pipe: BENCHMARKS.md, hook helper).
 */
function onFirstUse(name: "stdout" | "stderr", attach: (stream: NodeJS.WriteStream) => void): void {
  const own = Object.getOwnPropertyDescriptor(process, name);
  if (!own?.get || !own.configurable) {
    attach(process[name]);
    return;
  }
  const get = own.get;
  Object.defineProperty(process, name, {
    configurable: true,
    enumerable: own.enumerable,
    get() {
      Object.defineProperty(process, name, own); // node's own getter again: it keeps the stream
      const stream = get.call(process) as NodeJS.WriteStream;
      attach(stream);
      return stream;
    },
  });
}

/** Runs `argv` (without node and the script) and sets process.exitCode; never throws. */
export function runCli(argv: string[], commands: CommandTable, usage: string): Promise<void> {
  // `leakstop scan | head`: once the reader is gone, further output is dropped and the command
  // still ends with its own exit code, instead of an unhandled EPIPE with a stack trace.
  onFirstUse("stdout", quietOnEpipe);
  onFirstUse("stderr", quietOnEpipe);
  const verbose = argv.includes("--verbose");
  // A command whose promise never settles (nothing left to wait on) would otherwise exit 0 as if it succeeded.
  let settled = false;
  process.once("beforeExit", () => {
    if (settled) return;
    process.stderr.write(`leakstop: the command stopped before it finished (${ERROR_CODES.LS_INTERNAL.summary})\n`);
    process.exitCode = 2;
  });
  return dispatch(argv, commands, usage).then(
    (code) => {
      settled = true;
      process.exitCode = code;
    },
    (err: unknown) => {
      settled = true;
      if (isLeakstopError(err)) {
        // A file's several problems: each on its own line, so all of them can be fixed in one go.
        for (const line of errorLines(err)) process.stderr.write(`leakstop: ${stripUrlCredentials(line)}\n`);
        process.exitCode = err.exitCode;
      } else {
        const msg = err instanceof Error ? err.message : String(err);
        process.stderr.write(`leakstop: ${stripUrlCredentials(msg)} (${ERROR_CODES.LS_INTERNAL.summary})\n`);
        process.exitCode = 2;
      }
      // A usage error is the user's typo, not a fault to debug: no stack even with --verbose.
      const usage = isLeakstopError(err) && err.code === "LS_USAGE";
      if (verbose && !usage && err instanceof Error && err.stack)
        process.stderr.write(`${stripUrlCredentials(err.stack)}\n`);
    },
  );
}
