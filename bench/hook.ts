/**
 * `npm run bench -- hook [--runs N] [--from DIR]`: start-up of the pre-commit hook (SPEC §8: `hook
 * run` with 10 staged files ≤ 150 ms median and ≤ 2× a bare `node -e 0` measured in the same run;
 * `--version` ≤ 1.3×). One hyperfine run holds all three commands, so the ratios compare like with
 * like whatever the machine's load. The repository is fresh (no commit: every line is added) with
 * 10 typical source files staged: seeded filler (TypeScript, Python, Go, Java, YAML, JSON, Markdown,
 * shell) of 3–8 KB each, or the first 10 files of `--from DIR`.
 */
import { spawnSync } from "node:child_process";
import { copyFileSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { loadavg } from "node:os";
import { basename, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { type Format, fileNameFor, fillerBlock } from "./corpus/filler.js";
import { Rng } from "./lib/prng.js";
import { prepareWorkDir } from "./lib/workdir.js";

const CLI = fileURLToPath(new URL("../../bin/leakstop.js", import.meta.url));
const FORMATS: Format[] = ["ts", "ts", "js", "py", "go", "java", "yaml", "json", "md", "sh"];

function git(cwd: string, args: string[]): void {
  const r = spawnSync("git", args, { cwd, encoding: "utf8" });
  if (r.status !== 0) throw new Error(`git ${args[0]} failed: ${r.stderr.trim()}`);
}

/** Writes the 10 files into `dir` and returns their total size. */
function writeFiles(dir: string, from: string | undefined): number {
  let bytes = 0;
  if (from) {
    const names = readdirSync(from)
      .filter((n) => statSync(join(from, n)).isFile())
      .sort()
      .slice(0, 10);
    if (names.length < 10) throw new Error(`${from} has fewer than 10 files`);
    for (const n of names) {
      copyFileSync(join(from, n), join(dir, basename(n)));
      bytes += statSync(join(dir, n)).size;
    }
    return bytes;
  }
  const rng = new Rng("leakstop-hook-bench-1");
  for (const format of FORMATS) {
    const lines: string[] = [];
    const target = rng.range(3000, 8000);
    while (lines.join("\n").length < target) lines.push(...fillerBlock(rng, format));
    const text = `${lines.join("\n")}\n`;
    writeFileSync(join(dir, fileNameFor(rng, format)), text);
    bytes += text.length;
  }
  return bytes;
}

/** A fresh repository with the 10 files staged, in bench/.work/hook-repo. */
export function hookRepo(from: string | undefined): { dir: string; bytes: number } {
  const work = resolve("bench/.work");
  prepareWorkDir(work);
  const dir = join(work, "hook-repo");
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir);
  git(dir, ["init", "-q"]);
  const bytes = writeFiles(dir, from);
  git(dir, ["add", "."]);
  return { dir, bytes };
}

interface HyperfineResult {
  command: string;
  median: number;
  mean: number;
  stddev: number;
  user: number;
  system: number;
}

export async function runHookBench(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: { runs: { type: "string", default: "30" }, from: { type: "string" } },
  });
  const { dir, bytes } = hookRepo(values.from);
  const check = spawnSync(process.execPath, [CLI, "hook", "run"], { cwd: dir, encoding: "utf8" });
  if (check.status !== 0) throw new Error(`hook run exits ${check.status} on the bench files: ${check.stderr}`);
  const json = join(dir, "..", "hook-hyperfine.json");
  const commands = ["node -e 0", `node ${CLI} --version`, `node ${CLI} hook run`];
  const args = ["-N", "--warmup", "3", "--runs", values.runs!, "--export-json", json, ...commands];
  const loadBefore = loadavg()[0]!;
  const r = spawnSync("hyperfine", args, { cwd: dir, stdio: ["ignore", "inherit", "inherit"] });
  if (r.error || r.status !== 0) throw new Error("hyperfine failed (is it installed? apt-get install hyperfine)");
  const loadAfter = loadavg()[0]!;
  const results = (JSON.parse(readFileSync(json, "utf8")) as { results: HyperfineResult[] }).results;
  const base = results[0]!.median;
  const ms = (s: number) => `${(s * 1000).toFixed(1)} ms`;
  const targets = ["", " (target ≤ 1.3)", " (target ≤ 2, and ≤ 150 ms)"];
  console.log(
    `\n10 staged files (${(bytes / 1024).toFixed(1)} KiB) in ${dir}; node ${process.version}; ` +
      `load average ${loadBefore.toFixed(2)} before, ${loadAfter.toFixed(2)} after.\n`,
  );
  const shown = args.filter((a) => a !== json && a !== "--export-json").map((a) => (a.includes(" ") ? `'${a}'` : a));
  console.log(`(cd ${dir} && hyperfine ${shown.join(" ")})\n`);
  console.log("| command | median | mean ± σ | user + sys | ratio of medians to `node -e 0` |");
  console.log("| --- | ---: | ---: | ---: | ---: |");
  results.forEach((x, i) => {
    const name = x.command.replace(CLI, "bin/leakstop.js");
    const ratio = `${(x.median / base).toFixed(2)}${targets[i]}`;
    console.log(
      `| \`${name}\` | ${ms(x.median)} | ${ms(x.mean)} ± ${ms(x.stddev)} | ${ms(x.user + x.system)} | ${ratio} |`,
    );
  });
  return 0;
}
