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

import type { HistoryItem } from "./blob-reader.js";
import { spawnGit } from "./run-git.js";

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

/** Every change of the walked history, column by column (an entry is one path changed by one commit). */
export class HistoryIndex {
  readonly commits: string[] = [];
  readonly blobs: string[] = [];
  readonly paths: string[] = [];
  /** Per entry: commit index, path index, new blob index (-1: deleted), first index into `srcs`. */
  readonly entryCommit: number[] = [];
  readonly entryPath: number[] = [];
  readonly entryBlob: number[] = [];
  readonly entrySrc: number[] = [];
  /** Blob indexes an entry replaced (one per parent; -1: the path did not exist there). */
  readonly srcs: number[] = [];
  private readonly blobIds = new Map<string, number>();
  private readonly pathIds = new Map<string, number>();

  get entries(): number {
    return this.entryCommit.length;
  }

  /** The [from, to) range of `srcs` for entry `e`. */
  srcRange(e: number): [number, number] {
    return [this.entrySrc[e]!, e + 1 < this.entries ? this.entrySrc[e + 1]! : this.srcs.length];
  }

  /** Blobs already handed out for scanning (a blob first met as the old side of a change is not). */
  private readonly queued = new IntColumn(0);
  /** Blob → the blob it was scanned against (delta scans): a chain that always ends in a whole scan. */
  readonly baseOf = new IntColumn(-1);
  /** Blob → the path index it is (or will be) scanned under. */
  readonly scanPath = new IntColumn(-1);

  /** What a reader needs to scan blob `b`: its id, its path and, for delta scans, its base's id. */
  blobItem(b: number): HistoryItem {
    const item: HistoryItem = { oid: this.blobs[b]!, path: this.paths[this.scanPath.get(b)]! };
    const base = this.baseOf.get(b);
    if (base !== -1) item.base = this.blobs[base]!;
    return item;
  }

  /** A commit's message, as a reader's item. */
  messageItem(c: number): HistoryItem {
    return { oid: this.commits[c]!, path: "", message: true };
  }

  isQueued(i: number): boolean {
    return this.queued.get(i) === 1;
  }

  blobIndex(oid: string): number {
    let i = this.blobIds.get(oid);
    if (i === undefined) {
      const copy = own(oid);
      i = this.blobs.push(copy) - 1;
      this.blobIds.set(copy, i);
    }
    return i;
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

const NULL_OID = /^0+$/;

/**
 * A copy of a string that holds only its own characters: a piece that split() cut out of a raw
 * line would keep the whole line alive (V8 sliced strings), ~3× the memory over 100k+ blobs.
 */
function own(s: string): string {
  return Buffer.from(s, "latin1").toString("latin1");
}
/** Submodule entries point at commits of another repository: nothing to read here. */
const GITLINK = "160000";

export function logArgs(range: HistoryRange): string[] {
  const args = ["log", "--format=%x01%H %P", "--raw", "-c", "--no-abbrev", "--no-renames", "-z", "--no-color"];
  args.push("--no-ext-diff", "--no-textconv", "--full-history");
  if (range.since) args.push(`--since=${range.since}`);
  args.push(...(range.revs && range.revs.length > 0 ? range.revs : ["--all"]));
  if (range.exclude && range.exclude.length > 0) args.push("--not", ...range.exclude);
  args.push("--");
  return args;
}

/**
 * Streams `git log` and yields what to scan, filling `index` as it goes. Await the generator to
 * its end: git's failure (a bad revision, a broken repository) is thrown there.
 */
export async function* listHistory(repo: string, range: HistoryRange, index: HistoryIndex): AsyncGenerator<Listed> {
  const git = spawnGit(repo, logArgs(range));
  git.stdin.end();
  let rest: Buffer = Buffer.alloc(0);
  let commit = -1;
  let pendingMeta: string | null = null;
  try {
    for await (const chunk of git.stdout as AsyncIterable<Buffer>) {
      const data = rest.length > 0 ? Buffer.concat([rest, chunk]) : chunk;
      let at = 0;
      const items: Listed[] = [];
      for (let nul = data.indexOf(0, at); nul !== -1; nul = data.indexOf(0, at)) {
        let from = at;
        at = nul + 1;
        if (pendingMeta !== null) {
          const path = data.toString("utf8", from, nul);
          const blob = addEntry(index, commit, pendingMeta, path, range.delta === true);
          pendingMeta = null;
          if (blob !== -1) items.push({ kind: "blob", blob });
          continue;
        }
        if (data[from] === 10) from++;
        if (from === nul) continue;
        if (data[from] === 1) {
          const [oid = ""] = data.toString("latin1", from + 1, nul).split(" ");
          index.commits.push(own(oid));
          commit = index.commits.length - 1;
          items.push({ kind: "message", commit });
        } else if (data[from] === 58 /* ":" */) pendingMeta = data.toString("latin1", from, nul);
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
 * Records one raw entry, e.g. ":100644 100644 <old> <new> M" or, for a merge,
 * "::100644 100644 100644 <p1> <p2> <new> MM"; returns the blob to scan if it is new, else -1.
 */
function addEntry(index: HistoryIndex, commit: number, meta: string, path: string, delta: boolean): number {
  let parents = 0;
  while (meta[parents] === ":") parents++;
  const fields = meta.slice(parents).split(" ");
  const modes = fields.slice(0, parents + 1);
  const oids = fields.slice(parents + 1, 2 * parents + 2);
  const dst = oids[parents] ?? "";
  const dstMode = modes[parents];
  let item = -1;
  let blob = -1;
  const pathId = index.pathIndex(path);
  if (!NULL_OID.test(dst) && dstMode !== GITLINK) {
    blob = index.blobIndex(dst);
    if (index.queue(blob)) {
      const reserved = index.scanPath.get(blob);
      const scanPathId = reserved === -1 ? pathId : reserved;
      index.scanPath.set(blob, scanPathId);
      item = blob;
      const base = delta ? baseFor(index, oids, modes, parents, scanPathId) : -1;
      if (base !== -1) {
        index.baseOf.set(blob, base);
        index.scanPath.set(base, scanPathId);
      }
    }
  }
  index.entryCommit.push(commit);
  index.entryPath.push(pathId);
  index.entryBlob.push(blob);
  index.entrySrc.push(index.srcs.length);
  for (let p = 0; p < parents; p++) {
    const src = oids[p] ?? "";
    index.srcs.push(NULL_OID.test(src) || modes[p] === GITLINK ? -1 : index.blobIndex(src));
  }
  return item;
}

/**
 * The replaced version a new blob is scanned against: one not handed out yet (so chains of bases
 * only go to blobs listed later, never round in a circle) and to be scanned under the same path
 * (so the same rules apply to both); -1 for none.
 */
function baseFor(index: HistoryIndex, oids: string[], modes: string[], parents: number, pathId: number): number {
  for (let p = 0; p < parents; p++) {
    const src = oids[p] ?? "";
    if (NULL_OID.test(src) || modes[p] === GITLINK) continue;
    const b = index.blobIndex(src);
    if (index.isQueued(b)) continue;
    const reserved = index.scanPath.get(b);
    if (reserved === -1 || reserved === pathId) return b;
  }
  return -1;
}
