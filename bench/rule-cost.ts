/**
 * Where the regex time goes, rule by rule: compiles every built-in rule (timing each), reads
 * a tree the way the scanner walks it, runs the keyword prefilter per file, then each rule's
 * regex over the files its keywords selected — the same functions the engine calls.
 *   node dist/bench/rule-cost.js TREE [--top 15]
 */
import { readFileSync, statSync } from "node:fs";
import { parseArgs } from "node:util";
import { buildRuleSet } from "../src/config/ruleset.js";
import { candidateRules, compileEngine, type Engine } from "../src/detection/compile.js";
import { execBuffer } from "../src/detection/regex.js";
import { fsPath, walkTree } from "../src/sources/tree.js";

const now = () => Number(process.hrtime.bigint()) / 1e6;

interface Cost {
  id: string;
  compileMs: number;
  execMs: number;
  files: number;
  bytes: number;
  matches: number;
}

function compileCosts(): { engine: Engine; costs: Map<string, Cost> } {
  const rs = buildRuleSet(null, []);
  const costs = new Map<string, Cost>();
  for (const spec of rs.rules) {
    const t = now();
    compileEngine({ rules: [spec], allowlists: [], settings: rs.settings });
    costs.set(spec.id, { id: spec.id, compileMs: now() - t, execMs: 0, files: 0, bytes: 0, matches: 0 });
  }
  const t = now();
  const engine = compileEngine(rs);
  console.log(`${rs.rules.length} rules; whole engine compiles in ${(now() - t).toFixed(0)} ms`);
  return { engine, costs };
}

function table(title: string, rows: Cost[], col: (c: Cost) => string): void {
  console.log(
    `\n${title}\n| rule | compile ms | regex ms | files selected | MiB selected | matches |\n| --- | ---: | ---: | ---: | ---: | ---: |`,
  );
  for (const c of rows) console.log(col(c));
}

function main(): void {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: { top: { type: "string", default: "15" } },
  });
  const root = positionals[0] ?? ".";
  const top = Number(values.top);
  const { engine, costs } = compileCosts();
  // Files over 64 MiB would be chunked by the scanner; reading them whole here would skew the figures.
  const files = walkTree(root, { exclude: [] }).files.filter((f) => statSync(fsPath(f)).size <= 64 * 1024 * 1024);
  const data = files.map((f) => readFileSync(fsPath(f)));
  const total = data.reduce((s, d) => s + d.length, 0);
  let prefilterMs = 0;
  for (const d of data) {
    let t = now();
    const rules = candidateRules(engine, d);
    prefilterMs += now() - t;
    for (const rule of rules) {
      const c = costs.get(rule.spec.id)!;
      t = now();
      rule.regex.lastIndex = 0;
      while (execBuffer(rule.regex, d) !== null) c.matches++;
      c.execMs += now() - t;
      c.files++;
      c.bytes += d.length;
    }
  }
  const all = [...costs.values()];
  const execTotal = all.reduce((s, c) => s + c.execMs, 0);
  const compileTotal = all.reduce((s, c) => s + c.compileMs, 0);
  const ran = all.filter((c) => c.files > 0).length;
  console.log(`${ran} of ${all.length} rules ran on at least one file (their keywords occur)`);
  console.log(
    `${files.length} files, ${(total / 1048576).toFixed(1)} MiB; prefilter ${prefilterMs.toFixed(0)} ms; regexes ${execTotal.toFixed(0)} ms; rules compiled one by one ${compileTotal.toFixed(0)} ms`,
  );
  const row = (c: Cost) =>
    `| ${c.id} | ${c.compileMs.toFixed(1)} | ${c.execMs.toFixed(0)} | ${c.files} | ${(c.bytes / 1048576).toFixed(1)} | ${c.matches} |`;
  table(`Top ${top} rules by regex time`, [...all].sort((a, b) => b.execMs - a.execMs).slice(0, top), row);
  table(`Top ${top} rules by compile time`, [...all].sort((a, b) => b.compileMs - a.compileMs).slice(0, top), row);
}

main();
