/** Worker-thread entry: compiles the rules once, then scans every batch the pool sends. */
import { parentPort, workerData } from "node:worker_threads";
import { compileEngine, type Engine, onlyUserRules } from "../rules/compile.js";
import type { BatchRequest, WorkerInit, WorkerReply } from "./messages.js";
import { scanBatch } from "./scan-batch.js";

const init = workerData as WorkerInit;

function errorReply(err: unknown): WorkerReply {
  const e = err as { code?: string; message?: string };
  return { type: "error", code: e.code ?? "LS_INTERNAL", message: e.message ?? String(err) };
}

// Compiling here (not in the main thread) lets every worker build its engine in parallel; a rule
// that does not compile comes back as an error reply carrying its LS_ code.
let engine: Engine | null = null;
let initError: WorkerReply | null = null;
try {
  engine = compileEngine(init.ruleSet.rules, init.ruleSet.allowlists, init.ruleSet.settings, onlyUserRules);
} catch (err) {
  initError = errorReply(err);
}

parentPort?.on("message", (req: BatchRequest) => {
  let reply: WorkerReply;
  try {
    reply = initError ?? { type: "result", result: scanBatch(engine as Engine, req, init.detect) };
  } catch (err) {
    reply = errorReply(err);
  }
  parentPort?.postMessage(reply);
});
