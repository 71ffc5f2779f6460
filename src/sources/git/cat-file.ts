/**
 * Streams objects out of a repository with `git cat-file`, in bounded memory: contents are handed
 * to a visitor slice by slice as git writes them (never a whole multi-GB blob at once), and git
 * blocks on a full pipe while the visitor works, so nothing piles up in between.
 *
 * - `CatFileBatch.open(repo)` keeps one `git cat-file --batch` process; `read(oids, visitor)`
 *   streams those objects back in request order. One process per thread, reused for every batch.
 * - `listObjects(repo, onObject)` lists every object in the object store (packs, loose objects,
 *   alternates) with its type and size, without contents and without walking history.
 */
import { LeakstopError } from "../../lib/errors.js";
import { type GitProcess, type SpawnOptions, spawnGit } from "./run-git.js";

export interface ObjectHeader {
  oid: string;
  /** "blob", "tree", "commit", "tag", or "missing" (no such object: size 0, no data). */
  type: string;
  size: number;
}

/** Receives objects in order: start, then data slices adding up to `size` bytes, then end. */
export interface ObjectVisitor {
  start(header: ObjectHeader): void;
  /** A slice of git's output buffer, only valid during the call: copy what you keep. */
  data(bytes: Buffer): void;
  end(): void;
  /**
   * Optional: where the object's next `n` bytes go when the visitor keeps them whole (the
   * rest of its buffer), so that a reader can read them from git straight into it instead of
   * through `data`; null to take them through `data`. `wrote(k)` then says k bytes were written there.
   */
  room?(n: number): Buffer | null;
  wrote?(k: number): void;
}

/**
 * Parses `git cat-file --batch` output ("<oid> <type> <size>\n<contents>\n" per object, or
 * "<oid> missing\n") incrementally, from chunks of any size.
 */
export class BatchParser {
  private header: Buffer | null = null;
  private remaining = 0;
  /** Bytes of the trailing "\n" after the contents still to skip. */
  private newline = 0;
  private inObject = false;
  /** Objects fully parsed so far. */
  count = 0;

  constructor(private visitor: ObjectVisitor) {}

  setVisitor(visitor: ObjectVisitor): void {
    this.visitor = visitor;
  }

  /**
   * Inside an object whose visitor keeps its bytes whole: the room for the rest of them (see
   * ObjectVisitor.room), for at most `max` bytes; then `took(k)` once k of them were written there.
   */
  room(max: number): Buffer | null {
    if (!this.inObject || this.remaining === 0 || !this.visitor.room) return null;
    return this.visitor.room(Math.min(this.remaining, max));
  }

  took(k: number): void {
    this.visitor.wrote?.(k);
    this.remaining -= k;
    if (this.remaining === 0) this.endObject();
  }

  /** The object's last byte is in: its visitor ends, and the newline git writes after it is skipped. */
  private endObject(): void {
    this.inObject = false;
    this.newline = 1;
    this.visitor.end();
    this.count++;
  }

  /** Feeds the next chunk of git's stdout. */
  push(chunk: Buffer): void {
    let at = 0;
    while (at < chunk.length) {
      if (this.inObject) {
        const n = Math.min(this.remaining, chunk.length - at);
        if (n > 0) this.visitor.data(chunk.subarray(at, at + n));
        at += n;
        this.remaining -= n;
        if (this.remaining === 0) this.endObject();
        continue;
      }
      if (this.newline > 0) {
        at++;
        this.newline--;
        continue;
      }
      const eol = chunk.indexOf(10, at);
      if (eol === -1) {
        const rest = chunk.subarray(at);
        this.header = this.header ? Buffer.concat([this.header, rest]) : Buffer.from(rest);
        if (this.header.length > 4096) throw new LeakstopError("LS_GIT_FAILED", "git cat-file: malformed output");
        return;
      }
      const line = this.header
        ? Buffer.concat([this.header, chunk.subarray(at, eol)]).toString("latin1")
        : chunk.toString("latin1", at, eol);
      this.header = null;
      at = eol + 1;
      this.startObject(line);
    }
  }

