/** What the scan pool and its worker threads say to each other (structured-clone safe data). */

import type { DetectOptions } from "../detection/detect.js";
import type { Finding } from "../findings/finding.js";
import { isLeakstopError } from "../lib/errors.js";
import type { PortableRuleSet } from "../rules/portable-rules.js";
import type { ReaderSpec } from "../sources/readers.js";
import type { ReadOptions, SkipReason } from "../sources/source.js";

export interface WorkerInit {
  ruleSet: PortableRuleSet;
  detect: DetectOptions & ReadOptions;
  /** Which source's reader the worker opens (default: the working tree). */
  reader?: ReaderSpec;
  /** Set V8's scan interrupt budget (scan/tiering.ts) once the thread has loaded its code. */
  optimiseOnlyHotCode?: boolean;
  /** Shared by the pool's threads: [threads loaded so far, threads] (the pool sets it; see scan/tiering.ts). */
  loaded?: Int32Array;
}

/** What a scan worker is sent: its init (when the pool started without one), batches, then "close". */
export type WorkerMessage = { init: WorkerInit } | BatchRequest | "close";

export interface BatchRequest<Item = unknown> {
  id: number;
  items: Item[];
}

export interface BatchResult {
  id: number;
  findings: Finding[];
  /** For each finding, the index of the item it was found in (within the batch). */
  itemOf: number[];
  skipped: { rel: string; reason: SkipReason }[];
  bytes: number;
  /** Items scanned (not skipped). */
  files: number;
}

/** A worker thread's failure, posted to the thread that waits on it; `leakstop`: one of our own errors (LS_ codes). */
export type ErrorReply = { type: "error"; code: string; message: string; leakstop: boolean };

export type WorkerReply = { type: "result"; result: BatchResult } | ErrorReply;

/** What a worker thread posts for an error it caught (errors do not survive structured cloning as they are). */
export function errorReplyOf(err: unknown): ErrorReply {
  const e = err as { code?: string; message?: string };
  return {
    type: "error",
    code: e.code ?? "LS_INTERNAL",
    message: e.message ?? String(err),
    leakstop: isLeakstopError(err),
  };
}
