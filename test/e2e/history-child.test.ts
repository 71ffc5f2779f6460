/**
 * `scan --history` runs in a child node (bin/leakstop.js: smaller young generation, fixed malloc
 * thresholds). A signal sent to the process the user started must stop the scan: a CI runner's
 * timeout or `kill PID` reaches only that process, not its child. The Action's, org-scan's and the
 * scheduler's history scans run in such a child too (scan/history-child.ts).
 */
import assert from "node:assert/strict";
import { execFileSync, spawn, spawnSync } from "node:child_process";
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";
import { fileURLToPath, pathToFileURL } from "node:url";
import { GitRepo } from "../helpers/git-repo.js";
import { crcToken } from "../helpers/secrets.js";
import { until } from "../helpers/until.js";
import { CLI } from "./cli.js";

/** Child pids of `pid` (Linux: /proc/PID/task/PID/children). */
function childrenOf(pid: number): number[] {
  const file = `/proc/${pid}/task/${pid}/children`;
  if (!existsSync(file)) return [];
  return readFileSync(file, "utf8").trim().split(/\s+/).filter(Boolean).map(Number);
}

/** Whether `pid` is still a live process (a zombie has ended). */
function alive(pid: number): boolean {
  try {
    return !/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, "utf8"));
  } catch {
    return false;
  }
}

/** A folder on PATH with a git that never answers (it records its pid in `pids` and sleeps), killed after the test. */
function hangingGit(): { env: NodeJS.ProcessEnv; pids: string } {
  const shims = mkdtempSync(join(tmpdir(), "leakstop-git-shim-"));
  const pids = join(shims, "pids");
  writeFileSync(join(shims, "git"), `#!/bin/sh\necho $$ >> "${pids}"\nexec sleep 120\n`);
  chmodSync(join(shims, "git"), 0o755);
  after(() => {
    if (existsSync(pids))
      for (const p of readFileSync(pids, "utf8").trim().split("\n")) if (p) process.kill(Number(p), "SIGKILL");
    rmSync(shims, { recursive: true, force: true });
  });
  return { env: { ...process.env, PATH: `${shims}:${process.env.PATH}` }, pids };
}

/** The history child of `parent`, once it has started the hanging git. */
async function historyChildOf(parent: number, pids: string): Promise<number> {
  const [child] = await until(
    "the history child and its git",
    () => {
      const kids = childrenOf(parent);
      return kids.length > 0 && existsSync(pids) ? kids : null;
    },
    30_000,
  );
  return child!;
}

