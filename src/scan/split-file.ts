/**
 * A big file spread over several threads: its chunks (the same overlapping chunks a single thread
 * reads, see sources/read-chunks) are scanned apart, by the calling thread and by worker threads,
 * each reading its own chunk; the calling thread puts them back in order and moves each chunk's
 * findings to the line and column where the chunk starts. Findings are those of a one-thread scan.
 * Memory stays bounded: one chunk buffer per thread, and at most a few chunks ahead of the oldest
 * one not yet merged are handed out, so results never pile up behind a slow chunk.
 */
import { statSync } from "node:fs";
import { Worker } from "node:worker_threads";
import type { Engine } from "../detection/compile.js";
import type { DetectOptions } from "../detection/detect.js";
import type { Finding } from "../findings/finding.js";
import { isLeakstopError, LeakstopError } from "../lib/errors.js";
import type { PortableRuleSet } from "../rules/portable-rules.js";
import type { FragmentOrigin } from "../sources/fragment.js";
import { CHUNK_SIZE, type Cursor, OVERLAP } from "../sources/read-chunks.js";
import type { SkipReason } from "../sources/source.js";
import { fsPath, type TreeFile } from "../sources/tree.js";
import { scratchOf } from "../sources/tree-reader.js";
import type { ErrorReply } from "./messages.js";
import { type ChunkJob, type ChunkResult, placeFindings, scanChunk } from "./scan-chunk.js";

/** Files this big or bigger are split over the threads (a 50 MB bundle is 7 chunks). */
export const SPLIT_MIN = 4 * CHUNK_SIZE;

export interface ChunkWorkerInit {
  ruleSet: PortableRuleSet;
  detect: DetectOptions;
}

export type ChunkWorkerReply = { type: "result"; result: ChunkResult } | ErrorReply;

export interface SplitResult {
  findings: Finding[];
  bytes: number;
  skipped?: SkipReason;
  /** The file starts with a UTF-16 BOM: not scanned here, as it cannot be read from the middle. */
  utf16?: true;
}

/** A file's size, or -1 when it cannot be stat'ed (its reader will say why). */
export function sizeOf(file: TreeFile): number {
  try {
    return statSync(fsPath(file)).size;
  } catch {
    return -1;
  }
}

/** Chunks handed out ahead of the oldest one not merged yet, per thread. */
const AHEAD_PER_THREAD = 3;
/** Chunks each worker holds at once: one it scans, one waiting, so it never waits for this thread. */
const IN_HAND = 2;

interface WorkerSlot {
  worker: Worker;
  inHand: number;
  /** Called with each reply; set by the scan in progress. */
  onReply?: (r: ChunkWorkerReply) => void;
  onError?: (err: Error) => void;
}

/**
 * The calling thread (with `engine`) and `threads - 1` worker threads that scan chunks of big
 * files, one file after the other. Workers start when this is made; `close()` ends them.
 */
export class ChunkScanners {
  private readonly slots: WorkerSlot[];
  /** Chunks scanned per thread id (0: this thread), over every file so far. */
  readonly chunksByThread = new Map<number, number>();

  constructor(
    threads: number,
    init: ChunkWorkerInit,
    private readonly engine: Engine,
    private readonly chunkSize = CHUNK_SIZE,
    private readonly overlap = OVERLAP,
  ) {
    const url = new URL("./chunk-worker.js", import.meta.url);
    this.slots = Array.from({ length: Math.max(0, threads - 1) }, () => {
      const slot: WorkerSlot = { worker: new Worker(url, { workerData: init }), inHand: 0 };
      slot.worker.on("message", (r: ChunkWorkerReply) => slot.onReply?.(r));
      slot.worker.on("error", (err) => slot.onError?.(err));
      return slot;
    });
  }

