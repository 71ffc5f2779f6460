/**
 * An outside check on real code: popular public repositories' trees and histories, scanned and
 * compared with a committed judged list (bench/repos/judged.json; SPEC §8: no more than 2 % of
 * findings are not secrets at all).
 *   npm run bench -- accuracy-repos --repos DIR [--work DIR] [--only NAME,...] [--no-history]
 *     [--gitleaks] [--reuse] [--threads N] [--list N] [--write-unjudged FILE] [--record]
 * DIR holds bare clones as DIR/OWNER+NAME/repo (what the `fetch` tool makes) or DIR/OWNER+NAME; none
 * of them is in this repository. For each repository of the judged list, the pinned commit's tree is
 * written to WORK/trees/ (blobs the clone lacks are skipped and listed) and scanned with `scan TREE`;
 * when the list says so its history too, `scan CLONE --history --branch COMMIT` (every commit
 * reachable from the pinned one). With --gitleaks, `gitleaks detect` on the same tree and the same
 * commits. --reuse keeps scan outputs already in WORK. --write-unjudged writes the unjudged secrets
 * as judgments to fill in; --record adds to the judged list the tools and scopes that report each
 * judged secret now. Figures and how the list was judged:
 * BENCHMARKS.md, "Re-runnable: accuracy-repos".
 */
import { spawnSync } from "node:child_process";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { onPath } from "./lib/on-path.js";
import { prepareWorkDir } from "./lib/workdir.js";
import { timedRun } from "./measure.js";
import {
  fromGitleaks,
  fromLeakstop,
  type RepoFinding,
  recordSeen,
  renderReport,
  skeleton,
  tally,
} from "./repos/compare.js";
import { extractTree } from "./repos/extract-tree.js";
import { type JudgedRepo, loadJudgedList, type Scope, type Tool } from "./repos/judged.js";

const CLI = fileURLToPath(new URL("../../bin/leakstop.js", import.meta.url));
const JUDGED = fileURLToPath(new URL("../../bench/repos/judged.json", import.meta.url));

function cloneOf(dir: string, name: string): string | null {
  for (const p of [join(dir, name, "repo"), join(dir, name)])
    if (existsSync(join(p, "HEAD")) || existsSync(join(p, ".git"))) return p;
  return null;
}

const hasCommit = (clone: string, commit: string) =>
  timedRun("git", ["--git-dir", clone, "cat-file", "-e", `${commit}^{commit}`]).exitCode === 0;

/**
 * Objects reachable from the commit that the clone lacks (mirrors may leave out their largest blobs):
 * leakstop's history scan skips them and says so, but gitleaks' (`git log -p`) stops at the first one.
 */
function missingObjects(clone: string, commit: string): number {
  const r = spawnSync("git", ["--git-dir", clone, "rev-list", "--objects", "--missing=print", commit], {
    maxBuffer: 1024 * 1024 * 1024,
  });
  return (r.stdout?.toString() ?? "").split("\n").filter((l) => l.startsWith("?")).length;
}

interface Job {
  repo: JudgedRepo;
  tool: Tool;
  scope: Scope;
  out: string;
  cmd: string;
  args: string[];
  root?: string;
}

function jobsFor(repo: JudgedRepo, clone: string, tree: string, work: string, o: Options): Job[] {
  const base = join(work, `${repo.name}@${repo.commit.slice(0, 10)}`);
  const threads = o.threads ? ["--threads", o.threads] : [];
  const jobs: Job[] = [
    {
      repo,
      tool: "leakstop",
      scope: "tree",
      out: `${base}.tree.leakstop.json`,
      cmd: process.execPath,
      args: [CLI, "scan", tree, "--format", "json", "--no-progress", ...threads],
    },
  ];
  const history = repo.history && o.history;
  if (history)
    jobs.push({
      repo,
      tool: "leakstop",
      scope: "history",
      out: `${base}.history.leakstop.json`,
      cmd: process.execPath,
      args: [CLI, "scan", clone, "--history", "--branch", repo.commit, "--format", "json", "--no-progress", ...threads],
    });
  if (o.gitleaks) {
    const common = ["--no-banner", "--exit-code", "0", "--report-format", "json"];
    jobs.push({
      repo,
      tool: "gitleaks",
      scope: "tree",
      out: `${base}.tree.gitleaks.json`,
      cmd: "gitleaks",
      args: ["detect", "--no-git", "--source", tree, ...common],
      root: tree,
    });
    if (history)
      jobs.push({
        repo,
        tool: "gitleaks",
        scope: "history",
        out: `${base}.history.gitleaks.json`,
        cmd: "gitleaks",
        args: ["detect", "--source", clone, `--log-opts=${repo.commit}`, ...common],
      });
  }
  return jobs;
}

interface Options {
  history: boolean;
  gitleaks: boolean;
  reuse: boolean;
  threads?: string;
}

function runJob(j: Job, reuse: boolean): string {
  if (reuse && existsSync(j.out)) return "reused";
  // gitleaks writes its report to a file; leakstop's JSON goes to stdout.
  const args = j.tool === "gitleaks" ? [...j.args, "--report-path", j.out] : j.args;
  const r = timedRun(j.cmd, args, j.tool === "gitleaks" ? {} : { stdoutFile: j.out });
  if (r.exitCode !== 0 && r.exitCode !== 1)
    throw new Error(
      `${j.tool} ${j.scope} ${j.repo.name}: exit ${r.exitCode}\n${r.stderr.split("\n").slice(0, 3).join("\n")}`,
    );
  return `${((r.userS ?? Number.NaN) + (r.sysS ?? Number.NaN)).toFixed(1)} s CPU, ${(r.wallMs / 1000).toFixed(1)} s wall`;
}

