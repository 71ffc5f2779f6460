/**
 * The history source's reader (one per scanning thread): turns blob, commit and tag ids into
 * fragments, streamed from one long-lived `git cat-file --batch`. Blobs up to CHUNK_SIZE are
 * scanned whole; bigger ones in overlapping chunks as git writes them, so memory stays bounded
 * whatever a blob's size. A commit or tag item is scanned as its message only (headers dropped,
 * and a tag's signature: tag-objects.ts), with path "" and lines counted within the message.
 */
import type { Fragment, FragmentOrigin } from "../fragment.js";
import { blankInertSpans } from "../inert-spans.js";
import { CHUNK_SIZE, ChunkFeeder, looksBinary, OVERLAP, utf16BomOf } from "../read-chunks.js";
import type { ReadOptions, ReadSink, SourceReader } from "../source.js";
import { scratchOf, wholeText } from "../tree-reader.js";
import type { ObjectHeader, ObjectVisitor } from "./cat-file.js";
import { type CatFile, openCatFile } from "./cat-file-blocking.js";
import { HISTORY_GIT_CONFIG } from "./run-git.js";
import { tagMessageOf } from "./tag-objects.js";

/** One thing to read out of the object store. */
export interface HistoryItem {
  /** Blob id, or the commit's or tag's id when `message` is set. */
  oid: string;
  /** Path the blob is scanned under (its rules and allowlists apply); "" for a message. */
  path: string;
  /** Scan the message of this commit or annotated tag object instead of a blob. */
  message?: "commit" | "tag";
  /** The blob this one replaced: only what it changes needs scanning, if the sink can probe (see ReadSink.probe). */
  base?: string;
}

let feederScratch: Buffer | null = null;

/**
 * The last blob a reader scanned whole, kept as the base of the item after it: scanned in base
 * order (scan/history-order.ts), a file's next version is built on the one just scanned, so git
 * reads it once, not a second time as a base. Two buffers take turns: the next item is read into
 * the one not holding the kept text; a base that must be read goes into the other.
 */
export class KeptVersion {
  private readonly slots: [Buffer | null, Buffer | null] = [null, null];
  /** The slot holding the kept text. */
  private slot = 0;
  oid: string | null = null;
  text: Buffer | null = null;

  private grown(i: number, size: number): Buffer {
    let b = this.slots[i];
    if (!b || b.length < size) {
      b = Buffer.allocUnsafe(Math.max(size, 256 * 1024));
      this.slots[i] = b;
    }
    return b.subarray(0, size);
  }

  /** Room for an item's bytes (the kept text stays intact). */
  forItem(size: number): Buffer {
    return this.grown(1 - this.slot, size);
  }

  /** Room for a base read from git: the kept text is given up (it was not that base). */
  forBase(size: number): Buffer {
    this.oid = null;
    this.text = null;
    return this.grown(this.slot, size);
  }

  /** Keeps `text` (the buffer `forItem` gave) as blob `oid`'s version. */
  keep(oid: string, text: Buffer): void {
    this.slot = 1 - this.slot;
    this.oid = oid;
    this.text = text;
  }

  /** The kept text if it is blob `oid`. */
  get(oid: string): Buffer | null {
    return this.oid === oid ? this.text : null;
  }
}

/** Item index of each object asked for; a base (read just before its item) is marked by `isBase`. */
interface Request {
  oids: string[];
  item: number[];
  isBase: boolean[];
}

/**
 * The objects to ask git for: each item's blob, preceded by its base when the sink can probe and
 * the base is not the blob read just before (`kept`: what the reader holds from its last read).
 */
export function requestOf(items: HistoryItem[], probe: boolean, kept: string | null = null): Request {
  const req: Request = { oids: [], item: [], isBase: [] };
  let last = kept;
  items.forEach((it, i) => {
    if (it.message) {
      req.oids.push(it.oid);
      req.item.push(i);
      req.isBase.push(false);
      return;
    }
    if (probe && it.base && it.base !== last) {
      req.oids.push(it.base);
      req.item.push(i);
      req.isBase.push(true);
    }
    req.oids.push(it.oid);
    req.item.push(i);
    req.isBase.push(false);
    last = it.oid;
  });
  return req;
}

