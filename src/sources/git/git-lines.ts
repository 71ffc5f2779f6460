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
 * `gitLines` without an async step per line: each chunk git writes is split and handed over in
 * one synchronous loop (a line inside one chunk is decoded straight from it, with no copy). For
 * the pre-commit hook, where a staged new file is thousands of diff lines and each `await` of a
 * line cost a microtask and a Buffer. `skipAfter`, asked after each line, says how many of the
 * next lines to skip: they are never decoded nor handed over (a diff's `+` lines the parser counts
 * without reading them).
 */
export function forEachGitLine(
  cwd: string,
  args: string[],
  onLine: (line: string) => void,
  skipAfter: () => number = () => 0,
): Promise<void> {
  const git = spawnGit(cwd, args);
  git.stdin.end();
  let parts: Buffer[] = [];
  let kept = 0;
  let skip = 0;
  let failed: unknown = null;
  git.stdout.on("data", (chunk: Buffer) => {
    if (failed) return;
    try {
      let from = 0;
      for (let nl = chunk.indexOf(10, from); nl !== -1; nl = chunk.indexOf(10, from)) {
        if (skip > 0) {
          skip--;
          if (parts.length > 0) parts = [];
          kept = 0;
        } else if (parts.length === 0) {
          onLine(chunk.toString("utf8", from, Math.min(nl, from + MAX_LINE)));
          skip = skipAfter();
        } else {
          if (kept < MAX_LINE) parts.push(chunk.subarray(from, Math.min(nl, from + MAX_LINE - kept)));
          onLine(Buffer.concat(parts).toString("utf8"));
          skip = skipAfter();
          parts = [];
          kept = 0;
        }
        from = nl + 1;
      }
      if (from < chunk.length && kept < MAX_LINE) {
        const piece = chunk.subarray(from, Math.min(chunk.length, from + MAX_LINE - kept));
        // A copy (the stream may reuse its buffer); of a line being skipped only that it has begun matters.
        parts.push(skip === 0 ? Buffer.from(piece) : EMPTY);
        kept += piece.length;
      }
    } catch (err) {
      failed = err;
      git.kill();
    }
  });
  return git.done.then(() => {
    if (failed) throw failed;
    if (parts.length > 0 && skip === 0) onLine(Buffer.concat(parts).toString("utf8"));
  });
}

const EMPTY = Buffer.alloc(0);
