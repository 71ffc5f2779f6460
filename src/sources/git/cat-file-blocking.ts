/**
 * `git cat-file --batch` for a thread that has nothing else to do while git works (a history
 * scan's worker): git writes into a FIFO that this thread reads with blocking reads into one
 * reused buffer. Read as a stream, node takes a child's output in a fresh buffer and an event per
 * write git makes (about one per object), which cost a git/git history scan ~2.5 s of CPU in each
 * worker (BENCHMARKS.md, `histspeed`). Where no FIFO can be made (Windows), `openCatFile` falls
 * back to the streaming `CatFileBatch`.
 */
import { spawnSync } from "node:child_process";
import { closeSync, constants, mkdtempSync, openSync, read, readSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { LeakstopError } from "../../lib/errors.js";
import { BatchParser, CatFileBatch, type ObjectVisitor } from "./cat-file.js";
import { type GitProcess, type SpawnOptions, spawnGitTo } from "./run-git.js";

/** What both readers offer: `read` streams objects to a visitor in request order. */
export interface CatFile {
  read(oids: string[], visitor: ObjectVisitor): Promise<void>;
  close(): Promise<void>;
}

/**
 * Requests written at once: git has read every earlier request when their answers are in, so
 * this much always fits in the empty stdin pipe and is written without waiting.
 */
const PART = 512;
/** A pipe holds 64 KiB: a read never returns more. */
const READ_BYTES = 64 * 1024;
/** Rests of objects shorter than this are read with what follows them (one read, not two). */
const DIRECT_MIN = 4096;

export class BlockingCatFile implements CatFile {
  private readonly parser = new BatchParser({ start() {}, data() {}, end() {} });
  private readonly buf = Buffer.allocUnsafe(READ_BYTES);
  private failure: unknown = null;
  private closed = false;

  private constructor(
    private readonly git: Omit<GitProcess, "stdout">,
    private readonly fd: number,
  ) {}

  /** Starts `git cat-file --batch` writing into a new FIFO; null where none can be made. */
  static open(repo: string, opts: SpawnOptions = {}): BlockingCatFile | null {
    if (process.platform === "win32") return null;
    const dir = mkdtempSync(join(tmpdir(), "leakstop-cat-"));
    try {
      const fifo = join(dir, "out");
      if (spawnSync("mkfifo", ["-m", "600", fifo]).status !== 0) return null;
      // Opened read-write first, the FIFO has a writer, so opening its read end does not wait.
      const writeFd = openSync(fifo, constants.O_RDWR);
      let readFd = -1;
      try {
        readFd = openSync(fifo, constants.O_RDONLY);
        const git = spawnGitTo(repo, ["cat-file", "--batch"], writeFd, opts);
        return new BlockingCatFile(git, readFd);
      } catch (err) {
        if (readFd !== -1) closeSync(readFd);
        throw err;
      } finally {
        // Only git writes now: when it exits, a read returns end of file instead of waiting.
        closeSync(writeFd);
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }

  async read(oids: string[], visitor: ObjectVisitor): Promise<void> {
    if (this.failure) throw this.failure;
    this.parser.setVisitor(visitor);
    try {
      for (let i = 0; i < oids.length; i += PART) {
        const part = oids.slice(i, i + PART);
        const until = this.parser.count + part.length;
        this.git.stdin.write(`${part.join("\n")}\n`);
        // A request still queued in node (never seen so far) is sent only while the event loop
        // runs: then read through the thread pool instead of blocking this thread.
        const queued = this.git.stdin.writableLength > 0;
        while (this.parser.count < until) {
          // The rest of an object its visitor keeps whole is read straight into the visitor's buffer (one copy fewer).
          const room = queued ? null : this.parser.room(READ_BYTES);
          if (room !== null && room.length >= DIRECT_MIN) {
            const n = readSync(this.fd, room, 0, room.length, null);
            if (n === 0) throw await this.endedEarly();
            this.parser.took(n);
            continue;
          }
          const n = queued ? await readAsync(this.fd, this.buf) : readSync(this.fd, this.buf, 0, READ_BYTES, null);
          if (n === 0) throw await this.endedEarly();
          this.parser.push(this.buf.subarray(0, n));
        }
      }
    } catch (err) {
      this.failure ??= err;
      throw this.failure;
    }
  }

  /** git's own failure when it has one (its exit code, its message), else "ended early". */
  private async endedEarly(): Promise<unknown> {
    try {
      await this.git.done;
    } catch (err) {
      return err;
    }
    return new LeakstopError("LS_GIT_FAILED", "git cat-file ended early");
  }

  /** Ends the process (closing its stdin lets it exit cleanly). */
  async close(): Promise<void> {
    this.failure ??= new LeakstopError("LS_GIT_FAILED", "git cat-file closed");
    this.git.stdin.end();
    await this.git.done.catch(() => {});
    if (!this.closed) closeSync(this.fd);
    this.closed = true;
  }
}

function readAsync(fd: number, buf: Buffer): Promise<number> {
  return new Promise((resolve, reject) => {
    read(fd, buf, 0, buf.length, null, (err, n) => (err ? reject(err) : resolve(n)));
  });
}

/** A blocking reader where the platform has FIFOs, else the streaming one. */
export function openCatFile(repo: string, opts: SpawnOptions = {}): CatFile {
  return BlockingCatFile.open(repo, opts) ?? CatFileBatch.open(repo, opts);
}
