/**
 * `npm run bench [-- TREE...] [--runs N] [--size MB] [--seed S] [--threads N]` — speed of
 * `leakstop scan` against the I/O floor (and gitleaks when on PATH), on the synthetic corpus
 * (built into bench/.corpus/, with planted keys whose recall is checked) or on given trees.
 * `npm run bench -- --accuracy` runs the labelled accuracy check instead (bench/accuracy.ts);
 * `npm run bench -- hook` the pre-commit hook's start-up (bench/hook.ts); `npm run bench -- pipeline`
 * the revocation pipeline's latency and throughput (bench/pipeline.ts; `pipeline --cluster` on a local
 * three-master Redis Cluster); `npm run bench -- verify
 * [--http]` the registry's verify under AOF off, everysec and always (bench/verify-modes.ts);
 * `npm run bench -- history REPO... [--runs N]` full-history scans beside the cat-file read and gitleaks
 * (bench/history.ts); `npm run bench -- accuracy-peers --cases DIR` other scanners' published test cases (bench/accuracy-peers.ts);
 * `npm run bench -- accuracy-repos --repos DIR` popular public repositories against a judged list (bench/accuracy-repos.ts).
 */
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { loadavg } from "node:os";
import { resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import type { Manifest } from "./corpus/labels.js";
import { buildPerfCorpus, cachedPerfCorpus } from "./corpus/perf-corpus.js";
import { onPath } from "./lib/on-path.js";
import { prepareWorkDir } from "./lib/workdir.js";
import { type Series, series, treeStats } from "./measure.js";
import { pct, speedTable } from "./report.js";
import { parseFindings, ratios, score } from "./score.js";

const CLI = fileURLToPath(new URL("../../bin/leakstop.js", import.meta.url));
const IO_FLOOR = fileURLToPath(new URL("./io-floor.js", import.meta.url));
const COMPILE = fileURLToPath(new URL("./compile-engine.js", import.meta.url));
const WORK = resolve("bench/.work");

const scanOk = (c: number) => c === 0 || c === 1;

/** Every measurement for one tree; the last scan's JSON is left in `jsonOut`. */
function benchTree(root: string, runs: number, threads: string | undefined, jsonOut: string): Series[] {
  const node = process.execPath;
  const baseScan = [CLI, "scan", root, "--format", "json", "--no-progress"];
  const scanArgs = [...baseScan, ...(threads ? ["--threads", threads] : [])];
  const out: Series[] = [
    series("node start-up (`node -e 0`)", node, ["-e", "0"], runs),
    series("leakstop --version (CLI start-up)", node, [CLI, "--version"], runs),
    series("leakstop rules list (start-up + load detector files)", node, [CLI, "rules", "list"], runs),
    series("start-up + load + compile every rule eagerly", node, [COMPILE], runs),
    series("I/O floor (walk + read every file, node)", node, [IO_FLOOR, root], runs),
    series(`leakstop scan${threads ? ` --threads ${threads}` : ""}`, node, scanArgs, runs, {
      stdoutFile: jsonOut,
      ok: scanOk,
    }),
    series("leakstop scan --threads 1", node, [...baseScan, "--threads", "1"], runs, { ok: scanOk }),
  ];
  if (onPath("gitleaks")) {
    const args = [
      "detect",
      "--no-git",
      "--source",
      root,
      "--no-banner",
      "--exit-code",
      "0",
      "--report-path",
      "/dev/null",
    ];
    out.push(series("gitleaks detect --no-git", "gitleaks", args, runs));
  }
  return out;
}

function recallReport(manifest: Manifest, jsonOut: string): string {
  const findings = parseFindings(readFileSync(jsonOut, "utf8"));
  const s = score(findings, manifest.labels, manifest.decoys);
  const r = ratios(s.truePositives.length, 0, s.falseNegatives.length);
  const missedBy = new Map<string, number>();
  for (const l of s.falseNegatives) missedBy.set(l.maker, (missedBy.get(l.maker) ?? 0) + 1);
  const missed = [...missedBy].sort((a, b) => b[1] - a[1]).map(([k, n]) => `${k} ×${n}`);
  return [
    `Planted keys found: ${s.truePositives.length} / ${manifest.labels.length} (recall ${pct(r.recall)}; ${s.truePositives.filter((t) => t.by === "location").length} matched by location only).`,
    `Other findings (unplanted, e.g. in lockfiles/bundles): ${s.falsePositives.length}; duplicates of planted keys: ${s.duplicates}.`,
    missed.length ? `Missed by generator: ${missed.join(", ")}` : "No planted key missed.",
  ].join("\n");
}

async function main(): Promise<void> {
  if (process.argv[2] === "hook") {
    const { runHookBench } = await import("./hook.js");
    process.exitCode = await runHookBench(process.argv.slice(3));
    return;
  }
  if (process.argv[2] === "verify") {
    const { runVerifyBench } = await import("./verify-modes.js");
    runVerifyBench(process.argv.slice(3));
    return;
  }
  if (process.argv[2] === "pipeline") {
    const { runPipelineBench } = await import("./pipeline.js");
    process.exitCode = await runPipelineBench(process.argv.slice(3));
    return;
  }
  if (process.argv[2] === "history") {
    const { runHistoryBench } = await import("./history.js");
    process.exitCode = runHistoryBench(process.argv.slice(3));
    return;
  }
  if (process.argv[2] === "accuracy-repos") {
    const { runAccuracyRepos } = await import("./accuracy-repos.js");
    process.exitCode = runAccuracyRepos(process.argv.slice(3));
    return;
  }
  if (process.argv[2] === "accuracy-peers") {
    const { runAccuracyPeers } = await import("./accuracy-peers.js");
    process.exitCode = await runAccuracyPeers(process.argv.slice(3));
    return;
  }
  if (process.argv.includes("--accuracy")) {
    const { runAccuracy } = await import("./accuracy.js");
    process.exitCode = await runAccuracy(process.argv.slice(2).filter((a) => a !== "--accuracy"));
    return;
  }
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      runs: { type: "string", default: "5" },
      size: { type: "string", default: "256" },
      seed: { type: "string", default: "leakstop-bench-1" },
      planted: { type: "string", default: "400" },
      threads: { type: "string" },
    },
  });
  prepareWorkDir(WORK);
  prepareWorkDir(resolve("bench/.corpus"));
  const runs = Number(values.runs);
  const trees: { root: string; manifest: Manifest | null }[] = positionals.map((p) => ({
    root: resolve(p),
    manifest: null,
  }));
  if (trees.length === 0) {
    const opts = {
      root: resolve("bench/.corpus/perf"),
      seed: values.seed,
      sizeMb: Number(values.size),
      planted: Number(values.planted),
    };
    let manifest = cachedPerfCorpus(opts);
    if (!manifest) {
      process.stderr.write(`bench: generating ${opts.sizeMb} MB corpus into ${opts.root} (seed ${opts.seed})...\n`);
      manifest = buildPerfCorpus(opts);
    }
    trees.push({ root: opts.root, manifest });
  }
  for (const [i, t] of trees.entries()) {
    const stats = treeStats(t.root);
    const jsonOut = `${WORK}/scan-${i}.json`;
    process.stderr.write(
      `bench: ${t.root}: ${stats.files} files, ${(stats.bytes / 1048576).toFixed(1)} MiB, ${runs} runs each...\n`,
    );
    const results = benchTree(t.root, runs, values.threads, jsonOut);
    const nproc = spawnSync("nproc").stdout?.toString().trim();
    const title = `${t.manifest ? "synthetic corpus" : t.root} (${stats.files} files, ${(stats.bytes / 1048576).toFixed(1)} MiB)`;
    const load = loadavg()[0]!.toFixed(1);
    console.log(`\n### ${title}\n\n${nproc} CPUs, node ${process.version}, load average ${load} at the end.\n`);
    console.log(speedTable(results, stats));
    const findings = parseFindings(readFileSync(jsonOut, "utf8"));
    console.log(`\nleakstop findings: ${findings.length}`);
    if (t.manifest) console.log(recallReport(t.manifest, jsonOut));
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`bench: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exitCode = 2;
});
