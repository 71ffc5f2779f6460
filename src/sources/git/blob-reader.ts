/**
 * The history source's reader (one per scanning thread): turns blob ids and commit ids into
 * fragments, streamed from one long-lived `git cat-file --batch`. Blobs up to CHUNK_SIZE are
 * scanned whole; bigger ones in overlapping chunks as git writes them, so memory stays bounded
 * whatever a blob's size. A commit item is scanned as its message only (headers dropped), with
 * path "" and lines counted within the message.
 */
import type { Fragment, FragmentOrigin } from "../fragment.js";
import { CHUNK_SIZE, ChunkFeeder, looksBinary, OVERLAP, utf16BomOf } from "../read-chunks.js";
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
  /** The blob this one replaced: only what it changes needs scanning, if the sink can probe (see ReadSink.probe). */
  base?: string;
}

let feederScratch: Buffer | null = null;
let baseScratch: Buffer | null = null;

/** Item index of each object asked for; a base (read just before its item) is marked by `isBase`. */
interface Request {
  oids: string[];
  item: number[];
  isBase: boolean[];
}

/** The objects to ask git for: each item's blob, preceded by its base when the sink can probe. */
export function requestOf(items: HistoryItem[], probe: boolean): Request {
  const req: Request = { oids: [], item: [], isBase: [] };
  items.forEach((it, i) => {
    if (probe && it.base && !it.message) {
      req.oids.push(it.base);
      req.item.push(i);
      req.isBase.push(true);
    }
    req.oids.push(it.oid);
    req.item.push(i);
    req.isBase.push(false);
  });
  return req;
}

/** Everything one object of a `read` call needs while its bytes stream in. */
class ObjectReader implements ObjectVisitor {
  private at = -1;
  private index = -1;
  /** The current item's base, whole, when usable (a text blob small enough to keep). */
  private base: Buffer | null = null;
  private mode: "skip" | "whole" | "chunks" | "base" = "skip";
  private whole: Buffer = Buffer.alloc(0);
  private filled = 0;
  private feeder: ChunkFeeder | null = null;
  private size = 0;

  constructor(
    private readonly items: HistoryItem[],
    private readonly req: Request,
    private readonly sink: ReadSink,
    private readonly opts: ReadOptions,
  ) {}

  start(h: ObjectHeader): void {
    this.at++;
    this.size = h.size;
    this.filled = 0;
    if (this.req.isBase[this.at]) {
      this.index = this.req.item[this.at]!;
      // A base is worth keeping only if it is a text the whole-blob scan would have read as is.
      const ok =
        h.type === "blob" && h.size <= CHUNK_SIZE && !(this.opts.maxFileSize > 0 && h.size > this.opts.maxFileSize);
      this.mode = ok ? "base" : "skip";
      this.base = null;
      if (ok) {
        if (!baseScratch || baseScratch.length < h.size)
          baseScratch = Buffer.allocUnsafe(Math.max(h.size, 1024 * 1024));
        this.whole = baseScratch.subarray(0, h.size);
      }
      return;
    }
    if (this.index !== this.req.item[this.at]) this.base = null;
    this.index = this.req.item[this.at]!;
    const item = this.items[this.index]!;
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
    if (this.mode === "whole" || this.mode === "base") {
      bytes.copy(this.whole, this.filled);
      this.filled += bytes.length;
    } else if (this.mode === "chunks") this.feeder?.push(bytes);
  }

  end(): void {
    if (this.mode === "base") {
      const b = this.whole;
      this.base = utf16BomOf(b) || looksBinary(b) ? null : b;
      this.mode = "skip";
      return;
    }
    if (this.req.isBase[this.at]) return;
    const i = this.index;
    const item = this.items[i]!;
    if (this.mode === "chunks") {
      const text = this.feeder?.end() ?? false;
      this.feeder = null;
      this.sink.done(i, text ? { bytes: this.size } : { bytes: 0, skipped: "binary" });
    } else if (this.mode === "whole") {
      const frag = item.message ? messageFragment(this.whole, item.oid) : wholeText(this.whole, blobOrigin(item));
      // Only what the blob changes is probed when its base is a usable text and it was not decoded.
      const base = this.base;
      const probed = frag !== null && base !== null && frag.data === this.whole && this.sink.probe?.(i, base, frag);
      if (frag && !probed) this.sink.fragment(i, frag);
      this.sink.done(i, frag ? { bytes: this.size } : { bytes: 0, skipped: "binary" });
    }
    this.base = null;
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
      const req = requestOf(items, sink.probe !== undefined);
      await cat.read(req.oids, new ObjectReader(items, req, sink, opts));
    },
    async close() {
      await cat?.close();
      cat = null;
    },
    label: (item) =>
      item.message ? `commit ${item.oid.slice(0, 12)} (message)` : `${item.path} (blob ${item.oid.slice(0, 12)})`,
  };
}
