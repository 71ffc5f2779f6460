/**
 * A pool of worker threads that scan batches of files. Workers start before the walk, so their
 * start-up (module load, engine build) overlaps it; each keeps two batches in hand so it never
 * waits for the main thread between them.
 */
import { Worker } from "node:worker_threads";
import { isLeakstopError, LeakstopError } from "../lib/errors.js";
import type { TreeFile } from "../sources/tree.js";
import type { BatchRequest, BatchResult, WorkerInit, WorkerReply } from "./messages.js";

/** Files per batch: small enough to balance two cores, large enough that messages cost nothing. */
const BATCH_FILES = 96;

export function makeBatches(files: TreeFile[]): BatchRequest[] {
  const batches: BatchRequest[] = [];
  for (let i = 0; i < files.length; i += BATCH_FILES) {
    batches.push({ id: batches.length, files: files.slice(i, i + BATCH_FILES) });
  }
  return batches;
}

export class ScanPool {
  private readonly workers: Worker[];

  constructor(threads: number, init: WorkerInit) {
    const url = new URL("./worker.js", import.meta.url);
    this.workers = Array.from({ length: Math.max(1, threads) }, () => new Worker(url, { workerData: init }));
  }

  /** Scans every batch; `onResult` sees each result as it arrives. */
  run(batches: BatchRequest[], onResult: (r: BatchResult) => void): Promise<void> {
    let next = 0;
    let done = 0;
    return new Promise<void>((resolve, reject) => {
      if (batches.length === 0) return resolve();
      const feed = (w: Worker) => {
        if (next < batches.length) w.postMessage(batches[next++]);
      };
      for (const w of this.workers) {
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
  }

  async close(): Promise<void> {
    await Promise.all(this.workers.map((w) => w.terminate()));
  }
}
