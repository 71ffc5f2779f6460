/** `leakstop rules list` and `leakstop rules test [FILE...]`. */

import { readConfigFile } from "../../config/config-file.js";
import { buildRuleSet } from "../../config/ruleset.js";
import { issuersFromEnv } from "../../config/scan-config.js";
import { checkExamples, type ExampleChecked } from "../../detection/check-examples.js";
import { compileEngine } from "../../detection/compile.js";
import { LeakstopError } from "../../lib/errors.js";
import { loadDetectorFiles } from "../../rules/load-detectors.js";
import { parseCommandArgs } from "../parse-args.js";

const HELP = `usage: leakstop rules list [--format text|json] [--config FILE]
       leakstop rules test [FILE...] [--config FILE] [--verbose]

list   every loaded detector: id, provider, severity, keywords
test   runs every positive and negative example of every rule (or of the rules in FILE...)
       through the whole engine; exit 1 and one line per failure if any example fails
       (FAIL FILE: RULE: positive example #N ...). --verbose (-v) also lists each example
       that passed (ok FILE: RULE: negative example #N), never the example's text
--config FILE (-c)   a .leakstop.toml whose rules, overrides and disabled rules apply`;

const OPTIONS = {
  format: { type: "string", short: "f" },
  config: { type: "string", short: "c" },
  verbose: { type: "boolean", short: "v" },
  help: { type: "boolean", short: "h" },
} as const;

export default async function rules(args: string[]): Promise<number> {
  const { values, positionals } = parseCommandArgs("rules", args, OPTIONS);
  const [sub, ...files] = positionals;
  if (values.help || sub === undefined) {
    process.stdout.write(`${HELP}\n`);
    return sub === undefined && !values.help ? 2 : 0;
  }
  if (sub === "list" && values.verbose)
    throw new LeakstopError("LS_USAGE", "rules list: --verbose is for rules test (see leakstop rules --help)");
  if (sub === "test" && values.format !== undefined)
    throw new LeakstopError("LS_USAGE", "rules test: --format is for rules list (see leakstop rules --help)");
  const config = values.config ? readConfigFile(values.config) : null;
  const ruleSet = buildRuleSet(config, issuersFromEnv(process.env), { examples: sub === "test" });
  if (sub === "list") {
    if (files.length > 0) throw new LeakstopError("LS_USAGE", `rules list: unexpected argument "${files[0]}"`);
    if (values.format === "json") {
      const rows = ruleSet.rules.map(({ examples: _e, origin: _o, ...r }) => r);
      process.stdout.write(`${JSON.stringify(rows, null, 2)}\n`);
    } else if (values.format === undefined || values.format === "text") {
      for (const r of ruleSet.rules) {
        process.stdout.write(`${r.id}\t${r.provider}\t${r.severity}\t${r.keywords.join(",")}\n`);
      }
      process.stdout.write(
        `${ruleSet.rules.length} rules, ${new Set(ruleSet.rules.map((r) => r.provider)).size} providers\n`,
      );
    } else throw new LeakstopError("LS_USAGE", `rules list: unknown --format "${values.format}" (text, json)`);
    return 0;
  }
  if (sub !== "test") throw new LeakstopError("LS_USAGE", `rules: unknown subcommand "${sub}" (list, test)`);
  let toCheck = ruleSet.rules;
  let all = ruleSet.rules;
  if (files.length > 0) {
    const loaded = loadDetectorFiles(files, true);
    const ids = new Set(loaded.rules.map((r) => r.id));
    all = [...ruleSet.rules.filter((r) => !ids.has(r.id)), ...loaded.rules];
    toCheck = loaded.rules;
  }
  const engine = compileEngine({ ...ruleSet, rules: all });
  const line = (f: ExampleChecked) =>
    f.problem === null
      ? `ok   ${f.origin}: ${f.ruleId}: ${f.kind} example #${f.index + 1}\n`
      : `FAIL ${f.origin}: ${f.ruleId}: ${f.kind} example #${f.index + 1} ${f.problem}\n`;
  // Without --verbose only the failures, after the run; with it every example as it is checked.
  const failures = checkExamples(engine, toCheck, values.verbose ? (f) => process.stdout.write(line(f)) : undefined);
  if (!values.verbose) for (const f of failures) process.stdout.write(line(f));
  const examples = toCheck.reduce((n, r) => n + r.examples.positives.length + r.examples.negatives.length, 0);
  process.stdout.write(
    `${failures.length === 0 ? "ok" : "FAILED"}: ${toCheck.length} rules, ${examples} examples, ${failures.length} failure(s)\n`,
  );
  return failures.length === 0 ? 0 : 1;
}
