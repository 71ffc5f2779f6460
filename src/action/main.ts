/**
 * GitHub Action entry point (action.yml runs `node dist/src/action/main.js`): the only place the
 * Action turns errors into exit codes. An error is one `::error::` line, so the run shows it as an
 * annotation; the exit code is 2 (bad input, payload or checkout), 1 for findings, 0 when clean.
 */
import { ERROR_CODES, errorLines, isLeakstopError, stripUrlCredentials } from "../lib/errors.js";
import { escapeData } from "../output/github.js";
import { runAction } from "./run-action.js";

const write = (text: string) => {
  process.stdout.write(text);
};

runAction(process.env, write).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    const known = isLeakstopError(err);
    const message = err instanceof Error || known ? (err as { message: string }).message : String(err);
    const suffix = known ? "" : ` (${ERROR_CODES.LS_INTERNAL.summary})`;
    // One annotation per problem of a config file with several.
    for (const line of known ? errorLines(err) : [message])
      write(`::error title=leakstop::${escapeData(`leakstop: ${stripUrlCredentials(line)}${suffix}`)}\n`);
    process.exitCode = 2;
    if (process.env.RUNNER_DEBUG === "1" && err instanceof Error && err.stack)
      process.stderr.write(`${stripUrlCredentials(err.stack)}\n`);
  },
);
