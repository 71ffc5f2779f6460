/**
 * `npm run bench -- verify [--http] [--seconds N]`: the verify benchmarks under each
 * Redis persistence setting, AOF off, `appendfsync everysec` and `always`, each run
 * with its own redis-server (started by bench/verify.ts and bench/verify-http.ts).
 * In process: keys with and without a rate limit; with --http also POST
 * /v1/keys/verify through `leakstop server`. The load average is printed with each
 * table: figures from a busy machine are a floor, not the code's speed.
 */
import { spawnSync } from "node:child_process";
import { loadavg } from "node:os";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";

const VERIFY = fileURLToPath(new URL("./verify.js", import.meta.url));
const VERIFY_HTTP = fileURLToPath(new URL("./verify-http.js", import.meta.url));
const MODES = ["off", "everysec", "always"] as const;

function run(script: string, args: string[]): void {
  const load = loadavg()
    .map((l) => l.toFixed(1))
    .join(" ");
  process.stdout.write(
    `\n$ node ${script.replace(/^.*\/dist\//, "dist/")} ${args.join(" ")}   (load average ${load})\n`,
  );
  const r = spawnSync(process.execPath, [script, ...args], { stdio: "inherit" });
  if (r.status !== 0) process.stdout.write(`(exited with ${r.status ?? r.signal})\n`);
}

/** Runs every mode; argv are the arguments after `verify`. */
export function runVerifyBench(argv: string[]): void {
  const { values } = parseArgs({
    args: argv,
    options: {
      http: { type: "boolean", default: false },
      seconds: { type: "string", default: "5" },
      concurrency: { type: "string", default: "16,64,256" },
    },
  });
  for (const aof of MODES) {
    const common = ["--seconds", values.seconds, "--concurrency", values.concurrency, "--aof", aof];
    run(VERIFY, [...common, "--no-rate-limit"]);
    run(VERIFY, common);
    if (values.http) run(VERIFY_HTTP, ["--seconds", values.seconds, "--concurrency", "16,64", "--aof", aof]);
  }
}
