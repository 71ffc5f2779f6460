/**
 * Start-up + loading the detector files + compiling every rule eagerly: the fixed cost a scan
 * thread would pay before its first byte without lazy compilation (compare with
 * `leakstop rules list`, which loads but does not compile).
 * Usage: node dist/bench/compile-engine.js [--rules ID,ID,...] [--rounds N]
 *   → prints "<rules> rules, compiled in <ms> ms" (wall of the first round) and the CPU per round
 *     (median of N rounds, default 1); --rules compiles only those built-in rules.
 */
import { parseArgs } from "node:util";
import { buildRuleSet } from "../src/config/ruleset.js";
import { compileEngine } from "../src/detection/compile.js";
import { percentile } from "./lib/stats.js";

const { values } = parseArgs({ options: { rules: { type: "string" }, rounds: { type: "string" } } });
const all = buildRuleSet(null, []);
const wanted = values.rules ? new Set(values.rules.split(",")) : null;
const ruleSet = wanted ? { ...all, rules: all.rules.filter((r) => wanted.has(r.id)) } : all;
if (wanted && ruleSet.rules.length !== wanted.size) {
  const known = new Set(ruleSet.rules.map((r) => r.id));
  process.stderr.write(`compile-engine: no built-in rule ${[...wanted].filter((id) => !known.has(id)).join(", ")}\n`);
  process.exit(2);
}
const rounds = Math.max(1, Number(values.rounds ?? 1));
const cpu: number[] = [];
let firstWall = 0;
for (let i = 0; i < rounds; i++) {
  const t = performance.now();
  const c = process.cpuUsage();
  compileEngine(ruleSet);
  const used = process.cpuUsage(c);
  cpu.push((used.user + used.system) / 1000);
  if (i === 0) firstWall = performance.now() - t;
}
process.stdout.write(
  `${ruleSet.rules.length} rules, compiled in ${firstWall.toFixed(0)} ms; CPU per round ${percentile(Float64Array.from(cpu).sort(), 50).toFixed(1)} ms (median of ${rounds})\n`,
);
