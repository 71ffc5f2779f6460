/**
 * What is staged for commit: the index against HEAD (against nothing in a repository with no
 * commit yet), read from `git diff --cached`. Blob ids are the index's, so a partially staged
 * file (`git add -p`) is read as it will be committed, not as it sits in the working tree.
 */
import { DIFF_ARGS, DIFF_CONFIG } from "./diff-args.js";
import { DiffParser, type FileChange } from "./diff-parse.js";
import { forEachGitLine } from "./git-lines.js";

export async function stagedChanges(cwd: string): Promise<FileChange[]> {
  const files: FileChange[] = [];
  const parser = new DiffParser((f) => files.push(f));
  // The `+` lines of a hunk that removes nothing are skipped unread (a new file's are all of them).
  await forEachGitLine(
    cwd,
    [...DIFF_CONFIG, "diff", "--cached", ...DIFF_ARGS],
    (line) => parser.line(line),
    () => {
      const run = parser.addedRun();
      parser.skipAdded(run);
      return run;
    },
  );
  parser.end();
  return files;
}