  private startObject(line: string): void {
    const parts = line.split(" ");
    if (parts[1] === "missing" || parts.length < 3) {
      this.visitor.start({ oid: parts[0] ?? "", type: "missing", size: 0 });
      this.visitor.end();
      this.count++;
      return;
    }
    const size = Number(parts[2]);
    if (!Number.isSafeInteger(size) || size < 0)
      throw new LeakstopError("LS_GIT_FAILED", `git cat-file: malformed header "${line.slice(0, 80)}"`);
    this.visitor.start({ oid: parts[0]!, type: parts[1]!, size });
    if (size === 0) {
      this.visitor.end();
      this.count++;
      this.newline = 1;
      return;
    }
    this.inObject = true;
    this.remaining = size;
  }
}

/** One long-lived `git cat-file --batch` process. Not re-entrant: await each `read` before the next. */
export class CatFileBatch {
  private readonly parser: BatchParser;
  private waiting: { until: number; resolve: () => void; reject: (e: unknown) => void } | null = null;
  private failure: unknown = null;

  private constructor(private readonly git: GitProcess) {
    this.parser = new BatchParser({ start() {}, data() {}, end() {} });
    git.stdout.on("data", (chunk: Buffer) => {
      try {
        this.parser.push(chunk);
      } catch (err) {
        this.fail(err);
        return;
      }
      if (this.waiting && this.parser.count >= this.waiting.until) {
        const w = this.waiting;
        this.waiting = null;
        w.resolve();
      }
    });
    git.done.then(
      () => this.fail(new LeakstopError("LS_GIT_FAILED", "git cat-file ended early")),
      (err) => this.fail(err),
    );
  }

  /** Starts `git cat-file --batch` in `repo` (a work tree or a git dir). */
  static open(repo: string, opts: SpawnOptions = {}): CatFileBatch {
    return new CatFileBatch(spawnGit(repo, ["cat-file", "--batch"], opts));
  }

  private fail(err: unknown): void {
    this.failure ??= err;
    const w = this.waiting;
    this.waiting = null;
    w?.reject(this.failure);
  }

  /** Streams `oids` (hex ids, or any revision git understands) to `visitor`, in order. */
  read(oids: string[], visitor: ObjectVisitor): Promise<void> {
    if (this.failure) return Promise.reject(this.failure);
    if (oids.length === 0) return Promise.resolve();
    this.parser.setVisitor(visitor);
    const until = this.parser.count + oids.length;
    const p = new Promise<void>((resolve, reject) => {
      this.waiting = { until, resolve, reject };
    });
    this.git.stdin.write(`${oids.join("\n")}\n`);
    return p;
  }

  /** Ends the process (closing its stdin lets it exit cleanly). */
  async close(): Promise<void> {
    this.failure ??= new LeakstopError("LS_GIT_FAILED", "git cat-file closed");
    this.git.stdin.end();
    await this.git.done.catch(() => {});
  }
}

/**
 * Calls `onObject` for every object in the repository's object store (loose, packed, alternates),
 * in pack order: `git cat-file --batch-all-objects --batch-check --unordered`.
 */
export async function listObjects(repo: string, onObject: (h: ObjectHeader) => void): Promise<void> {
  const git = spawnGit(repo, [
    "cat-file",
    "--batch-all-objects",
    "--batch-check=%(objectname) %(objecttype) %(objectsize)",
    "--unordered",
  ]);
  git.stdin.end();
  let rest = "";
  git.stdout.setEncoding("latin1");
  for await (const chunk of git.stdout as AsyncIterable<string>) {
    const lines = (rest + chunk).split("\n");
    rest = lines.pop() ?? "";
    for (const line of lines) {
      const [oid = "", type = "", size = "0"] = line.split(" ");
      onObject({ oid, type, size: Number(size) });
    }
  }
  await git.done;
}
