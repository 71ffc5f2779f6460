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
  await forEachGitLine(cwd, [...DIFF_CONFIG, "diff", "--cached", ...DIFF_ARGS], (line) => parser.line(line));
  parser.end();
  return files;
}
