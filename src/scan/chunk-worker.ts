/** Worker-thread entry for chunks of big files: compiles the rules once, then scans every chunk it is sent. */
import { parentPort, workerData } from "node:worker_threads";
import type { Engine } from "../detection/compile.js";
import { ruleSetFromPortable } from "../rules/portable-rules.js";
import { bulkEngine } from "./bulk-engine.js";
import { errorReplyOf } from "./messages.js";
import { type ChunkJob, scanChunk } from "./scan-chunk.js";
import type { ChunkWorkerInit, ChunkWorkerReply } from "./split-file.js";

const init = workerData as ChunkWorkerInit;

let engine: Engine | null = null;

// A rule that does not compile is the user's error: it comes back with its LS_ code. Any other
// error while reading a chunk (the file went away) makes the file unreadable, as for one thread.
let initError: ChunkWorkerReply | null = null;
try {
  engine = bulkEngine(ruleSetFromPortable(init.ruleSet));
} catch (err) {
  initError = { ...errorReplyOf(err), leakstop: true };
}
let scratch: Buffer | null = null;

parentPort?.on("message", (job: ChunkJob) => {
  let reply: ChunkWorkerReply;
  try {
    if (initError) reply = initError;
    else {
      if (!scratch || scratch.length < job.chunkSize + job.overlap)
        scratch = Buffer.allocUnsafe(job.chunkSize + job.overlap);
      reply = { type: "result", result: scanChunk(engine as Engine, job, init.detect, scratch) };
    }
  } catch (err) {
    reply = errorReplyOf(err);
  }
  parentPort?.postMessage(reply);
});
