/**
 * Lists a repository's history for scanning, in one streamed pass of
 * `git log --raw -c --no-renames -z` (tree diffs only: no patch text is ever produced):
 * - every blob any commit introduced at some path, once (deduplicated by blob id), under the
 *   first path it was seen at, and every commit's message;
 * - a compact index of every change (commit, path, new blob, the blob(s) it replaced) that later
 *   tells which commit introduced a secret found in a blob (see scan/attribute-history.ts).
 * Merges are listed with git's combined diff: a path appears only where the merge's result differs
 * from every parent (a conflict resolution), so what a merge merely carried over is not its own.
 */

import { LeakstopError } from "../../lib/errors.js";
import { fileNameTextOf } from "../../lib/file-name.js";
import type { HistoryItem } from "./blob-reader.js";
import { HISTORY_GIT_CONFIG, spawnGit } from "./run-git.js";

/** What the listing hands out, as indexes into the HistoryIndex (small: a listing may run far ahead of the scan). */
export type Listed = { kind: "blob"; blob: number } | { kind: "message"; commit: number };

export interface HistoryRange {
  /** Revisions to walk; default every ref (`--all`). */
  revs?: string[];
  /** Only commits more recent than this (git's --since: a date, "2 weeks ago"). */
  since?: string;
  /** Commits reachable from these are left out (an incremental scan passes what it scanned last time). */
  exclude?: string[];
  /**
   * Give each blob the version it replaced as its `base`, so that only what it changes is scanned
   * (see scan/delta-probe.ts). Only for walks that reach every parent: a base must be scanned too.
   */
  delta?: boolean;
}

/** A growable column of small integers per blob index (typed: 4 bytes each, not a Map entry's ~40). */
export class IntColumn {
  private data = new Int32Array(1024);

  constructor(private readonly empty: number) {
    this.data.fill(empty);
  }

  get(i: number): number {
    return i < this.data.length ? this.data[i]! : this.empty;
  }

  set(i: number, v: number): void {
    if (i >= this.data.length) {
      const grown = new Int32Array(Math.max(i + 1, this.data.length * 2)).fill(this.empty);
      grown.set(this.data);
      this.data = grown;
    }
    this.data[i] = v;
  }
}

/** A growable list of 32-bit integers (a history's change index has millions: 4 bytes each, not a JS array's 8). */
export class IntList {
  private data = new Int32Array(1024);
  length = 0;

  get(i: number): number {
    return this.data[i]!;
  }

  push(v: number): void {
    if (this.length === this.data.length) {
      const grown = new Int32Array(this.data.length * 2);
      grown.set(this.data);
      this.data = grown;
    }
    this.data[this.length++] = v;
  }
}

/**
 * Blob ids → small integers, looked up straight from git's output bytes: an id already known (most
 * of a listing's ids: every change names the blob it replaced) costs no string and no Map lookup.
 * Open addressing over a hash of the id's first bytes (hex digits: already uniform), each slot
 * holding index + 1; equal hashes are told apart by comparing the stored bytes.
 */
export class OidTable {
  private slots = new Int32Array(1 << 12);
  private hashes = new Int32Array(1024);
  private bytes = Buffer.allocUnsafe(1024 * 40);
  private width = 0;
  count = 0;

  private static hash(data: Buffer, at: number, len: number): number {
    let h = 0x811c9dc5 | 0;
    const end = at + Math.min(len, 12);
    for (let i = at; i < end; i++) h = Math.imul(h ^ data[i]!, 0x01000193);
    return h;
  }

  /** Index of the id data[at, at + len), or -1 when unknown. */
  find(data: Buffer, at: number, len: number): number {
    if (len !== this.width || this.count === 0) return -1;
    const h = OidTable.hash(data, at, len);
    const mask = this.slots.length - 1;
    for (let s = h & mask; ; s = (s + 1) & mask) {
      const v = this.slots[s]!;
      if (v === 0) return -1;
      const i = v - 1;
      if (this.hashes[i] === h && this.bytes.compare(data, at, at + len, i * len, i * len + len) === 0) return i;
    }
  }

  /** The id of index `i`, as text. */
  idAt(i: number): string {
    return this.bytes.toString("latin1", i * this.width, (i + 1) * this.width);
  }

  /** Adds an id not in the table (see find) as index `count`, and returns it. */
  add(data: Buffer, at: number, len: number): number {
    if (this.count === 0) this.width = len;
    else if (len !== this.width) throw new Error("object ids of two lengths in one listing");
    const i = this.count++;
    if (i >= this.hashes.length) {
      const hashes = new Int32Array(this.hashes.length * 2);
      hashes.set(this.hashes);
      this.hashes = hashes;
      const bytes = Buffer.allocUnsafe(this.bytes.length * 2);
      this.bytes.copy(bytes);
      this.bytes = bytes;
    }
    if (this.bytes.length < (i + 1) * len) {
      const bytes = Buffer.allocUnsafe((i + 1) * len * 2);
      this.bytes.copy(bytes);
      this.bytes = bytes;
    }
    data.copy(this.bytes, i * len, at, at + len);
    const h = OidTable.hash(data, at, len);
    this.hashes[i] = h;
    if (this.count * 2 > this.slots.length) this.rehash();
    else this.place(h, i);
    return i;
  }

