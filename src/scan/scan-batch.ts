/** Scans a batch of a source's items with one engine: shared by worker threads and the in-process path. */

import type { Engine } from "../detection/compile.js";
import { type DetectOptions, detectFragment } from "../detection/detect.js";
import type { SourceReader } from "../sources/source.js";
import { probeChanges } from "./delta-probe.js";
import type { BatchRequest, BatchResult } from "./messages.js";

export async function scanBatch<Item>(
  engine: Engine,
  reader: SourceReader<Item> & { label(item: Item): string },
  req: BatchRequest<Item>,
  opts: DetectOptions,
): Promise<BatchResult> {
  const out: BatchResult = { id: req.id, findings: [], itemOf: [], skipped: [], bytes: 0, files: 0 };
  // Findings of an item are kept until it is done: a text that turns out binary or unreadable
  // part-way reports none of them.
  let pending: { index: number; findings: BatchResult["findings"] } = { index: -1, findings: [] };
  await reader.read(req.items, {
    fragment(index, frag) {
      if (pending.index !== index) pending = { index, findings: [] };
      for (const f of detectFragment(engine, frag, opts)) pending.findings.push(f);
    },
    probe(_index, base, text) {
      return probeChanges(engine, base, text, opts);
    },
    done(index, outcome) {
      const found = pending.index === index ? pending.findings : [];
      pending = { index: -1, findings: [] };
      if (outcome.skipped) {
        out.skipped.push({ rel: reader.label(req.items[index] as Item), reason: outcome.skipped });
        return;
      }
      out.files++;
      out.bytes += outcome.bytes;
      for (const f of found) {
        out.findings.push(f);
        out.itemOf.push(index);
      }
    },
  });
  return out;
}
