/** Worker-thread entry: compiles the rules once, opens its source's reader, then scans every batch the pool sends. */
import { parentPort, workerData } from "node:worker_threads";
import type { Engine } from "../detection/compile.js";
import { ruleSetFromPortable } from "../rules/portable-rules.js";
import { type LabelledReader, openReader } from "../sources/readers.js";
import { bulkEngine } from "./bulk-engine.js";
import { errorReplyOf, type WorkerInit, type WorkerMessage, type WorkerReply } from "./messages.js";
import { scanBatch } from "./scan-batch.js";
import { optimiseOnlyHotCode } from "./tiering.js";

// The init comes with the thread, or as its first message when the pool started before the rules
// were loaded (ScanPool.start): the thread loads its modules meanwhile.
let init = workerData as WorkerInit | null;

// Compiling here (not in the main thread) lets every worker build its engine in parallel; a rule
// that does not compile comes back as an error reply carrying its LS_ code.
let engine: Engine | null = null;
let reader: LabelledReader | null = null;
let initError: WorkerReply | null = null;
const setUp = (given: WorkerInit) => {
  init = given;
  if (given.optimiseOnlyHotCode) optimiseOnlyHotCode(given.loaded);
  try {
    const spec = given.reader ?? { kind: "tree" };
    const ruleSet = ruleSetFromPortable(given.ruleSet);
    // Trees and histories alike are megabytes to gigabytes: read in bulk, as on the main thread (no
    // lower-cased copy of the thread's first 4 MiB, one keyword set instead of two); history texts go in groups (text-group.ts).
    engine = bulkEngine(ruleSet);
    reader = openReader(spec, given.detect);
  } catch (err) {
    initError = errorReplyOf(err);
  }
};
if (init) setUp(init);

// History texts are many and small: scanned in groups (scan/text-group.ts).
const grouped = () => (init as WorkerInit).reader?.kind === "history";

// Batches are scanned one after the other, even when a reader is asynchronous (git cat-file).
let queue: Promise<void> = Promise.resolve();
parentPort?.on("message", (req: WorkerMessage) => {
  if (typeof req === "object" && "init" in req) return setUp(req.init);
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
        result: await scanBatch(
          engine as Engine,
          reader as LabelledReader,
          req,
          (init as WorkerInit).detect,
          grouped(),
        ),
      };
    } catch (err) {
      reply = errorReplyOf(err);
    }
    parentPort?.postMessage(reply);
  });
});
