/**
 * The history listing alone (`git log --raw -c` parsed into the change index, in scan order), as
 * `scan --history` runs it in its main thread: node's CPU for it (git's own process not counted),
 * the items listed and the index's heap.
 *   node dist/bench/history-listing.js REPO [--runs N]
 */
import { parseArgs } from "node:util";
import { scanOrder } from "../src/scan/history-order.js";
import { HistoryIndex, listHistory } from "../src/sources/git/history-log.js";

const { positionals, values } = parseArgs({ allowPositionals: true, options: { runs: { type: "string" } } });
const repo = positionals[0];
if (!repo) throw new Error("usage: node dist/bench/history-listing.js REPO [--runs N]");
for (let run = 0; run < Number(values.runs ?? 1); run++) {
  const index = new HistoryIndex();
  const cpu0 = process.cpuUsage();
  let items = 0;
  for await (const _ of scanOrder(listHistory(repo, { delta: true }, index), index)) items++;
  const cpu = process.cpuUsage(cpu0);
  console.log(
    `${items} items, ${index.entries} changes: node CPU ${(cpu.user / 1e6).toFixed(2)} + ${(cpu.system / 1e6).toFixed(2)} s, heap ${(process.memoryUsage().heapUsed / 1048576).toFixed(0)} MB`,
  );
}
