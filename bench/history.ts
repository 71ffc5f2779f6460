/**
 * Full-history scans side by side (SPEC §8: ≤ 2× the cat-file read of the same blobs):
 *   npm run bench -- history REPO... [--runs N] [--warmup]
 * For each (bare) repository: `git cat-file --batch-all-objects --batch --unordered` (reading every
 * object once, the floor), `leakstop scan --history`, and, when a `gitleaks` binary is on PATH,
 * `gitleaks detect --log-opts=--all` (its git mode: `git log -p` over every ref). One run each by
 * default and no warm-up: a git/git history takes minutes.
 */
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { loadavg } from "node:os";
import { basename, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { onPath } from "./lib/on-path.js";
import { prepareWorkDir } from "./lib/workdir.js";
import { median, type Series, series } from "./measure.js";
import { parseFindings } from "./score.js";

const CLI = fileURLToPath(new URL("../../bin/leakstop.js", import.meta.url));
const WORK = resolve("bench/.work");

const fmt = (x: number, d: number) => (Number.isFinite(x) ? x.toFixed(d) : "–");
const cpuOf = (s: Series) => median(s.runs.map((r) => (r.userS ?? Number.NaN) + (r.sysS ?? Number.NaN)));

function gitCount(repo: string, args: string[]): string {
  return (
    spawnSync("git", ["-C", repo, ...args])
      .stdout?.toString()
      .trim() ?? "?"
  );
}

function historyTable(rows: { s: Series; findings: string }[]): string {
  const floor = cpuOf(rows[0]!.s);
  const wallFloor = median(rows[0]!.s.runs.map((r) => r.wallMs));
  return [
    "| command | runs | median wall (s) | wall ratio | user+sys CPU (s) | CPU ratio | peak RSS (MB, largest process) | findings |",
    "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ...rows.map(({ s, findings }) => {
      const wall = median(s.runs.map((r) => r.wallMs));
      const rss = s.runs.map((r) => r.maxRssMb ?? Number.NaN);
      const cpu = cpuOf(s);
      return `| ${s.label} | ${s.runs.length} | ${fmt(wall / 1000, 2)} | ${fmt(wall / wallFloor, 2)}× | ${fmt(cpu, 2)} | ${fmt(cpu / floor, 2)}× | ${fmt(Math.max(...rss), 0)} | ${findings} |`;
    }),
  ].join("\n");
}

export function runHistoryBench(argv: string[]): number {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: { runs: { type: "string", default: "1" }, warmup: { type: "boolean", default: false } },
  });
  if (positionals.length === 0) {
    process.stderr.write("bench history: give one or more repositories (bare clones work)\n");
    return 2;
  }
  prepareWorkDir(WORK);
  const runs = Number(values.runs);
  const opts = { warmup: values.warmup };
  for (const [i, given] of positionals.entries()) {
    const repo = resolve(given);
    const name = basename(repo);
    const commits = gitCount(repo, ["rev-list", "--count", "--branches", "--tags"]);
    process.stderr.write(`bench history: ${repo} (${commits} commits on branches and tags), ${runs} run(s) each...\n`);
    const rows: { s: Series; findings: string }[] = [];
    rows.push({
      s: series(
        "`git cat-file --batch-all-objects --batch --unordered` (the read)",
        "git",
        ["-C", repo, "cat-file", "--batch-all-objects", "--batch", "--unordered"],
        runs,
        opts,
      ),
      findings: "–",
    });
    const lsOut = `${WORK}/history-${i}.json`;
    const ls = series(
      "`leakstop scan --history`",
      process.execPath,
      [CLI, "scan", repo, "--history", "--format", "json", "--no-progress"],
      runs,
      { ...opts, stdoutFile: lsOut, ok: (c) => c === 0 || c === 1 },
    );
    rows.push({ s: ls, findings: String(parseFindings(readFileSync(lsOut, "utf8")).length) });
    if (onPath("gitleaks")) {
      const glOut = `${WORK}/history-${i}.gitleaks.json`;
      const gl = series(
        "`gitleaks detect --log-opts=--all` (git mode)",
        "gitleaks",
        [
          "detect",
          "--source",
          repo,
          "--log-opts=--all",
          "--no-banner",
          "--exit-code",
          "0",
          "--report-format",
          "json",
          "--report-path",
          glOut,
        ],
        runs,
        opts,
      );
      rows.push({ s: gl, findings: String((JSON.parse(readFileSync(glOut, "utf8")) as unknown[]).length) });
    }
    const nproc = spawnSync("nproc").stdout?.toString().trim();
    console.log(
      `\n### ${name} history (${commits} commits)\n\n${nproc} CPUs, node ${process.version}, load average ${loadavg()[0]!.toFixed(1)} at the end.\n`,
    );
    console.log(historyTable(rows));
    if (!onPath("gitleaks")) console.log("\n(no `gitleaks` on PATH: its row is left out)");
  }
  return 0;
}
