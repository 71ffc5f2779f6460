/** Worker-thread entry: compiles the rules once, opens its source's reader, then scans every batch the pool sends. */
import { parentPort, workerData } from "node:worker_threads";
import { compileEngine, type Engine, onlyUserRules } from "../detection/compile.js";
import { ruleSetFromPortable } from "../rules/portable-rules.js";
import { type LabelledReader, openReader } from "../sources/readers.js";
import { type BatchRequest, errorReplyOf, type WorkerInit, type WorkerReply } from "./messages.js";
import { scanBatch } from "./scan-batch.js";

const init = workerData as WorkerInit;

// Compiling here (not in the main thread) lets every worker build its engine in parallel; a rule
// that does not compile comes back as an error reply carrying its LS_ code.
let engine: Engine | null = null;
let reader: LabelledReader | null = null;
let initError: WorkerReply | null = null;
try {
  engine = compileEngine(ruleSetFromPortable(init.ruleSet), onlyUserRules);
  reader = openReader(init.reader ?? { kind: "tree" }, init.detect);
} catch (err) {
  initError = errorReplyOf(err);
}

// Batches are scanned one after the other, even when a reader is asynchronous (git cat-file).
let queue: Promise<void> = Promise.resolve();
parentPort?.on("message", (req: BatchRequest | "close") => {
  if (req === "close") {
    // Let the reader end what it holds (a git process) before the pool terminates this thread.
    queue = queue.then(async () => {
      await reader?.close();
      parentPort?.postMessage("closed");
    });
    return;
  }
  queue = queue.then(async () => {
    let reply: WorkerReply;
    try {
      reply = initError ?? {
        type: "result",
        result: await scanBatch(engine as Engine, reader as LabelledReader, req, init.detect),
      };
    } catch (err) {
      reply = errorReplyOf(err);
    }
    parentPort?.postMessage(reply);
  });
});
