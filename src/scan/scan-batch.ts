/** Scans a batch of a source's items with one engine: shared by worker threads and the in-process path. */

import type { Engine } from "../detection/compile.js";
import { type DetectOptions, detectFragment } from "../detection/detect.js";
import type { Finding } from "../findings/finding.js";
import type { ReadOutcome, ReadSink, SourceReader } from "../sources/source.js";
import { probeChanges, probeWindows } from "./delta-probe.js";
import type { BatchRequest, BatchResult } from "./messages.js";
import { TextGroup } from "./text-group.js";

type LabelledReader<Item> = SourceReader<Item> & { label(item: Item): string };

/**
 * @param grouped scan the batch's texts in groups (scan/text-group.ts): for readers of many small
 *   texts that can be read twice (history), as a probe that finds something makes its item read again
 */
export async function scanBatch<Item>(
  engine: Engine,
  reader: LabelledReader<Item>,
  req: BatchRequest<Item>,
  opts: DetectOptions,
  grouped = false,
): Promise<BatchResult> {
  if (grouped) return scanGrouped(engine, reader, req, opts);
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
      addItem(out, reader, req, index, outcome, found);
    },
  });
  return out;
}

/**
 * The same result as scanBatch's, the texts scanned in groups: a probe's windows are queued like
 * any text, and an item whose windows hold a finding is read again and scanned whole.
 */
async function scanGrouped<Item>(
  engine: Engine,
  reader: LabelledReader<Item>,
  req: BatchRequest<Item>,
  opts: DetectOptions,
): Promise<BatchResult> {
  const n = req.items.length;
  const outcomes: (ReadOutcome | undefined)[] = new Array(n);
  const found: Finding[][] = Array.from({ length: n }, () => []);
  const whole = new Uint8Array(n);
  const group = new TextGroup(engine, opts, {
    found(item, findings, probe) {
      if (probe) {
        if (findings.length > 0) whole[item] = 1;
      } else for (const f of findings) found[item]!.push(f);
    },
    settled: (item) => whole[item] === 1,
  });
  // `at` maps the reader's item index to the batch's.
  const sinkOf = (at: (index: number) => number, probe: boolean): ReadSink => ({
    fragment: (index, frag) => group.add(at(index), frag),
    done: (index, outcome) => {
      outcomes[at(index)] = outcome;
    },
    probe: probe
      ? (index, base, text) => {
          const windows = probeWindows(base, text.data);
          if (windows === null) return false;
          for (const [a, b] of windows) group.add(at(index), text, true, a, b);
          return true;
        }
      : undefined,
  });
  try {
    await reader.read(
      req.items,
      sinkOf((i) => i, true),
    );
    group.flush();
    const again: number[] = [];
    whole.forEach((w, i) => {
      if (w === 1) again.push(i);
    });
    if (again.length > 0) {
      for (const i of again) found[i] = [];
      await reader.read(
        again.map((i) => req.items[i] as Item),
        sinkOf((j) => again[j]!, false),
      );
      group.flush();
    }
  } finally {
    group.release();
  }
  const out: BatchResult = { id: req.id, findings: [], itemOf: [], skipped: [], bytes: 0, files: 0 };
  for (let i = 0; i < n; i++) {
    const outcome = outcomes[i];
    if (outcome) addItem(out, reader, req, i, outcome, found[i]!);
  }
  return out;
}

/** Adds one item's outcome to the batch's result: a skipped item is listed, a read one counted with its findings. */
function addItem<Item>(
  out: BatchResult,
  reader: LabelledReader<Item>,
  req: BatchRequest<Item>,
  index: number,
  outcome: ReadOutcome,
  found: readonly Finding[],
): void {
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
}
