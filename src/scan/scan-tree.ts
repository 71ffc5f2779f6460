/** The tree scan use case: walk → batches → engine (in process or worker threads) → findings. */
import type { RuleSet } from "../config/ruleset.js";
import type { DetectOptions } from "../detection/detect.js";
import type { Finding } from "../findings/finding.js";
import { compileEngine, onlyUserRules } from "../rules/compile.js";
import { type SkippedFile, walkTree } from "../sources/tree.js";
import type { BatchResult } from "./messages.js";
import { makeBatches, runPool } from "./pool.js";
import { scanBatch } from "./scan-batch.js";

export interface TreeScanOptions extends DetectOptions {
  root: string;
  threads: number;
  maxFileSize: number;
  exclude: string[];
  onProgress?: (filesDone: number, filesTotal: number) => void;
}

export interface ScanStats {
  files: number;
  bytes: number;
  ms: number;
  skipped: (SkippedFile | { rel: string; reason: "binary" | "unreadable" })[];
}

/** Below this much text, starting worker threads costs more than it saves. */
const IN_PROCESS_BYTES = 2 * 1024 * 1024;

export async function scanTree(
  ruleSet: RuleSet,
  opts: TreeScanOptions,
): Promise<{ findings: Finding[]; stats: ScanStats }> {
  const t0 = performance.now();
  const walked = walkTree(opts.root, { exclude: opts.exclude, maxFileSize: opts.maxFileSize });
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
  const totalBytes = walked.files.reduce((s, f) => s + f.size, 0);
  const detect: DetectOptions = { showSecrets: opts.showSecrets };
  if (opts.threads <= 1 || totalBytes < IN_PROCESS_BYTES || batches.length < 2) {
    const engine = compileEngine(ruleSet.rules, ruleSet.allowlists, ruleSet.settings, onlyUserRules);
    for (const b of batches) collect(scanBatch(engine, b, detect));
  } else {
    await runPool(opts.threads, { ruleSet, detect }, batches, collect);
  }
  findings.sort(compareFindings);
  stats.ms = performance.now() - t0;
  return { findings, stats };
}

export function compareFindings(a: Finding, b: Finding): number {
  if (a.path !== b.path) return a.path < b.path ? -1 : 1;
  return (
    a.startLine - b.startLine ||
    a.startColumn - b.startColumn ||
    (a.ruleId < b.ruleId ? -1 : a.ruleId > b.ruleId ? 1 : 0)
  );
}
