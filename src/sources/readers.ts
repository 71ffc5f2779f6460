/** Opens a source's reader from a plain description, so a worker thread can open its own. */
import { historyReader } from "./git/blob-reader.js";
import type { ReadOptions, SourceReader } from "./source.js";
import type { TreeFile } from "./tree.js";
import { treeReader } from "./tree-reader.js";

/** Which reader to open: the working tree, or the objects of a git repository. */
export type ReaderSpec = { kind: "tree" } | { kind: "history"; repo: string };

export type LabelledReader = SourceReader<unknown> & { label(item: unknown): string };

export function openReader(spec: ReaderSpec, opts: ReadOptions): LabelledReader {
  if (spec.kind === "history") return historyReader(spec.repo, opts) as LabelledReader;
  return { ...treeReader(opts), label: (f) => (f as TreeFile).rel } as LabelledReader;
}