  private place(h: number, i: number): void {
    const mask = this.slots.length - 1;
    let s = h & mask;
    while (this.slots[s] !== 0) s = (s + 1) & mask;
    this.slots[s] = i + 1;
  }

  private rehash(): void {
    this.slots = new Int32Array(this.slots.length * 2);
    for (let i = 0; i < this.count; i++) this.place(this.hashes[i]!, i);
  }
}

/** Every change of the walked history, column by column (an entry is one path changed by one commit). */
export class HistoryIndex {
  readonly commits: string[] = [];
  readonly paths: string[] = [];
  /**
   * Per entry: commit index, path index, new blob index (-1: deleted), first index into `srcs`.
   * Typed columns: git/git's history has ~10⁶ entries, kept for the whole scan.
   */
  readonly entryCommit = new IntList();
  readonly entryPath = new IntList();
  readonly entryBlob = new IntList();
  readonly entrySrc = new IntList();
  /** Blob indexes an entry replaced (one per parent; -1: the path did not exist there). */
  readonly srcs = new IntList();
  /** Blob ids, held once as bytes (a string per blob would cost ~56 bytes more each). */
  private readonly blobIds = new OidTable();
  private readonly pathIds = new Map<string, number>();

  get entries(): number {
    return this.entryCommit.length;
  }

  /** Distinct blobs listed so far (indexes 0 … blobCount - 1). */
  get blobCount(): number {
    return this.blobIds.count;
  }

  /** Blob `b`'s id. */
  blobId(b: number): string {
    return this.blobIds.idAt(b);
  }

  /** The [from, to) range of `srcs` for entry `e`. */
  srcRange(e: number): [number, number] {
    return [this.entrySrc.get(e), e + 1 < this.entries ? this.entrySrc.get(e + 1) : this.srcs.length];
  }

  /** Blobs already handed out for scanning (a blob first met as the old side of a change is not). */
  private readonly queued = new IntColumn(0);
  /** Blob → the blob it was scanned against (delta scans): a chain that always ends in a whole scan. */
  readonly baseOf = new IntColumn(-1);
  /** Blob → the path index it is (or will be) scanned under. */
  readonly scanPath = new IntColumn(-1);

  /** What a reader needs to scan blob `b`: its id, its path and, for delta scans, its base's id. */
  blobItem(b: number): HistoryItem {
    const item: HistoryItem = { oid: this.blobId(b), path: this.paths[this.scanPath.get(b)]! };
    const base = this.baseOf.get(b);
    if (base !== -1) item.base = this.blobId(base);
    return item;
  }

  /** A commit's message, as a reader's item. */
  messageItem(c: number): HistoryItem {
    return { oid: this.commits[c]!, path: "", message: "commit" };
  }

  isQueued(i: number): boolean {
    return this.queued.get(i) === 1;
  }

  blobIndex(oid: string): number {
    const b = Buffer.from(oid, "latin1");
    return this.blobIndexAt(b, 0, b.length);
  }

  /** The index of the blob whose (hex) id is data[at, at + len). */
  blobIndexAt(data: Buffer, at: number, len: number): number {
    const i = this.blobIds.find(data, at, len);
    return i !== -1 ? i : this.blobIds.add(data, at, len);
  }

  /** True the first time blob `i` is offered for scanning, false after. */
  queue(i: number): boolean {
    if (this.queued.get(i) === 1) return false;
    this.queued.set(i, 1);
    return true;
  }

  pathIndex(path: string): number {
    let i = this.pathIds.get(path);
    if (i === undefined) {
      i = this.paths.push(path) - 1;
      this.pathIds.set(path, i);
    }
    return i;
  }
}

/** Submodule entries point at commits of another repository: nothing to read here. */
const GITLINK = Buffer.from("160000", "latin1");

export function logArgs(range: HistoryRange): string[] {
  const args = ["log", "--format=%x01%H", "--raw", "-c", "--no-abbrev", "--no-renames", "-z", "--no-color"];
  args.push("--no-ext-diff", "--no-textconv", "--full-history");
  if (range.since) args.push(`--since=${range.since}`);
  args.push(...(range.revs && range.revs.length > 0 ? range.revs : ["--all"]));
  if (range.exclude && range.exclude.length > 0) args.push("--not", ...range.exclude);
  args.push("--");
  return args;
}

/** One raw entry's parsed meta: the blob (or -1) each parent had and the merge's result has. */
interface RawEntry {
  parents: number;
  /** Blob index per parent, then the new blob; -1 where there is no blob (none, or a submodule). */
  blobs: Int32Array;
}

/**
 * Streams `git log` and yields what to scan, filling `index` as it goes. Await the generator to
 * its end: git's failure (a bad revision, a broken repository) is thrown there.
 */
