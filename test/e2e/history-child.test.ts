/**
 * `scan --history` runs in a child node (bin/leakstop.js: smaller young generation, fixed malloc
 * thresholds). A signal sent to the process the user started must stop the scan: a CI runner's
 * timeout or `kill PID` reaches only that process, not its child.
 */
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";
import { GitRepo } from "../helpers/git-repo.js";
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

test("SIGTERM to a history scan's process stops its child scan and ends by that signal", {
  skip: process.platform !== "linux",
}, async () => {
  const repo = GitRepo.init();
  repo.commit("add a file", { files: { "a.txt": "hello\n" } });
  // A git that never answers: the scan is still running when the signal comes.
  const shims = mkdtempSync(join(tmpdir(), "leakstop-git-shim-"));
  const pids = join(shims, "pids");
  writeFileSync(join(shims, "git"), `#!/bin/sh\necho $$ >> "${pids}"\nexec sleep 120\n`);
  chmodSync(join(shims, "git"), 0o755);
  after(() => {
    if (existsSync(pids))
      for (const p of readFileSync(pids, "utf8").trim().split("\n")) if (p) process.kill(Number(p), "SIGKILL");
    rmSync(shims, { recursive: true, force: true });
  });

  const scan = spawn(process.execPath, [CLI, "scan", repo.dir, "--history", "--no-progress"], {
    env: { ...process.env, PATH: `${shims}:${process.env.PATH}` },
    stdio: ["ignore", "ignore", "pipe"],
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    scan.on("exit", (code, signal) => resolve({ code, signal })),
  );
  // Wait until the child scan has started git (the shim wrote its pid).
  const [child] = await until(
    "the history child and its git",
    () => {
      const kids = childrenOf(scan.pid!);
      return kids.length > 0 && existsSync(pids) ? kids : null;
    },
    30_000,
  );

  scan.kill("SIGTERM");
  const end = await Promise.race([
    exited,
    new Promise<"still running">((r) => setTimeout(() => r("still running"), 30_000).unref()),
  ]);
  assert.notEqual(end, "still running", "the launcher ignored SIGTERM while its child scanned");
  assert.deepEqual(end, { code: null, signal: "SIGTERM" });
  await until("the child scan to end", () => !alive(child!), 10_000);
});
