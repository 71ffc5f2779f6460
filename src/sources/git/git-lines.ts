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
