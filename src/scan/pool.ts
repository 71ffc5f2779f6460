/**
 * A pool of worker threads that scan batches of files. Each worker keeps two batches in hand so
 * it never waits for the main thread between them.
 */
import { Worker } from "node:worker_threads";
import { isLeakstopError, LeakstopError } from "../lib/errors.js";
import type { TreeFile } from "../sources/tree.js";
import type { BatchRequest, BatchResult, WorkerInit, WorkerReply } from "./messages.js";

const BATCH_BYTES = 1024 * 1024;
const BATCH_FILES = 256;

/** Groups files into batches of about BATCH_BYTES, largest files first for balance. */
export function makeBatches(files: TreeFile[]): BatchRequest[] {
  const sorted = [...files].sort((a, b) => b.size - a.size);
  const batches: BatchRequest[] = [];
  let cur: TreeFile[] = [];
  let bytes = 0;
  for (const f of sorted) {
    cur.push(f);
    bytes += f.size;
    if (bytes >= BATCH_BYTES || cur.length >= BATCH_FILES) {
      batches.push({ id: batches.length, files: cur });
      cur = [];
      bytes = 0;
    }
  }
  if (cur.length > 0) batches.push({ id: batches.length, files: cur });
  return batches;
}

export async function runPool(
  threads: number,
  init: WorkerInit,
  batches: BatchRequest[],
  onResult: (r: BatchResult) => void,
): Promise<void> {
  const url = new URL("./worker.js", import.meta.url);
  const workers = Array.from(
    { length: Math.max(1, Math.min(threads, batches.length)) },
    () => new Worker(url, { workerData: init }),
  );
  let next = 0;
  let done = 0;
  try {
    await new Promise<void>((resolve, reject) => {
      if (batches.length === 0) return resolve();
      const feed = (w: Worker) => {
        if (next < batches.length) w.postMessage(batches[next++]);
      };
      for (const w of workers) {
        w.on("message", (reply: WorkerReply) => {
          if (reply.type === "error") {
            const code = isLeakstopError(reply) ? reply.code : "LS_INTERNAL";
            return reject(new LeakstopError(code, reply.message));
          }
          onResult(reply.result);
          if (++done === batches.length) resolve();
          else feed(w);
        });
        w.on("error", (err) => reject(new LeakstopError("LS_INTERNAL", `scan worker failed: ${err.message}`)));
        feed(w);
        feed(w);
      }
    });
  } finally {
    await Promise.all(workers.map((w) => w.terminate()));
  }
}
