/**
 * Summarises V8 CPU profiles (from `node --cpu-prof`) by self time per function, to show
 * where a scan spends its CPU (regex, prefilter, hashing, walking, start-up...).
 *   node --cpu-prof --cpu-prof-dir /tmp/prof bin/leakstop.js scan TREE --threads 1 > /dev/null
 *   node dist/bench/cpu-profile.js /tmp/prof/*.cpuprofile [--top 25]
 */
import { readFileSync } from "node:fs";
import { parseArgs } from "node:util";

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount?: number;
}

interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
  startTime: number;
  endTime: number;
}

function shortUrl(url: string): string {
  const m = url.match(/(?:dist\/|node_modules\/)(.*)$/);
  if (m) return m[1]!;
  return url.startsWith("node:") ? url : url.split("/").slice(-2).join("/");
}

/** Self time (ms) per "function (file:line)" over one profile. */
function selfTimes(p: Profile): Map<string, number> {
  const byId = new Map(p.nodes.map((n) => [n.id, n]));
  const out = new Map<string, number>();
  p.samples.forEach((id, i) => {
    const n = byId.get(id);
    if (!n) return;
    const f = n.callFrame;
    const key = `${f.functionName || "(anonymous)"} ${f.url ? `${shortUrl(f.url)}:${f.lineNumber + 1}` : ""}`.trim();
    out.set(key, (out.get(key) ?? 0) + (p.timeDeltas[i] ?? 0) / 1000);
  });
  return out;
}

function main(): void {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: { top: { type: "string", default: "25" } },
  });
  for (const file of positionals) {
    const p = JSON.parse(readFileSync(file, "utf8")) as Profile;
    const times = selfTimes(p);
    const total = [...times.values()].reduce((a, b) => a + b, 0);
    console.log(
      `\n${file}: ${((p.endTime - p.startTime) / 1000).toFixed(0)} ms profiled, ${total.toFixed(0)} ms sampled`,
    );
    console.log("| self ms | % | function |\n| ---: | ---: | --- |");
    const top = [...times].sort((a, b) => b[1] - a[1]).slice(0, Number(values.top));
    for (const [k, ms] of top) console.log(`| ${ms.toFixed(0)} | ${((ms / total) * 100).toFixed(1)} | ${k} |`);
  }
}

main();
