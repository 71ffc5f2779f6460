/**
 * A history scan in a child node with the memory settings `leakstop scan --history` gets from
 * bin/leakstop.js (runHistoryChild), for the callers that scan histories from their own process: the
 * Action's full-history scan, org-scan and the scheduler's org scans. Read for a minute, gigabytes of
 * blobs leave node's peak RSS largely memory it no longer uses (glibc's malloc keeps freed buffers,
 * the main thread's young generation grows to 16 MB semi-spaces): both are set before node starts, so
 * only a new node has them (git/git's full history in the caller's process: largest process ~300 MB,
 * BENCHMARKS.md "cache"). The child also keeps the scan's V8 flags (scan/tiering.ts: the interrupt
 * budget) out of a long-lived caller such as the scheduler, and its workers take the code cache made
 * under the history child's flags (scripts/build-hook-bundle.mjs). The rule set travels as the workers'
 * does (portableRuleSet); findings and stats come back by IPC (never through a log or stdout).
 * Elsewhere than on Linux (glibc's settings, as bin/leakstop.js), the scan runs in this process.
 */
import { fork } from "node:child_process";
import { fileURLToPath } from "node:url";
import { LeakstopError } from "../lib/errors.js";
import { portableRuleSet } from "../rules/portable-rules.js";
import type { RuleSet } from "../rules/rule-set.js";
import type { HistoryChildReply, HistoryChildRequest } from "./history-child-main.js";
import { type HistoryScanOptions, type HistoryScanResult, scanHistory } from "./scan-history.js";

/** The child's V8 flags: bin/leakstop.js's history child's, which the build makes the workers' code cache under. */
export const HISTORY_NODE_FLAGS = ["--max-semi-space-size=2"];
/** glibc's malloc keeps at most 128 KiB free at the top of a heap, and maps any buffer past that (as bin/leakstop.js). */
const MALLOC_SETTINGS: Record<string, string> = { MALLOC_MMAP_THRESHOLD_: "131072", MALLOC_TRIM_THRESHOLD_: "131072" };
/** Names the settings the child's environment got from here (not the user's): the child drops them for its git. */
const HISTORY_CHILD_ENV = "LEAKSTOP_HISTORY_CHILD";

const CHILD_MAIN = fileURLToPath(new URL("./history-child-main.js", import.meta.url));

/** scanHistory, run in a child node with the history memory settings (on Linux). */
export function scanHistoryInChild(ruleSet: RuleSet, opts: HistoryScanOptions): Promise<HistoryScanResult> {
  if (process.platform !== "linux") return scanHistory(ruleSet, opts);
  const { onProgress, ...rest } = opts;
  const env = { ...process.env };
  const added = Object.keys(MALLOC_SETTINGS).filter((name) => env[name] === undefined);
  for (const name of added) env[name] = MALLOC_SETTINGS[name];
  env[HISTORY_CHILD_ENV] = added.join(",");
  const child = fork(CHILD_MAIN, [], {
    execArgv: HISTORY_NODE_FLAGS,
    env,
    serialization: "advanced",
    stdio: ["ignore", "inherit", "inherit", "ipc"],
  });
  return new Promise((resolve, reject) => {
    let settled = false;
    const settle = (fn: () => void) => {
      if (settled) return;
      settled = true;
      fn();
    };
    child.on("message", (m: HistoryChildReply) => {
      if (m.type === "progress") onProgress?.(m.done, m.listed);
      else if (m.type === "result") settle(() => resolve(m.result));
      else settle(() => reject(m.leakstop ? new LeakstopError(m.code as never, m.message) : new Error(m.message)));
    });
    child.on("error", (err) =>
      settle(() => reject(new LeakstopError("LS_INTERNAL", `history scan child failed: ${err.message}`))),
    );
    child.on("exit", (code, signal) =>
      settle(() =>
        reject(
          new LeakstopError("LS_INTERNAL", `history scan child ended (${signal ?? `exit ${code}`}) without a result`),
        ),
      ),
    );
    const request: HistoryChildRequest = { ruleSet: portableRuleSet(ruleSet), opts: rest, progress: !!onProgress };
    child.send(request);
  });
}
