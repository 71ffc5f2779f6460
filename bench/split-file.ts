/**
 * How one big file's chunks spread over the threads (scan/split-file): scans FILE with the
 * built-in rules on the calling thread and THREADS - 1 workers, and prints the chunks each thread
 * scanned, the process's CPU (user + system, every thread) against wall time, and the findings.
 * CPU over wall above 1 means more than one core was busy (on a quiet machine; under load the
 * threads wait for a core, and the per-thread chunk counts are what shows the work was shared).
 *   node dist/bench/split-file.js FILE [--threads 2]
 */
import { statSync } from "node:fs";
import { basename } from "node:path";
import { parseArgs } from "node:util";
import { buildRuleSet } from "../src/config/ruleset.js";
import { compileEngine, onlyUserRules } from "../src/detection/compile.js";
import { portableRuleSet } from "../src/rules/portable-rules.js";
import { ChunkScanners } from "../src/scan/split-file.js";

async function main(): Promise<void> {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: { threads: { type: "string", default: "2" } },
  });
  const file = positionals[0];
  if (!file) throw new Error("usage: split-file FILE [--threads N]");
  const threads = Number(values.threads);
  const size = statSync(file).size;
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const ruleSet = buildRuleSet(null, []);
  const engine = compileEngine(ruleSet, onlyUserRules);
  const scanners = new ChunkScanners(
    threads,
    { ruleSet: portableRuleSet(ruleSet), detect: { showSecrets: false } },
    engine,
  );
  try {
    const r = await scanners.scanFile(
      { abs: file, rel: basename(file) },
      size,
      { path: basename(file), source: "tree" },
      { showSecrets: false },
    );
    const wall = (performance.now() - t0) / 1000;
    const used = process.cpuUsage(cpu0);
    const cpu = (used.user + used.system) / 1e6;
    const byThread = [...scanners.chunksByThread.entries()].sort((a, b) => a[0] - b[0]);
    console.log(
      `file: ${(size / 2 ** 20).toFixed(0)} MiB, ${threads} threads, findings ${r.findings.length}${r.skipped ? `, skipped ${r.skipped}` : ""}`,
    );
    console.log(`chunks per thread (id 0 = main): ${byThread.map(([t, n]) => `${t}: ${n}`).join(", ")}`);
    console.log(
      `CPU ${cpu.toFixed(2)} s, wall ${wall.toFixed(2)} s, CPU/wall ${(cpu / wall).toFixed(2)}, ${(size / 1e6 / cpu).toFixed(0)} MB per CPU-second, ${(size / 1e6 / wall).toFixed(0)} MB/s wall`,
    );
  } finally {
    await scanners.close();
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`split-file: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exitCode = 2;
});