/** Everything one object of a `read` call needs while its bytes stream in. */
class ObjectReader implements ObjectVisitor {
  private at = -1;
  private index = -1;
  /** The current item's base, whole, when read from git and usable (a text blob small enough to keep). */
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
    private readonly kept: KeptVersion,
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
      if (ok) this.whole = this.kept.forBase(h.size);
      return;
    }
    if (this.index !== this.req.item[this.at]) this.base = null;
    this.index = this.req.item[this.at]!;
    const item = this.items[this.index]!;
    const wanted = item.message ?? "blob";
    if (h.type !== wanted) {
      this.mode = "skip";
      this.sink.done(this.index, { bytes: 0, skipped: "unreadable" });
    } else if (!item.message && this.opts.maxFileSize > 0 && h.size > this.opts.maxFileSize) {
      this.mode = "skip";
      this.sink.done(this.index, { bytes: 0, skipped: "too-large" });
    } else if (h.size <= CHUNK_SIZE) {
      this.mode = "whole";
      this.whole = item.message ? scratchOf(h.size).subarray(0, h.size) : this.kept.forItem(h.size);
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

  room(n: number): Buffer | null {
    return this.mode === "whole" || this.mode === "base" ? this.whole.subarray(this.filled, this.filled + n) : null;
  }

  wrote(k: number): void {
    this.filled += k;
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
      // Compared with its item's text, blanked the same way (the item's path: a base is mostly the same file's).
      if (this.base) blankInertSpans(this.items[this.index]!.path, this.base);
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
      const frag = item.message
        ? messageFragment(this.whole, item.oid, item.message)
        : wholeText(this.whole, blobOrigin(item));
      // A text read as is (not binary, not decoded) can be the next version's base, and be probed against its own.
      const asIs = frag !== null && frag.data === this.whole && !item.message;
      const base = item.base ? (this.base ?? this.kept.get(item.base)) : null;
      const probed = asIs && base !== null && this.sink.probe?.(i, base, frag);
      if (frag && !probed) this.sink.fragment(i, frag);
      if (asIs) this.kept.keep(item.oid, this.whole);
      this.sink.done(i, frag ? { bytes: this.size } : { bytes: 0, skipped: "binary" });
    }
    this.base = null;
    this.mode = "skip";
  }
}

function blobOrigin(item: HistoryItem): FragmentOrigin {
  return { path: item.path, source: "history" };
}

/**
 * A commit's or tag's message (after the blank line that ends its headers; a tag's without its
 * signature) as a fragment, whose `commit` is the object's id.
 */
function messageFragment(object: Buffer, oid: string, kind: "commit" | "tag"): Fragment | null {
  let message: Buffer;
  if (kind === "tag") message = tagMessageOf(object);
  else {
    const cut = object.indexOf("\n\n");
    message = cut === -1 ? Buffer.alloc(0) : object.subarray(cut + 2);
  }
  return wholeText(message, { path: "", source: "history", commit: oid });
}

export function historyReader(
  repo: string,
  opts: ReadOptions,
): SourceReader<HistoryItem> & { label(item: HistoryItem): string } {
  let cat: CatFile | null = null;
  const kept = new KeptVersion();
  return {
    async read(items, sink) {
      cat ??= openCatFile(repo, { config: HISTORY_GIT_CONFIG });
      const req = requestOf(items, sink.probe !== undefined, kept.oid);
      await cat.read(req.oids, new ObjectReader(items, req, sink, opts, kept));
    },
    async close() {
      await cat?.close();
      cat = null;
    },
    label: (item) =>
      item.message
        ? `${item.message} ${item.oid.slice(0, 12)} (message)`
        : `${item.path} (blob ${item.oid.slice(0, 12)})`,
  };
}
