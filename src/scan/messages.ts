/** What the scan pool and its worker threads say to each other (structured-clone safe data). */

import type { RuleSet } from "../config/ruleset.js";
import type { Finding } from "../findings/finding.js";
import type { TreeFile } from "../sources/tree.js";
import type { FileScanOptions } from "./scan-file.js";

export interface WorkerInit {
  ruleSet: RuleSet;
  detect: FileScanOptions;
}

export interface BatchRequest {
  id: number;
  files: TreeFile[];
}

export interface BatchResult {
  id: number;
  findings: Finding[];
  skipped: { rel: string; reason: "binary" | "unreadable" | "too-large" }[];
  bytes: number;
  files: number;
}

export type WorkerReply = { type: "result"; result: BatchResult } | { type: "error"; code: string; message: string };
