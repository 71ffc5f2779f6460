/** `leakstop hook install [--pre-push] [--force]` and `leakstop hook run [--pre-push]`: the git hook entry point. */
import { fileURLToPath } from "node:url";
import { LeakstopError } from "../../lib/errors.js";
import { parseCommandArgs } from "../parse-args.js";

const HOOK_HELP = `usage: leakstop hook install [--pre-push] [--force] [--report]
       leakstop hook run [--pre-push] [--baseline FILE] [--report] [--min-kind KIND]
       leakstop hook accept [--baseline FILE]

install   writes a pre-commit hook (with --pre-push: a pre-push hook) into the current repository's
          hooks folder (core.hooksPath and linked worktrees honoured). A hook already there is kept
          as <hook>.pre-leakstop and run first; --force replaces it instead (kept as
          <hook>.leakstop-replaced). Installing again only refreshes leakstop's hook.
          --report: the hook also reports what it finds (hook run --report)
          ([hook] report = true in .leakstop.toml does the same without reinstalling)
run       what the hook runs: scans what is staged (pre-push: the commits being pushed, read from
          the refs git writes on stdin) and exits 1 to block, printing what was found, where, and
          the ways out. Reads .leakstop.toml and .leakstop-baseline.json at the top of the work
          tree when present (--baseline FILE: another baseline). --report also sends the
          findings to the revocation pipeline, as scan --report (REDIS_URL, or LEAKSTOP_SERVER +
          LEAKSTOP_TOKEN; spooled while neither answers); the block is the same.
          --min-kind KIND blocks only on findings in files of that kind or more important
          (code > config > test, docs, example, generated, vendored); also LEAKSTOP_MIN_KIND,
          [hook] minKind, then [scan] report in .leakstop.toml. Default: every kind.
accept    adds the fingerprints of what is staged now to that baseline (keeping its entries), so
          the hook lets those findings through; commit the file to share it.

Exit codes: 0 nothing found / installed, 1 secrets found (the commit or push is blocked), 2 error.`;

const OPTIONS = {
  "pre-push": { type: "boolean" },
  force: { type: "boolean" },
  report: { type: "boolean" },
  baseline: { type: "string" },
  "min-kind": { type: "string" },
  verbose: { type: "boolean", short: "v" },
  help: { type: "boolean", short: "h" },
} as const;

/** bin/leakstop.js of this installation: the hook runs the same leakstop that installed it. */
const CLI_PATH = fileURLToPath(new URL("../../../../bin/leakstop.js", import.meta.url));

async function install(prePush: boolean, force: boolean, report: boolean): Promise<number> {
  const { installHook } = await import("../../hook/install.js");
  const kind = prePush ? "pre-push" : "pre-commit";
  const r = installHook({ kind, force, node: process.execPath, cli: CLI_PATH, report });
  const said = {
    installed: `installed the ${kind} hook: ${r.path}`,
    updated: `the ${kind} hook was already installed; refreshed ${r.path}`,
    chained: `installed the ${kind} hook: ${r.path} (the hook that was there runs first, from ${r.previous})`,
    replaced: `installed the ${kind} hook: ${r.path} (--force: the previous hook is no longer run; kept as ${r.previous})`,
  }[r.action];
  process.stdout.write(`leakstop: ${said}\n`);
  return 0;
}

export default async function hook(args: string[]): Promise<number> {
  const { values, positionals } = parseCommandArgs("hook", args, OPTIONS);
  const [sub, ...rest] = positionals;
  if (values.help || sub === undefined) {
    process.stdout.write(`${HOOK_HELP}\n`);
    return values.help ? 0 : 2;
  }
  if (sub === "install") {
    if (rest.length > 0) throw new LeakstopError("LS_USAGE", `hook install: unexpected argument "${rest[0]}"`);
    if (values.baseline !== undefined)
      throw new LeakstopError("LS_USAGE", "hook install: --baseline belongs to hook run");
    if (values["min-kind"] !== undefined)
      throw new LeakstopError(
        "LS_USAGE",
        "hook install: --min-kind belongs to hook run ([hook] minKind in .leakstop.toml)",
      );
    return install(values["pre-push"] === true, values.force === true, values.report === true);
  }
  if (sub === "run") {
    if (values.force) throw new LeakstopError("LS_USAGE", "hook run: --force belongs to hook install");
    const { prePushArgs, runHook } = await import("../../hook/run.js");
    // The pre-commit framework passes file names; git's pre-push passes the remote name and URL.
    const prePush = values["pre-push"] ? prePushArgs(rest[0], process.env) : undefined;
    return runHook({
      baseline: values.baseline,
      prePush,
      env: process.env,
      write: (t) => process.stderr.write(t),
      report: values.report === true,
      minKind: values["min-kind"],
    });
  }
  if (sub === "accept") {
    if (values.force || values["pre-push"] || values.report)
      throw new LeakstopError("LS_USAGE", "hook accept: takes only --baseline FILE");
    const { acceptStaged } = await import("../../hook/run.js");
    return acceptStaged({ baseline: values.baseline, env: process.env, write: (t) => process.stdout.write(t) });
  }
  throw new LeakstopError("LS_USAGE", `hook: unknown subcommand "${sub}" (install, run or accept)`);
}
