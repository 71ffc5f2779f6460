import { type ParseArgsConfig, parseArgs } from "node:util";
import { LeakstopError } from "../lib/errors.js";

export type OptionSpec = NonNullable<ParseArgsConfig["options"]>;

/**
 * Strict flag parsing shared by every subcommand: unknown flags and missing
 * values become one-line LS_USAGE errors (exit 2) instead of stack traces.
 */
export function parseCommandArgs<O extends OptionSpec>(
  command: string,
  args: string[],
  options: O,
  maxPositionals = Number.POSITIVE_INFINITY,
) {
  try {
    const parsed = parseArgs({ args, options, allowPositionals: true, strict: true });
    if (parsed.positionals.length > maxPositionals) {
      throw new LeakstopError(
        "LS_USAGE",
        `${command}: unexpected argument "${parsed.positionals[maxPositionals]}" (see leakstop ${command} --help)`,
      );
    }
    return parsed;
  } catch (err) {
    if (err instanceof LeakstopError) throw err;
    const msg = err instanceof Error ? err.message.split("\n")[0] : String(err);
    // `--threads -1`: node takes -1 for another option and says the argument is "ambiguous".
    const dash = /^Option '(-[^']*)' argument is ambiguous/.exec(msg ?? "");
    if (dash)
      throw new LeakstopError(
        "LS_USAGE",
        `${command}: ${dash[1]} needs a value; one that starts with "-" is written ${dash[1]}=-…`,
      );
    throw new LeakstopError("LS_USAGE", `${command}: ${msg?.replace(/\. To specify a positional.*$/, "")}`);
  }
}
