/**
 * The seam between where text comes from and the scanner. A source has two halves:
 * - its listing, in the main thread: the items to scan (a file path, a blob id, …), plain data
 *   that can cross to a worker thread (see `scan/` for the use cases that list them);
 * - a `SourceReader`, one per scanning thread, that turns items into fragments: it reads,
 *   decodes (UTF-16, invalid UTF-8), skips binary and oversized texts, and chunks big ones.
 * The scanner only ever sees fragments (bytes + path + provenance), whatever the source.
 */
import type { Fragment } from "./fragment.js";

export type SkipReason = "binary" | "unreadable" | "too-large";

/** What reading one item gave: the bytes read, or why it was not scanned. */
export interface ReadOutcome {
  bytes: number;
  skipped?: SkipReason;
}

export interface ReadOptions {
  /** Bytes; 0 = no cap. */
  maxFileSize: number;
}

/** What a reader calls back with; `index` is the item's position in the `read` call. */
export interface ReadSink {
  /** One fragment of item `index` (a big text arrives as several overlapping chunks, in order). */
  fragment(index: number, fragment: Fragment): void;
  /** Item `index` is done: every one of its fragments was delivered. */
  done(index: number, outcome: ReadOutcome): void;
  /**
   * Optional: given the whole text of item `index` and the text it replaced (`base`), true when
   * what the text changes holds nothing to report, so that the whole text need not be scanned.
   */
  probe?(index: number, base: Buffer, text: Fragment): boolean;
}

export interface SourceReader<Item> {
  /** Reads `items` in order, calling `sink` for each. Sync readers may return void. */
  read(items: Item[], sink: ReadSink): Promise<void> | void;
  /** Frees what the reader holds (a git process). */
  close(): Promise<void> | void;
}