test("SIGTERM to a history scan's process stops its child scan and ends by that signal", {
  skip: process.platform !== "linux",
}, async () => {
  const repo = GitRepo.init();
  repo.commit("add a file", { files: { "a.txt": "hello\n" } });
  // A git that never answers: the scan is still running when the signal comes.
  const git = hangingGit();
  const scan = spawn(process.execPath, [CLI, "scan", repo.dir, "--history", "--no-progress"], {
    env: git.env,
    stdio: ["ignore", "ignore", "pipe"],
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    scan.on("exit", (code, signal) => resolve({ code, signal })),
  );
  const child = await historyChildOf(scan.pid!, git.pids);

  scan.kill("SIGTERM");
  const end = await Promise.race([
    exited,
    new Promise<"still running">((r) => setTimeout(() => r("still running"), 30_000).unref()),
  ]);
  assert.notEqual(end, "still running", "the launcher ignored SIGTERM while its child scanned");
  assert.deepEqual(end, { code: null, signal: "SIGTERM" });
  await until("the child scan to end", () => !alive(child), 10_000);
});

const ROOT = fileURLToPath(new URL("../../../", import.meta.url));
const src = (rel: string) => JSON.stringify(pathToFileURL(join(ROOT, "dist", "src", rel)).href);

/** A folder removed after this file's tests. */
function scratch(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  after(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** A git on PATH that writes its malloc setting (or "unset") to `log`, then runs the real one. */
function loggingGit(log: string): string {
  const shims = scratch("leakstop-git-log-");
  const real = execFileSync("sh", ["-c", "command -v git"], { encoding: "utf8" }).trim();
  writeFileSync(
    join(shims, "git"),
    `#!/bin/sh\necho "\${MALLOC_MMAP_THRESHOLD_-unset}" >> "${log}"\nexec "${real}" "$@"\n`,
  );
  chmodSync(join(shims, "git"), 0o755);
  return shims;
}

test("the Action's and org-scan's history scans of a big history run in a child node with the history memory settings, git in the user's environment, and the scan's V8 flags stay out of the caller", {
  skip: process.platform !== "linux",
}, () => {
  const repo = GitRepo.init();
  after(() => repo.remove());
  repo.commit("add config", { files: { "config/.env": `TOKEN=${crcToken("ghp_")}\n`, "a.txt": "hello\n" } });
  repo.commit("drop it", { files: { "config/.env": null } });
  const work = scratch("leakstop-history-child-");
  const starts = join(work, "starts.jsonl");
  const gitLog = join(work, "git.log");
  // Every node process of the run records how it was started (flags, malloc setting, parent).
  writeFileSync(
    join(work, "record-start.mjs"),
    `import { appendFileSync } from "node:fs";
appendFileSync(${JSON.stringify(starts)}, JSON.stringify({ pid: process.pid, ppid: process.ppid, execArgv: process.execArgv, malloc: process.env.MALLOC_MMAP_THRESHOLD_ ?? null }) + "\\n");`,
  );
  writeFileSync(
    join(work, "caller.mjs"),
    `import { getHeapStatistics, cachedDataVersionTag } from "node:v8";
import { buildRuleSet } from ${src("config/ruleset.js")};
import { makeHistoryScanner } from ${src("scan/org-history.js")};
import { scanGitTarget } from ${src("action/scan-git.js")};
import { scanHistoryInChild } from ${src("scan/history-child.js")};
import { scanHistory } from ${src("scan/scan-history.js")};
const ruleSet = buildRuleSet(null, [], { examples: false });
const repo = ${JSON.stringify(repo.dir)};
const flags = cachedDataVersionTag();
// Workers (inProcessBelow 0): the child sets the scan's interrupt budget, as on a big history.
const opts = { repo, threads: 2, showSecrets: false, maxFileSize: 0, inProcessBelow: 0, batchItems: 1 };
const child = await scanHistoryInChild(ruleSet, opts);
// org-scan's scanner: a history bigger than it keeps in process (here any: limits of 0) goes to a child,
// a small one is scanned here, in one thread, without the scan's V8 flags.
const orgOpts = { threads: 2, showSecrets: false, maxFileSize: 0 };
const org = await makeHistoryScanner(ruleSet, { ...orgOpts, inProcess: { objects: 0, bytes: 0 } })(repo, []);
const orgSmall = await makeHistoryScanner(ruleSet, orgOpts)(repo, []);
// The Action's full history: the same threshold as org-scan's (a big one in a child, a small one here).
const full = { kind: "history", label: "full history", notes: [] };
const action = await scanGitTarget(full, repo, ruleSet, { threads: 2, maxFileSize: 0 }, undefined, { objects: 0, bytes: 0 });
const actionSmall = await scanGitTarget(full, repo, ruleSet, { threads: 2, maxFileSize: 0 });
const callerFlags = cachedDataVersionTag();
const here = await scanHistory(ruleSet, opts);
const strip = (fs) => JSON.stringify(fs.map(({ rawSecret, ...f }) => f));
process.stdout.write(JSON.stringify({
  sameFlags: callerFlags === flags,
  findings: [child.findings.length, org.findings.length, orgSmall.findings.length, action.findings.length, actionSmall.findings.length, here.findings.length],
  same: [org, orgSmall, action, actionSmall].every((r) => strip(r.findings) === strip(here.findings)) && strip(child.findings) === strip(here.findings),
  commits: child.stats.commits,
}));`,
  );
  const shims = loggingGit(gitLog);
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    PATH: `${shims}:${process.env.PATH}`,
    NODE_OPTIONS: `--import=${join(work, "record-start.mjs")}`,
  };
  delete env.MALLOC_MMAP_THRESHOLD_;
  delete env.MALLOC_TRIM_THRESHOLD_;
  const r = spawnSync(process.execPath, [join(work, "caller.mjs")], { env, encoding: "utf8" });
  assert.equal(r.status, 0, r.stderr);
  const out = JSON.parse(r.stdout) as { sameFlags: boolean; findings: number[]; same: boolean; commits: number };
  assert.deepEqual(out, { sameFlags: true, findings: [1, 1, 1, 1, 1, 1], same: true, commits: 2 });

  // A process's first record (its worker threads record too, with their own copy of the environment).
  type Start = { pid: number; ppid: number; execArgv: string[]; malloc: string | null };
  const nodes: Start[] = [];
  for (const line of readFileSync(starts, "utf8").trim().split("\n")) {
    const n = JSON.parse(line) as Start;
    if (!nodes.some((m) => m.pid === n.pid)) nodes.push(n);
  }
  const caller = nodes[0]!;
  assert.deepEqual(caller.execArgv, []);
  const children = nodes.filter((n) => n.ppid === caller.pid);
  // One child per history scan (scanHistoryInChild, org-scan's scanner and the Action on a big history);
  // none for org-scan's scanner nor the Action on a small history.
  assert.equal(children.length, 3, JSON.stringify(nodes));
  for (const c of children) assert.deepEqual([c.execArgv, c.malloc], [["--max-semi-space-size=2"], "131072"]);
  // The settings are node's only: every git the scans ran had the caller's environment.
  const gits = readFileSync(gitLog, "utf8").trim().split("\n");
  assert.ok(gits.length > 3);
  assert.deepEqual([...new Set(gits)], ["unset"]);
});

test("a history child's failure comes back as the caller's LeakstopError, with its code", {
  skip: process.platform !== "linux",
}, async () => {
  const { buildRuleSet } = await import("../../src/config/ruleset.js");
  const { scanHistoryInChild } = await import("../../src/scan/history-child.js");
  const notARepo = scratch("leakstop-not-a-repo-");
  await assert.rejects(
    scanHistoryInChild(buildRuleSet(null, [], { examples: false }), {
      repo: notARepo,
      threads: 1,
      showSecrets: false,
      maxFileSize: 0,
    }),
    (err: { code?: string }) => err.code === "LS_GIT_NOT_A_REPO",
  );
});

test("a history child ends when its caller goes away", { skip: process.platform !== "linux" }, async () => {
  const repo = GitRepo.init();
  after(() => repo.remove());
  repo.commit("add a file", { files: { "a.txt": "hello\n" } });
  // A git that never answers: the child is still scanning when its caller is killed.
  const git = hangingGit();
  const work = scratch("leakstop-history-caller-");
  writeFileSync(
    join(work, "caller.mjs"),
    `import { buildRuleSet } from ${src("config/ruleset.js")};
import { scanHistoryInChild } from ${src("scan/history-child.js")};
await scanHistoryInChild(buildRuleSet(null, [], { examples: false }), { repo: ${JSON.stringify(repo.dir)}, threads: 2, showSecrets: false, maxFileSize: 0 });`,
  );
  const caller = spawn(process.execPath, [join(work, "caller.mjs")], { env: git.env, stdio: "ignore" });
  const child = await historyChildOf(caller.pid!, git.pids);
  caller.kill("SIGKILL");
  await until("the orphaned history child to end", () => !alive(child), 10_000);
});
