/**
 * The child node of history-child.ts: receives a rule set and a history scan's options, runs the
 * scan, sends back its findings and stats (or its error), and ends. It ends too when the parent goes
 * away (the IPC channel closes), so a killed Action or scheduler leaves no scan running.
 */
// First: gives the memory flag back to V8's default before anything else loads.
import "./history-child-flags.js";
import { isLeakstopError } from "../lib/errors.js";
import { type PortableRuleSet, ruleSetFromPortable } from "../rules/portable-rules.js";
import { type HistoryScanOptions, type HistoryScanResult, scanHistory } from "./scan-history.js";

export interface HistoryChildRequest {
  ruleSet: PortableRuleSet;
  opts: Omit<HistoryScanOptions, "onProgress">;
  /** Send progress messages (the caller passed onProgress). */
  progress: boolean;
}

export type HistoryChildReply =
  | { type: "progress"; done: number; listed: number }
  | { type: "result"; result: HistoryScanResult }
  | { type: "error"; code: string; message: string; leakstop: boolean };

// The malloc settings were the parent's for this node only: its git commands get the user's environment.
const added = process.env.LEAKSTOP_HISTORY_CHILD;
if (added !== undefined) {
  for (const name of added.split(",")) if (name) delete process.env[name];
  delete process.env.LEAKSTOP_HISTORY_CHILD;
}

let replied = false;
process.on("disconnect", () => {
  if (!replied) process.exit(1);
});

const reply = (m: HistoryChildReply) => {
  replied = true;
  process.send?.(m, () => process.disconnect());
};

process.once("message", (m: HistoryChildRequest) => {
  const progress = (done: number, listed: number) =>
    process.send?.({ type: "progress", done, listed } satisfies HistoryChildReply);
  scanHistory(ruleSetFromPortable(m.ruleSet), { ...m.opts, onProgress: m.progress ? progress : undefined }).then(
    (result) => reply({ type: "result", result }),
    (err: unknown) => {
      const e = err as { code?: string; message?: string };
      reply({
        type: "error",
        code: e.code ?? "LS_INTERNAL",
        message: e.message ?? String(err),
        leakstop: isLeakstopError(err),
      });
    },
  );
});
