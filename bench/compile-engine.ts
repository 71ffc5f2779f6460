/**
 * Start-up + loading the detector files + compiling every rule eagerly: the fixed cost a scan
 * thread would pay before its first byte without lazy compilation (compare with
 * `leakstop rules list`, which loads but does not compile).
 * Usage: node dist/bench/compile-engine.js → prints "<rules> rules, compiled in <ms> ms".
 */
import { buildRuleSet } from "../src/config/ruleset.js";
import { compileEngine } from "../src/detection/compile.js";

const ruleSet = buildRuleSet(null, []);
const t = performance.now();
compileEngine(ruleSet);
process.stdout.write(`${ruleSet.rules.length} rules, compiled in ${(performance.now() - t).toFixed(0)} ms\n`);
