/**
 * `scan --history` with and without delta scans, in this process (node's own CPU and peak RSS,
 * main thread and workers; git's processes not counted), and the findings compared.
 *   node dist/bench/history-delta.js REPO [--threads 2] [--delta-only]
 * (--delta-only: the delta scan alone, for its CPU and peak RSS.)
 */
import { parseArgs } from "node:util";
import { buildRuleSet } from "../src/config/ruleset.js";
import { scanHistory } from "../src/scan/scan-history.js";

const { positionals, values } = parseArgs({
  allowPositionals: true,
  options: { threads: { type: "string" }, "delta-only": { type: "boolean" } },
});
const repo = positionals[0];
if (!repo) throw new Error("usage: node dist/bench/history-delta.js REPO [--threads N] [--delta-only]");
const ruleSet = buildRuleSet(null, []);
const runs: string[] = [];
for (const delta of values["delta-only"] ? [true] : [true, false]) {
  let peak = 0;
  const timer = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage.rss());
  }, 100);
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const r = await scanHistory(ruleSet, {
    repo,
    threads: Number(values.threads ?? 2),
    showSecrets: false,
    maxFileSize: 0,
    delta,
  });
  const cpu = process.cpuUsage(cpu0);
  clearInterval(timer);
  runs.push(JSON.stringify(r.findings.map((f) => [f.ruleId, f.path, f.commit, f.startLine, f.secretHash])));
  console.log(
    `delta=${delta}: ${r.findings.length} findings, ${r.stats.rescanned} rescanned, node CPU ${(cpu.user / 1e6).toFixed(1)} + ${(cpu.system / 1e6).toFixed(1)} s, wall ${((performance.now() - t0) / 1000).toFixed(1)} s, peak RSS ${(peak / 1048576).toFixed(0)} MB`,
  );
}
if (runs.length === 2) console.log(runs[0] === runs[1] ? "same findings" : "FINDINGS DIFFER");
