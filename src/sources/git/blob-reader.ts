/**
 * The history source's reader (one per scanning thread): turns blob ids and commit ids into
 * fragments, streamed from one long-lived `git cat-file --batch`. Blobs up to CHUNK_SIZE are
 * scanned whole; bigger ones in overlapping chunks as git writes them, so memory stays bounded
 * whatever a blob's size. A commit item is scanned as its message only (headers dropped), with
 * path "" and lines counted within the message.
 */
import type { Fragment, FragmentOrigin } from "../fragment.js";
import { CHUNK_SIZE, ChunkFeeder, OVERLAP } from "../read-chunks.js";
import type { ReadOptions, ReadSink, SourceReader } from "../source.js";
import { scratchOf, wholeText } from "../tree-reader.js";
import { CatFileBatch, type ObjectHeader, type ObjectVisitor } from "./cat-file.js";

/** One thing to read out of the object store. */
export interface HistoryItem {
  /** Blob id, or commit id when `message` is set. */
  oid: string;
  /** Path the blob is scanned under (its rules and allowlists apply); "" for a commit message. */
  path: string;
  /** Scan the commit's message instead of a blob. */
  message?: boolean;
}

let feederScratch: Buffer | null = null;

/** Everything one object of a `read` call needs while its bytes stream in. */
class ObjectReader implements ObjectVisitor {
  private index = -1;
  private mode: "skip" | "whole" | "chunks" = "skip";
  private whole: Buffer = Buffer.alloc(0);
  private filled = 0;
  private feeder: ChunkFeeder | null = null;
  private size = 0;

  constructor(
    private readonly items: HistoryItem[],
    private readonly sink: ReadSink,
    private readonly opts: ReadOptions,
  ) {}

  start(h: ObjectHeader): void {
    this.index++;
    const item = this.items[this.index]!;
    this.size = h.size;
    this.filled = 0;
    const wanted = item.message ? "commit" : "blob";
    if (h.type !== wanted) {
      this.mode = "skip";
      this.sink.done(this.index, { bytes: 0, skipped: "unreadable" });
    } else if (!item.message && this.opts.maxFileSize > 0 && h.size > this.opts.maxFileSize) {
      this.mode = "skip";
      this.sink.done(this.index, { bytes: 0, skipped: "too-large" });
    } else if (h.size <= CHUNK_SIZE) {
      this.mode = "whole";
      this.whole = scratchOf(h.size).subarray(0, h.size);
    } else if (item.message) {
      this.mode = "skip";
      this.sink.done(this.index, { bytes: 0, skipped: "too-large" });
    } else {
      this.mode = "chunks";
      feederScratch ??= Buffer.allocUnsafe(CHUNK_SIZE + OVERLAP);
      const i = this.index;
      const origin: FragmentOrigin = { path: item.path, source: "history" };
      this.feeder = new ChunkFeeder(origin, (f) => this.sink.fragment(i, f), CHUNK_SIZE, OVERLAP, feederScratch);
    }
  }

  data(bytes: Buffer): void {
    if (this.mode === "whole") {
      bytes.copy(this.whole, this.filled);
      this.filled += bytes.length;
    } else if (this.mode === "chunks") this.feeder?.push(bytes);
  }

  end(): void {
    const i = this.index;
    const item = this.items[i]!;
    if (this.mode === "chunks") {
      const text = this.feeder?.end() ?? false;
      this.feeder = null;
      this.sink.done(i, text ? { bytes: this.size } : { bytes: 0, skipped: "binary" });
    } else if (this.mode === "whole") {
      const frag = item.message ? messageFragment(this.whole, item.oid) : wholeText(this.whole, blobOrigin(item));
      if (frag) this.sink.fragment(i, frag);
      this.sink.done(i, frag ? { bytes: this.size } : { bytes: 0, skipped: "binary" });
    }
    this.mode = "skip";
  }
}

function blobOrigin(item: HistoryItem): FragmentOrigin {
  return { path: item.path, source: "history" };
}

/** A commit object's message (after the blank line that ends its headers) as a fragment. */
function messageFragment(commit: Buffer, oid: string): Fragment | null {
  const cut = commit.indexOf("\n\n");
  const message = cut === -1 ? Buffer.alloc(0) : commit.subarray(cut + 2);
  return wholeText(message, { path: "", source: "history", commit: oid });
}

export function historyReader(
  repo: string,
  opts: ReadOptions,
): SourceReader<HistoryItem> & { label(item: HistoryItem): string } {
  let cat: CatFileBatch | null = null;
  return {
    async read(items, sink) {
      cat ??= CatFileBatch.open(repo);
      await cat.read(
        items.map((i) => i.oid),
        new ObjectReader(items, sink, opts),
      );
    },
    async close() {
      await cat?.close();
      cat = null;
    },
    label: (item) =>
      item.message ? `commit ${item.oid.slice(0, 12)} (message)` : `${item.path} (blob ${item.oid.slice(0, 12)})`,
  };
}