  /** Scans one file of `size` bytes (UTF-8 text or binary; not UTF-16) over every thread. */
  scanFile(file: TreeFile, size: number, origin: FragmentOrigin, opts: DetectOptions): Promise<SplitResult> {
    const { chunkSize, overlap } = this;
    // Chunk i starts within 3 bytes before i × chunkSize: every index that may start before the end.
    const count = Math.ceil((size + 3) / chunkSize);
    const ahead = AHEAD_PER_THREAD * (this.slots.length + 1);
    const results = new Map<number, ChunkResult>();
    const findings: Finding[] = [];
    let next = 0; // next index to hand out
    let merged = 0; // next index to merge
    let lastIndex = count; // no index past the file's last chunk is handed out
    let at: Cursor = { line: 1, column: 0 };
    let inFlight = 0;
    let finished = false;
    let outcome: SplitResult | null = null;
    const jobOf = (index: number): ChunkJob => ({ abs: file.abs, origin, index, size, chunkSize, overlap });
    const claim = (): number | null => {
      if (outcome || next >= lastIndex || next >= count || next >= merged + ahead) return null;
      return next++;
    };

    return new Promise<SplitResult>((resolve, reject) => {
      const settle = () => {
        if (finished || !outcome || inFlight > 0) return;
        finished = true;
        for (const s of this.slots) {
          s.onReply = undefined;
          s.onError = undefined;
        }
        resolve(outcome);
      };
      const fail = (err: unknown) => {
        if (finished) return;
        finished = true;
        reject(err);
      };
      const accept = (r: ChunkResult) => {
        if (outcome) return;
        if (r.last) lastIndex = Math.min(lastIndex, r.index + 1);
        this.chunksByThread.set(r.thread, (this.chunksByThread.get(r.thread) ?? 0) + 1);
        results.set(r.index, r);
        for (let m = results.get(merged); m; m = results.get(merged)) {
          results.delete(merged);
          if (m.binary) {
            outcome = { findings: [], bytes: 0, skipped: "binary" };
            return;
          }
          if (m.utf16) {
            outcome = { findings: [], bytes: 0, utf16: true };
            return;
          }
          at = placeFindings(m, at, findings);
          merged++;
          if (m.last) {
            outcome = { findings, bytes: size };
            return;
          }
        }
      };
      const unreadable = () => {
        outcome ??= { findings: [], bytes: 0, skipped: "unreadable" };
      };
      const feed = (s: WorkerSlot) => {
        while (s.inHand < IN_HAND) {
          const index = claim();
          if (index === null) return;
          s.inHand++;
          inFlight++;
          s.worker.postMessage(jobOf(index));
        }
      };
      for (const s of this.slots) {
        s.onReply = (reply) => {
          s.inHand--;
          inFlight--;
          if (reply.type === "error") {
            if (reply.leakstop)
              return fail(new LeakstopError(isLeakstopError(reply) ? reply.code : "LS_INTERNAL", reply.message));
            unreadable();
          } else accept(reply.result);
          // This thread may be idle (every chunk it could take was out): hand it what opened up.
          for (const o of this.slots) feed(o);
          if (!localBusy) void local();
          settle();
        };
        s.onError = (err) => fail(new LeakstopError("LS_INTERNAL", `scan worker failed: ${err.message}`));
      }
      // This thread scans too, one chunk at a time, yielding between chunks so that workers'
      // replies are taken in (each worker has a second chunk in hand meanwhile).
      let localBusy = false;
      const scratch = scratchOf(chunkSize + overlap);
      const local = async () => {
        localBusy = true;
        try {
          for (let index = claim(); index !== null; index = claim()) {
            inFlight++;
            for (const s of this.slots) feed(s);
            try {
              accept(scanChunk(this.engine, jobOf(index), opts, scratch));
            } catch (err) {
              if (isLeakstopError(err)) throw err;
              unreadable();
            } finally {
              inFlight--;
            }
            await new Promise<void>((r) => setImmediate(r));
          }
        } catch (err) {
          fail(err);
        } finally {
          localBusy = false;
        }
        settle();
      };
      void local();
    });
  }

  async close(): Promise<void> {
    await Promise.all(this.slots.map((s) => s.worker.terminate()));
  }
}