function findingsOf(j: Job): RepoFinding[] {
  const text = readFileSync(j.out, "utf8").trim();
  const parsed = text ? JSON.parse(text) : [];
  const list = Array.isArray(parsed) ? parsed : (parsed.findings ?? []);
  return j.tool === "gitleaks"
    ? fromGitleaks(j.repo.name, j.scope, list, j.root)
    : fromLeakstop(j.repo.name, j.scope, list);
}

export function runAccuracyRepos(argv: string[]): number {
  const { values } = parseArgs({
    args: argv,
    options: {
      repos: { type: "string" },
      work: { type: "string", default: resolve("bench/.work/repos") },
      judged: { type: "string", default: JUDGED },
      only: { type: "string" },
      "no-history": { type: "boolean", default: false },
      gitleaks: { type: "boolean", default: false },
      reuse: { type: "boolean", default: false },
      threads: { type: "string" },
      list: { type: "string", default: "30" },
      "write-unjudged": { type: "string" },
      record: { type: "boolean", default: false },
    },
  });
  if (!values.repos) {
    process.stderr.write("accuracy-repos: give --repos DIR (bare clones as DIR/OWNER+NAME/repo, outside the repo)\n");
    return 2;
  }
  const judged = loadJudgedList(values.judged);
  const only = values.only ? new Set(values.only.split(",")) : null;
  const o: Options = {
    history: !values["no-history"],
    gitleaks: values.gitleaks && onPath("gitleaks"),
    reuse: values.reuse,
    ...(values.threads ? { threads: values.threads } : {}),
  };
  if (values.gitleaks && !o.gitleaks) process.stderr.write("accuracy-repos: gitleaks not on PATH, left out\n");
  prepareWorkDir(values.work);
  const findings: RepoFinding[] = [];
  const ran = new Map<string, Set<string>>();
  const pairs = new Set<string>();
  const incomplete: string[] = [];
  for (const repo of judged.repos) {
    if (only && !only.has(repo.name)) continue;
    const clone = cloneOf(values.repos, repo.name);
    if (!clone || !hasCommit(clone, repo.commit)) {
      process.stderr.write(`${repo.name}: ${clone ? `commit ${repo.commit} not in ${clone}` : "no clone"}, skipped\n`);
      continue;
    }
    const tree = join(values.work, "trees", `${repo.name}@${repo.commit.slice(0, 10)}`);
    if (!existsSync(join(tree, ".extracted"))) {
      const x = extractTree(clone, repo.commit, tree);
      writeFileSync(join(tree, ".extracted"), `${x.missing.join("\n")}\n`);
      if (x.missing.length)
        process.stderr.write(
          `${repo.name}: ${x.missing.length} blob(s) not in the clone, skipped: ${x.missing.slice(0, 3).join(", ")}\n`,
        );
    }
    if (repo.history && o.history) {
      const missing = missingObjects(clone, repo.commit);
      if (missing > 0) incomplete.push(`${repo.name} (${missing})`);
    }
    for (const j of jobsFor(repo, clone, tree, values.work, o)) {
      const how = runJob(j, o.reuse);
      const got = findingsOf(j);
      process.stderr.write(`${repo.name} ${j.tool} ${j.scope}: ${got.length} findings (${how})\n`);
      findings.push(...got);
      const pair = `${j.tool}:${j.scope}`;
      pairs.add(pair);
      if (!ran.has(repo.name)) ran.set(repo.name, new Set());
      ran.get(repo.name)!.add(pair);
    }
  }
  const t = tally(findings, judged, ran);
  const order = ["leakstop:tree", "gitleaks:tree", "leakstop:history", "gitleaks:history"].filter((p) => pairs.has(p));
  process.stdout.write(`${renderReport(t, order, Number(values.list))}\n`);
  if (incomplete.length)
    process.stdout.write(
      `Clones lacking objects reachable from the pinned commit: ${incomplete.join(", ")}; leakstop's history scan skips them, gitleaks' stops at the first (its history figures for these repositories cover part of the history only).\n`,
    );
  if (values["write-unjudged"]) {
    writeFileSync(values["write-unjudged"], `${JSON.stringify(skeleton(t.unjudged), null, 2)}\n`);
    process.stderr.write(`unjudged secrets written to ${values["write-unjudged"]}\n`);
  }
  if (values.record) {
    const n = recordSeen(judged, findings);
    writeFileSync(values.judged, `${JSON.stringify(judged, null, 2)}\n`);
    // The list is committed and linted: write it as the formatter would, so a record is its own diff only.
    const biome = spawnSync(process.execPath, [biomeCli(), "format", "--write", values.judged], { stdio: "ignore" });
    if (biome.status !== 0) process.stderr.write(`judged list: run \`npm run format\` before committing it\n`);
    process.stderr.write(`judged list: ${n} tool/scope or rule entries added\n`);
  }
  return 0;
}

/** Biome's CLI script, from the project's own devDependencies. */
function biomeCli(): string {
  return createRequire(import.meta.url).resolve("@biomejs/biome/bin/biome");
}

if (import.meta.url === `file://${process.argv[1]}`) process.exitCode = runAccuracyRepos(process.argv.slice(2));
