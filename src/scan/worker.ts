/** Worker-thread entry: compiles the rules once, then scans every batch the pool sends. */
import { parentPort, workerData } from "node:worker_threads";
import { compileEngine } from "../rules/compile.js";
import type { BatchRequest, WorkerInit, WorkerReply } from "./messages.js";
import { scanBatch } from "./scan-batch.js";

const init = workerData as WorkerInit;
const engine = compileEngine(init.ruleSet.rules, init.ruleSet.allowlists, init.ruleSet.settings);

parentPort?.on("message", (req: BatchRequest) => {
  let reply: WorkerReply;
  try {
    reply = { type: "result", result: scanBatch(engine, req, init.detect) };
  } catch (err) {
    const e = err as { code?: string; message?: string };
    reply = { type: "error", code: e.code ?? "LS_INTERNAL", message: e.message ?? String(err) };
  }
  parentPort?.postMessage(reply);
});
