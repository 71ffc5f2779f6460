/**
 * A pool of worker threads that scan batches of a source's items. Workers can start before the
 * listing ends, so their start-up (module load, engine build) overlaps it; each keeps two batches
 * in hand so it never waits for the main thread between them. Batches may come from an async
 * listing (git history): the pool pulls the next one only when a worker has room, so a fast
 * listing never runs far ahead of the scan.
 */
import { type ResourceLimits, Worker } from "node:worker_threads";
import { isLeakstopError, LeakstopError } from "../lib/errors.js";
import type { BatchRequest, BatchResult, WorkerInit, WorkerMessage, WorkerReply } from "./messages.js";

/** Files per batch: small enough to balance two cores, large enough that messages cost nothing. */
const BATCH_FILES = 96;

export function makeBatches<Item>(items: Item[], size = BATCH_FILES): BatchRequest<Item>[] {
  const batches: BatchRequest<Item>[] = [];
  for (let i = 0; i < items.length; i += size) {
    batches.push({ id: batches.length, items: items.slice(i, i + size) });
  }
  return batches;
}

export class ScanPool {
  private readonly workers: Worker[];
  private started: boolean;
  /** What the threads count themselves in once loaded (WorkerInit.loaded). */
  private readonly loaded: Int32Array;
  /** A worker's error from before {@link run} listened (it failed to load). */
  private early: Error | null = null;

  /**
   * @param init what each worker needs; null starts the threads now (they load their modules) and
   *   leaves them waiting for {@link start}; until then they do not keep the process alive.
   * @param limits V8 heap limits of each worker (default node's)
   */
  constructor(threads: number, init: WorkerInit | null, limits?: ResourceLimits) {
    // bin/scan-worker.js runs worker.ts from the build's bundle with V8's code cache when it can.
    const url = new URL("../../../bin/scan-worker.js", import.meta.url);
    this.started = init !== null;
    const n = Math.max(1, threads);
    this.loaded = new Int32Array(new SharedArrayBuffer(8));
    this.loaded[1] = n;
    const workerData = init && this.shared(init);
    this.workers = Array.from({ length: n }, () => {
      const w = new Worker(url, { workerData, resourceLimits: limits });
      if (!init) w.unref();
      w.once("error", (err) => {
        this.early ??= err;
      });
      return w;
    });
  }

  /** Gives the workers of a pool made without an init theirs (once). */
  start(init: WorkerInit): void {
    if (this.started) throw new Error("scan pool started twice");
    this.started = true;
    for (const w of this.workers) {
      w.ref();
      w.postMessage({ init: this.shared(init) } satisfies WorkerMessage);
    }
  }

  /** `init` with the pool's count of loaded threads, when its threads set the interrupt budget. */
  private shared(init: WorkerInit): WorkerInit {
    return init.optimiseOnlyHotCode ? { ...init, loaded: this.loaded } : init;
  }

  /**
   * Scans every batch; `onResult` sees each result as it arrives. `local`, when given, scans
   * batches on this thread too, one at a time, between the workers' replies: a thread that would
   * otherwise wait costs no isolate, module load or engine of its own.
   */
  run(
    batches: Iterable<BatchRequest> | AsyncIterable<BatchRequest>,
    onResult: (r: BatchResult) => void,
    local?: (b: BatchRequest) => Promise<BatchResult>,
  ): Promise<void> {
    if (!this.started) throw new Error("scan pool run before start()");
    if (this.early)
      return Promise.reject(new LeakstopError("LS_INTERNAL", `scan worker failed: ${this.early.message}`));
    const source =
      Symbol.asyncIterator in batches
        ? (batches as AsyncIterable<BatchRequest>)[Symbol.asyncIterator]()
        : (batches as Iterable<BatchRequest>)[Symbol.iterator]();
    let sent = 0;
    let done = 0;
    let exhausted = false;
    let failed = false;
    return new Promise<void>((resolve, reject) => {
      const fail = (err: unknown) => {
        failed = true;
        reject(err);
      };
      const settleIfDone = () => {
        if (exhausted && done === sent && !failed) resolve();
      };
      // Pulls serialise through one chain: an async listing is never asked twice at once.
      let pulling: Promise<void> = Promise.resolve();
      const feed = (send: (b: BatchRequest) => void) => {
        pulling = pulling.then(async () => {
          if (exhausted || failed) return settleIfDone();
          const next = await source.next();
          if (next.done) {
            exhausted = true;
            return settleIfDone();
          }
          sent++;
          send(next.value);
        });
        pulling.catch(fail);
      };
      const received = (result: BatchResult, again: () => void) => {
        done++;
        try {
          onResult(result);
        } catch (err) {
          return fail(err);
        }
        again();
        settleIfDone();
      };
      for (const w of this.workers) {
        const send = (b: BatchRequest) => w.postMessage(b);
        w.on("message", (reply: WorkerReply | "closed") => {
          if (reply === "closed") return;
          if (reply.type === "error") {
            const code = isLeakstopError(reply) ? reply.code : "LS_INTERNAL";
            return fail(new LeakstopError(code, reply.message));
          }
          received(reply.result, () => feed(send));
        });
        w.on("error", (err) => fail(new LeakstopError("LS_INTERNAL", `scan worker failed: ${err.message}`)));
        feed(send);
        feed(send);
      }
      if (local) {
        // setImmediate: the workers' replies waiting in the event loop are handled between local batches.
        const sendLocal = (b: BatchRequest) =>
          setImmediate(() => {
            if (failed) return;
            Promise.resolve()
              .then(() => local(b))
              .then((r) => received(r, () => feed(sendLocal)), fail);
          });
        feed(sendLocal);
      }
    });
  }

  /** Asks each worker to close its reader (at most 2 s), then ends the threads; a pool never started just ends them. */
  async close(): Promise<void> {
    if (!this.started) {
      await Promise.all(this.workers.map((w) => w.terminate()));
      return;
    }
    await Promise.all(
      this.workers.map(
        (w) =>
          new Promise<void>((resolve) => {
            if (w.threadId === -1) return resolve(); // already exited
            const timer = setTimeout(resolve, 2000);
            w.on("message", (m) => {
              if (m === "closed") {
                clearTimeout(timer);
                resolve();
              }
            });
            w.postMessage("close");
          }),
      ),
    );
    await Promise.all(this.workers.map((w) => w.terminate()));
  }
}