export async function* listHistory(repo: string, range: HistoryRange, index: HistoryIndex): AsyncGenerator<Listed> {
  const git = spawnGit(repo, logArgs(range), { config: HISTORY_GIT_CONFIG });
  git.stdin.end();
  let rest: Buffer = Buffer.alloc(0);
  let commit = -1;
  const entry: RawEntry = { parents: 0, blobs: new Int32Array(16) };
  let pendingMeta = false;
  try {
    for await (const chunk of git.stdout as AsyncIterable<Buffer>) {
      const data = rest.length > 0 ? Buffer.concat([rest, chunk]) : chunk;
      let at = 0;
      const items: Listed[] = [];
      for (let nul = data.indexOf(0, at); nul !== -1; nul = data.indexOf(0, at)) {
        let from = at;
        at = nul + 1;
        if (pendingMeta) {
          const path = fileNameTextOf(data, from, nul);
          const blob = addEntry(index, commit, entry, path, range.delta === true);
          pendingMeta = false;
          if (blob !== -1) items.push({ kind: "blob", blob });
          continue;
        }
        if (data[from] === 10) from++;
        if (from === nul) continue;
        if (data[from] === 1) {
          const space = data.indexOf(32, from + 1);
          index.commits.push(data.toString("latin1", from + 1, space === -1 || space > nul ? nul : space));
          commit = index.commits.length - 1;
          items.push({ kind: "message", commit });
        } else if (data[from] === 58 /* ":" */) {
          parseMeta(index, data, from, nul, entry);
          pendingMeta = true;
        }
      }
      rest = Buffer.from(data.subarray(at));
      yield* items;
    }
    await git.done;
  } finally {
    git.kill();
  }
}

/**
 * Parses one raw entry's meta, e.g. ":100644 100644 <old> <new> M" or, for a merge,
 * "::100644 100644 100644 <p1> <p2> <new> MM", straight from git's bytes. Blob ids get their
 * indexes here, the new blob's first and then each parent's (the order the index numbers them in).
 */
function parseMeta(index: HistoryIndex, data: Buffer, from: number, end: number, out: RawEntry): void {
  let parents = 0;
  while (data[from + parents] === 58) parents++;
  if (out.blobs.length < parents + 1) out.blobs = new Int32Array(2 * (parents + 1));
  out.parents = parents;
  // Fields: parents + 1 modes, then parents + 1 ids, then the status letters.
  const fields = 2 * parents + 2;
  const starts: number[] = [];
  let at = from + parents;
  for (let f = 0; f < fields; f++) {
    const space = data.indexOf(32, at);
    if (space === -1 || space > end) throw new LeakstopError("LS_GIT_FAILED", "git log: malformed raw entry");
    starts.push(at, space);
    at = space + 1;
  }
  const blobOf = (k: number): number => {
    const mode = 2 * k;
    const id = 2 * (parents + 1 + k);
    const [ms, me, is, ie] = [starts[mode]!, starts[mode + 1]!, starts[id]!, starts[id + 1]!];
    if (me - ms === GITLINK.length && data.compare(GITLINK, 0, GITLINK.length, ms, me) === 0) return -1;
    let zero = is;
    while (zero < ie && data[zero] === 48 /* "0" */) zero++;
    return zero === ie ? -1 : index.blobIndexAt(data, is, ie - is);
  };
  out.blobs[parents] = blobOf(parents);
  for (let p = 0; p < parents; p++) out.blobs[p] = blobOf(p);
}

/** Records one raw entry at `path`; returns the blob to scan if it is new, else -1. */
function addEntry(index: HistoryIndex, commit: number, entry: RawEntry, path: string, delta: boolean): number {
  const { parents, blobs } = entry;
  const blob = blobs[parents]!;
  let item = -1;
  const pathId = index.pathIndex(path);
  if (blob !== -1 && index.queue(blob)) {
    const reserved = index.scanPath.get(blob);
    const scanPathId = reserved === -1 ? pathId : reserved;
    index.scanPath.set(blob, scanPathId);
    item = blob;
    const base = delta ? baseFor(index, entry, scanPathId) : -1;
    if (base !== -1) {
      index.baseOf.set(blob, base);
      index.scanPath.set(base, scanPathId);
    }
  }
  index.entryCommit.push(commit);
  index.entryPath.push(pathId);
  index.entryBlob.push(blob);
  index.entrySrc.push(index.srcs.length);
  for (let p = 0; p < parents; p++) index.srcs.push(blobs[p]!);
  return item;
}

/**
 * The replaced version a new blob is scanned against: one not handed out yet (so chains of bases
 * only go to blobs listed later, never round in a circle) and to be scanned under the same path
 * (so the same rules apply to both); -1 for none.
 */
function baseFor(index: HistoryIndex, entry: RawEntry, pathId: number): number {
  for (let p = 0; p < entry.parents; p++) {
    const b = entry.blobs[p]!;
    if (b === -1 || index.isQueued(b)) continue;
    const reserved = index.scanPath.get(b);
    if (reserved === -1 || reserved === pathId) return b;
  }
  return -1;
}
