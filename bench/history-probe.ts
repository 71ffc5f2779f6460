/**
 * Where a history delta probe's CPU goes, on real edits: the newest N modifications of text files
 * in a repository (`git log --all --raw`, status M), each new version probed against the one it
 * replaced as `scan --history` does (scan/delta-probe.ts), in this thread. Reported per round:
 * the unit cutting alone (changedRanges), the whole probe (cutting included), and the rules over
 * the cut windows alone, with the keyword prefilter's share of that.
 *   node dist/bench/history-probe.js REPO [--pairs 6000] [--rounds 3]
 */
import { execFileSync } from "node:child_process";
import { parseArgs } from "node:util";
import { buildRuleSet } from "../src/config/ruleset.js";
import { compileEngine, onlyUserRules } from "../src/detection/compile.js";
import { detectFragment } from "../src/detection/detect.js";
import { DELTA_CONTEXT, probeChanges } from "../src/scan/delta-probe.js";
import type { Fragment } from "../src/sources/fragment.js";
import { changedRanges } from "../src/sources/git/blob-delta.js";
import { looksBinary } from "../src/sources/read-chunks.js";

const { positionals, values } = parseArgs({
  allowPositionals: true,
  options: { pairs: { type: "string", default: "6000" }, rounds: { type: "string", default: "3" } },
});
const repo = positionals[0];
if (!repo) throw new Error("usage: node dist/bench/history-probe.js REPO [--pairs N] [--rounds N]");

const git = (args: string[], input?: string) =>
  execFileSync("git", ["-C", repo, ...args], { input, maxBuffer: 4 << 30 });

// The modifications: ":100644 100644 OLD NEW M\tpath" lines of the newest commits, up to --pairs.
const raw = git(["log", "--all", "--raw", "--no-abbrev", "--no-renames", "--format="]).toString("latin1");
const edits: { old: string; neu: string; path: string }[] = [];
for (const line of raw.split("\n")) {
  const m = /^:100644 100644 ([0-9a-f]+) ([0-9a-f]+) M\t(.*)$/.exec(line);
  if (m) edits.push({ old: m[1]!, neu: m[2]!, path: m[3]! });
  if (edits.length >= Number(values.pairs)) break;
}
const ids = [...new Set(edits.flatMap((e) => [e.old, e.neu]))];
const out = git(["cat-file", "--batch"], `${ids.join("\n")}\n`);
const blobs = new Map<string, Buffer>();
for (let at = 0; at < out.length; ) {
  const nl = out.indexOf(10, at);
  const [oid, , size] = out.toString("latin1", at, nl).split(" ");
  const end = nl + 1 + Number(size);
  blobs.set(oid!, out.subarray(nl + 1, end));
  at = end + 1;
}
const pairs = edits
  .map((e) => ({ base: blobs.get(e.old)!, data: blobs.get(e.neu)!, path: e.path }))
  .filter((p) => !looksBinary(p.base) && !looksBinary(p.data));
const mb = (n: number) => (n / 1e6).toFixed(1);
console.log(`${pairs.length} modifications, ${mb(pairs.reduce((s, p) => s + p.data.length, 0))} MB of new versions`);

const engine = compileEngine(buildRuleSet(null, []), onlyUserRules);
const opts = { showSecrets: false, maxFileSize: 0 };
const fragment = (p: (typeof pairs)[number], a: number, b: number): Fragment => ({
  path: p.path,
  source: "history",
  data: p.data.subarray(a, b),
  firstLine: 1,
  firstColumn: 0,
  acceptBefore: b - a,
});
const windows = pairs.flatMap((p) =>
  (changedRanges(p.base, p.data, DELTA_CONTEXT) ?? []).map(([a, b]) => fragment(p, a, b)),
);
console.log(
  `${windows.length} windows (${mb(windows.reduce((s, f) => s + f.data.length, 0))} MB); ${pairs.filter((p) => changedRanges(p.base, p.data, DELTA_CONTEXT) === null).length} modifications left to a whole scan`,
);
const cpu = (f: () => void) => {
  const c0 = process.cpuUsage();
  f();
  const c = process.cpuUsage(c0);
  return ((c.user + c.system) / 1e6).toFixed(2);
};
for (let round = 1; round <= Number(values.rounds); round++) {
  const cut = cpu(() => {
    for (const p of pairs) changedRanges(p.base, p.data, DELTA_CONTEXT);
  });
  const probe = cpu(() => {
    for (const p of pairs) probeChanges(engine, p.base, fragment(p, 0, p.data.length), opts);
  });
  const rules = cpu(() => {
    for (const f of windows) detectFragment(engine, f, opts);
  });
  const prefilter = cpu(() => {
    for (const f of windows) engine.prefilter.match(f.data);
  });
  console.log(
    `round ${round}: CPU s: cutting ${cut}, whole probe ${probe}; rules over the windows ${rules}, of which the prefilter ${prefilter}`,
  );
}
