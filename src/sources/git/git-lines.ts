/**
 * Streams a git command's stdout as lines, in bounded memory: a line longer than MAX_LINE (a
 * minified bundle in a patch) is cut, since its first bytes are all a diff reader needs.
 * A git failure ends the stream with run-git's one-line LeakstopError.
 */
import { spawnGit } from "./run-git.js";

/** Longest line kept whole: commit message lines are scanned, so this is generous. */
export const MAX_LINE = 1024 * 1024;

/** Lines of `git args` run in `cwd`; `input` is written to git's stdin (e.g. revisions for --stdin). */
export async function* gitLines(cwd: string, args: string[], input = ""): AsyncGenerator<string> {
  const git = spawnGit(cwd, args);
  git.stdin.end(input);
  let parts: Buffer[] = [];
  let kept = 0;
  let finished = false;
  try {
    for await (const chunk of git.stdout as AsyncIterable<Buffer>) {
      let from = 0;
      for (let nl = chunk.indexOf(10, from); nl !== -1; nl = chunk.indexOf(10, from)) {
        if (kept < MAX_LINE) parts.push(chunk.subarray(from, Math.min(nl, from + MAX_LINE - kept)));
        yield Buffer.concat(parts).toString("utf8");
        parts = [];
        kept = 0;
        from = nl + 1;
      }
      if (from < chunk.length && kept < MAX_LINE) {
        const piece = chunk.subarray(from, Math.min(chunk.length, from + MAX_LINE - kept));
        parts.push(Buffer.from(piece)); // a copy: the stream may reuse its buffer
        kept += piece.length;
      }
    }
    if (parts.length > 0) yield Buffer.concat(parts).toString("utf8");
    finished = true;
  } finally {
    if (!finished) git.kill();
  }
  await git.done;
}

/**
 * Splits git's output, chunk by chunk, into lines handed to `onLine` in one synchronous loop (a
 * line inside one chunk is decoded straight from it, with no copy); a line longer than MAX_LINE is
 * cut. `skipAfter`, asked after each line, says how many of the next lines to skip: they are never
 * decoded nor handed over (a diff's `+` lines the parser counts without reading them).
 */
export class LineSplitter {
  private parts: Buffer[] = [];
  private kept = 0;
  private skip = 0;

  constructor(
    private readonly onLine: (line: string) => void,
    private readonly skipAfter: () => number = () => 0,
  ) {}

  push(chunk: Buffer): void {
    let from = 0;
    for (let nl = chunk.indexOf(10, from); nl !== -1; nl = chunk.indexOf(10, from)) {
      if (this.skip > 0) {
        this.skip--;
        if (this.parts.length > 0) this.parts = [];
        this.kept = 0;
      } else if (this.parts.length === 0) {
        this.onLine(chunk.toString("utf8", from, Math.min(nl, from + MAX_LINE)));
        this.skip = this.skipAfter();
      } else {
        if (this.kept < MAX_LINE) this.parts.push(chunk.subarray(from, Math.min(nl, from + MAX_LINE - this.kept)));
        this.onLine(Buffer.concat(this.parts).toString("utf8"));
        this.skip = this.skipAfter();
        this.parts = [];
        this.kept = 0;
      }
      from = nl + 1;
    }
    if (from < chunk.length && this.kept < MAX_LINE) {
      const piece = chunk.subarray(from, Math.min(chunk.length, from + MAX_LINE - this.kept));
      // A copy (the stream may reuse its buffer); of a line being skipped only that it has begun matters.
      this.parts.push(this.skip === 0 ? Buffer.from(piece) : EMPTY);
      this.kept += piece.length;
    }
  }

  /** The last line, when the output did not end with a newline. */
  end(): void {
    if (this.parts.length > 0 && this.skip === 0) this.onLine(Buffer.concat(this.parts).toString("utf8"));
    this.parts = [];
  }
}

const EMPTY = Buffer.alloc(0);

/**
 * `gitLines` without an async step per line (a {@link LineSplitter} per chunk). For the pre-commit
 * hook, where a staged new file is thousands of diff lines and each `await` of a line cost a
 * microtask and a Buffer.
 */
export function forEachGitLine(
  cwd: string,
  args: string[],
  onLine: (line: string) => void,
  skipAfter?: () => number,
): Promise<void> {
  const git = spawnGit(cwd, args);
  git.stdin.end();
  const lines = new LineSplitter(onLine, skipAfter);
  let failed: unknown = null;
  git.stdout.on("data", (chunk: Buffer) => {
    if (failed) return;
    try {
      lines.push(chunk);
    } catch (err) {
      failed = err;
      git.kill();
    }
  });
  return git.done.then(() => {
    if (failed) throw failed;
    lines.end();
  });
}
