/**
 * What is staged for commit: the index against HEAD (against nothing in a repository with no
 * commit yet), read from `git diff --cached`. Blob ids are the index's, so a partially staged
 * file (`git add -p`) is read as it will be committed, not as it sits in the working tree.
 * While a merge is being concluded (MERGE_HEAD), only the lines the index adds relative to HEAD
 * and to every merged commit count, as `--range` reads a merge commit: the conflict resolution,
 * not what the merged branch brought (that was added, and checked, by that branch's commits).
 */
import { readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { DIFF_ARGS, DIFF_CONFIG } from "./diff-args.js";
import { DiffParser, type FileChange } from "./diff-parse.js";
import { forEachGitLine } from "./git-lines.js";
import { intersectRanges } from "./line-ranges.js";

/** @param cwd the work tree's top (where `.git` is) */
export async function stagedChanges(cwd: string): Promise<FileChange[]> {
  const heads = mergeHeads(cwd);
  const [files, ...others] = await Promise.all([diffCached(cwd), ...heads.map((h) => diffCached(cwd, h))]);
  for (const other of others) {
    const byPath = new Map(other.map((f) => [f.path, f.added]));
    for (const f of files!) f.added = intersectRanges(f.added, byPath.get(f.path) ?? []);
  }
  return files!;
}

async function diffCached(cwd: string, against?: string): Promise<FileChange[]> {
  const files: FileChange[] = [];
  const parser = new DiffParser((f) => files.push(f));
  const args = [...DIFF_CONFIG, "diff", "--cached", ...DIFF_ARGS, ...(against ? [against] : [])];
  // The `+` lines of a hunk that removes nothing are skipped unread (a new file's are all of them).
  await forEachGitLine(
    cwd,
    args,
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

/**
 * The commits a merge in progress merges (MERGE_HEAD, one id a line), read from the git folder
 * rather than asked of git: this runs in every pre-commit hook. None when no merge is in progress.
 */
export function mergeHeads(top: string): string[] {
  const text = readGitFile(top, "MERGE_HEAD");
  return text === null ? [] : text.split("\n").filter((l) => /^[0-9a-f]{40}(?:[0-9a-f]{24})?$/.test(l));
}

function readGitFile(top: string, name: string): string | null {
  const read = (p: string) => {
    try {
      return readFileSync(p, "utf8");
    } catch {
      return null;
    }
  };
  if (process.env.GIT_DIR) return read(join(resolve(top, process.env.GIT_DIR), name));
  const direct = read(join(top, ".git", name));
  if (direct !== null) return direct;
  // A linked worktree (or a submodule): `.git` is a file naming the real git folder.
  const link = read(join(top, ".git"))?.match(/^gitdir: (.+)$/m)?.[1];
  return link ? read(join(resolve(top, link.trim()), name)) : null;
}
