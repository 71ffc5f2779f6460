/** The tree scan use case: walk → batches → engine (in process or worker threads) → findings. */

import { statSync } from "node:fs";
import { join } from "node:path";
import type { Engine } from "../detection/compile.js";
import type { Finding } from "../findings/finding.js";
import { loadHashing } from "../lib/hash.js";
import { portableRuleSet } from "../rules/portable-rules.js";
import type { RuleSet } from "../rules/rule-set.js";
import { type SkippedFile, type TreeFile, walkTree } from "../sources/tree.js";
import { treeReader } from "../sources/tree-reader.js";
import { bulkEngine } from "./bulk-engine.js";
import type { BatchRequest, BatchResult } from "./messages.js";
import { makeBatches, ScanPool } from "./pool.js";
import { scanBatch } from "./scan-batch.js";
import { scanBigFiles } from "./scan-big-files.js";
import type { FileScanOptions } from "./scan-file.js";

export interface TreeScanOptions extends FileScanOptions {
  root: string;
  threads: number;
  exclude: string[];
  onProgress?: (filesDone: number, filesTotal: number) => void;
  /** Worker threads started before the rules were loaded ({@link prestartTreeWorkers}); used or ended here. */
  workers?: ScanPool | null;
}

export interface ScanStats {
  files: number;
  bytes: number;
  ms: number;
  skipped: { rel: string; reason: SkippedFile["reason"] | "binary" | "unreadable" | "too-large" }[];
}

/** Below this many files (~10 MB of code), starting worker threads costs more than it saves: axios (245 files) scans in 0.40 s on one thread, 0.45 s on two. */
const IN_PROCESS_FILES = 1000;

export async function scanTree(
  ruleSet: RuleSet,
  opts: TreeScanOptions,
): Promise<{ findings: Finding[]; stats: ScanStats }> {
  const t0 = performance.now();
  const detect: FileScanOptions = {
    showSecrets: opts.showSecrets,
    maxFileSize: opts.maxFileSize,
    revealRules: opts.revealRules,
  };
  // Workers start as soon as the walk shows a tree big enough for them, so that their start-up
  // overlaps the rest of the walk; a small tree (a pre-commit, a few files) never pays for them.
  // This thread is one of the `threads` that scan: once the walk is done it would only wait.
  let pool: ScanPool | null = opts.workers ?? null;
  let poolStarted = false;
  let closing: Promise<void> | undefined;
  const startPool = () => {
    if (opts.threads < 2) return;
    // The worker changes V8's flags once it has loaded (scan/tiering.ts): built-ins this thread loads after that compile from source.
    loadHashing();
    const init = { ruleSet: portableRuleSet(ruleSet), detect, optimiseOnlyHotCode: true };
    if (pool) pool.start(init);
    else pool = new ScanPool(opts.threads - 1, init);
    poolStarted = true;
  };
  try {
    const walked = walkTree(opts.root, {
      exclude: opts.exclude,
      onManyFiles: { count: IN_PROCESS_FILES, call: startPool },
    });
    // Workers started early for a tree that turned out small: ended now, not after the scan.
    if (pool && !poolStarted) {
      closing = (pool as ScanPool).close();
      pool = null;
    }
    const stats: ScanStats = { files: 0, bytes: 0, ms: 0, skipped: [...walked.skipped] };
    const findings: Finding[] = [];
    const batches = makeBatches(walked.files);
    const total = walked.files.length;
    let filesDone = 0;
    const collect = (r: BatchResult) => {
      for (const f of r.findings) findings.push(f);
      stats.skipped.push(...r.skipped);
      stats.files += r.files;
      stats.bytes += r.bytes;
      filesDone += r.files + r.skipped.length;
      opts.onProgress?.(filesDone, total);
    };
    const workers = poolStarted ? (pool as ScanPool | null) : null;
    if (!workers) {
      const engine = bulkEngine(ruleSet);
      const reader = { ...treeReader(detect), label: (f: { rel: string }) => f.rel };
      // A big file among few is spread over the threads (a tree of many files keeps them busy already).
      const big = await scanBigFiles(
        walked.files,
        opts.threads,
        () => portableRuleSet(ruleSet),
        engine,
        detect,
        collect,
      );
      for (const b of big ? makeBatches(walked.files.filter((f) => !big.has(f))) : batches)
        collect(await scanBatch(engine, reader, b, detect));
    } else {
      let engine: Engine | null = null;
      const reader = { ...treeReader(detect), label: (f: { rel: string }) => f.rel };
      await workers.run(batches, collect, (b) => {
        engine ??= bulkEngine(ruleSet);
        return scanInSlices(engine, reader, b as BatchRequest<TreeFile>, detect);
      });
    }
    findings.sort(compareFindings);
    stats.ms = performance.now() - t0;
    return { findings, stats };
  } finally {
    await closing;
    await (pool as ScanPool | null)?.close();
  }
}

/**
 * Files this thread scans between looks at the workers' replies. A worker holds two batches; while
 * this thread scans one of its own it cannot send the worker more, and a batch of big files keeps
 * it busy long after the worker's two are done (git/git's po/*.po: 96 files, 8.5 MB, ~140 ms).
 */
const LOCAL_SLICE = 8;

/** scanBatch over the batch's files a slice at a time, the event loop (the workers' replies) served between slices. */
async function scanInSlices(
  engine: Engine,
  reader: Parameters<typeof scanBatch<TreeFile>>[1],
  b: BatchRequest<TreeFile>,
  detect: FileScanOptions,
): Promise<BatchResult> {
  const out: BatchResult = { id: b.id, findings: [], itemOf: [], skipped: [], bytes: 0, files: 0 };
  for (let i = 0; i < b.items.length; i += LOCAL_SLICE) {
    if (i > 0) await new Promise(setImmediate);
    const r = await scanBatch(engine, reader, { id: b.id, items: b.items.slice(i, i + LOCAL_SLICE) }, detect);
    for (const f of r.findings) out.findings.push(f);
    for (const k of r.itemOf) out.itemOf.push(k + i);
    out.skipped.push(...r.skipped);
    out.files += r.files;
    out.bytes += r.bytes;
  }
  return out;
}

/**
 * Starts the worker threads of a tree scan before the rules are loaded, so that their start-up
 * (~140 ms of module loading, on the other core) overlaps the CLI's: the main thread loads the
 * rules and walks the tree meanwhile, and the workers are ready when the first batches are. Only
 * for a folder and more than one thread, and not for a git checkout whose index is too small to
 * list IN_PROCESS_FILES files (an entry takes at least 64 bytes): such a tree is scanned in
 * process, and a worker started for nothing costs ~0.1 s of CPU (axios: 245 files, 25 KB index).
 * Untracked files can still make a tree big: then the workers start during the walk, as before.
 * scanTree ends them unused when the tree turns out small.
 */
export function prestartTreeWorkers(root: string, threads: number): ScanPool | null {
  if (threads < 2) return null;
  try {
    if (!statSync(root).isDirectory()) return null;
    const index = statSync(join(root, ".git", "index"), { throwIfNoEntry: false });
    if (index?.isFile() && index.size < IN_PROCESS_FILES * 64) return null;
  } catch {
    return null; // the walk reports it
  }
  return new ScanPool(threads - 1, null);
}

export function compareFindings(a: Finding, b: Finding): number {
  if (a.path !== b.path) return a.path < b.path ? -1 : 1;
  return (
    a.startLine - b.startLine ||
    a.startColumn - b.startColumn ||
    (a.ruleId < b.ruleId ? -1 : a.ruleId > b.ruleId ? 1 : 0)
  );
}
