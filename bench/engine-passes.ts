/**
 * The engine's own cost over a tree's files, cold and warm: one engine is built the way a scan
 * worker builds it (built-in rules, compiled lazily), then every file goes through detectFragment
 * (the whole engine: views, prefilter, gating, rules, decoded view) several times. The first pass
 * pays what each worker pays once (compiling the rules its texts select, RE2 building its automata,
 * V8 compiling the engine's code); the later ones are the steady cost. CPU time of this thread.
 *   node dist/bench/engine-passes.js TREE [--passes 3] [--only REGEX]
 * `--only \.(js|map)$` keeps the files whose path matches (axios: its bundles and source maps).
 */
import { readFileSync, statSync } from "node:fs";
import { parseArgs } from "node:util";
import { buildRuleSet } from "../src/config/ruleset.js";
import { compileEngine, onlyUserRules } from "../src/detection/compile.js";
import { detectFragment } from "../src/detection/detect.js";
import { wholeFragment } from "../src/sources/fragment.js";
import { fsPath, walkTree } from "../src/sources/tree.js";

function main(): void {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: { passes: { type: "string", default: "3" }, only: { type: "string" } },
  });
  const root = positionals[0] ?? ".";
  const only = values.only ? new RegExp(values.only) : null;
  const engine = compileEngine(buildRuleSet(null, [], { examples: false }), onlyUserRules);
  // Files over 64 MiB would be chunked by the scanner; whole here they would skew the figures.
  const files = walkTree(root, { exclude: [] })
    .files.filter((f) => (!only || only.test(f.rel)) && statSync(fsPath(f)).size <= 64 * 1024 * 1024)
    .map((f) => ({ path: f.rel, data: readFileSync(fsPath(f)) }));
  const mib = files.reduce((s, f) => s + f.data.length, 0) / 1048576;
  for (let pass = 0; pass < Number(values.passes); pass++) {
    const t = process.cpuUsage();
    let findings = 0;
    for (const f of files) {
      const frag = wholeFragment(f.data, { path: f.path, source: "tree" });
      findings += detectFragment(engine, frag, { showSecrets: false }).length;
    }
    const u = process.cpuUsage(t);
    const ms = (u.user + u.system) / 1000;
    console.log(
      `pass ${pass + 1}${pass === 0 ? " (cold)" : ""}: ${ms.toFixed(0)} ms CPU, ${files.length} files, ${mib.toFixed(1)} MiB, ${(mib / (ms / 1000)).toFixed(1)} MiB/s, ${findings} findings`,
    );
  }
}

main();
