/**
 * The history scan of the callers that scan from their own, possibly long-lived, process: the
 * Action's full history, org-scan and the scheduler's org scans. A big history runs in a child node
 * with the memory settings of `scan --history` (history-child.ts); a small one in this process, in
 * one thread: a child's start (~0.2-0.3 s of node, its code and the rules) would cost more than the
 * scan, and in one thread no worker sets the scan's V8 flags (tiering.ts) in the caller.
 */
import type { RuleSet } from "../rules/rule-set.js";
import { type StoredSize, storedWithin } from "../sources/git/pack-count.js";
import { scanHistoryInChild } from "./history-child.js";
import { type HistoryScanOptions, type HistoryScanResult, scanHistory } from "./scan-history.js";

/**
 * The most a history scanned in process may store. Objects: under what scanHistory scans in its
 * own thread anyway (2 pack objects per text of its 2,000); bytes: packed, what its blobs can
 * unpack to stays far from the memory target.
 */
export const IN_PROCESS_HISTORY: StoredSize = { objects: 4000, bytes: 16 * 1024 * 1024 };

/**
 * scanHistory here in one thread when the object store of `opts.repo` (a git dir or a work tree's
 * top) holds at most `inProcess`, else in a history child.
 */
export function scanHistoryBySize(
  ruleSet: RuleSet,
  opts: HistoryScanOptions,
  inProcess: StoredSize = IN_PROCESS_HISTORY,
): Promise<HistoryScanResult> {
  return storedWithin(opts.repo, inProcess)
    ? scanHistory(ruleSet, { ...opts, threads: 1 })
    : scanHistoryInChild(ruleSet, opts);
}
