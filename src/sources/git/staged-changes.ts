/**
 * What is staged for commit: the index against HEAD (against nothing in a repository with no
 * commit yet), read from `git diff --cached`. Blob ids are the index's, so a partially staged
 * file (`git add -p`) is read as it will be committed, not as it sits in the working tree.
 * While a merge is being concluded (MERGE_HEAD), only the lines the index adds relative to HEAD
 * and to every merged commit count, as `--range` reads a merge commit: the conflict resolution,
 * not what the merged branch brought (that was added, and checked, by that branch's commits).
 */
import { existsSync, readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { DIFF_ARGS, DIFF_CONFIG } from "./diff-args.js";
import { DiffParser, type FileChange } from "./diff-parse.js";
import { forEachGitLine, LineSplitter } from "./git-lines.js";
import { intersectRanges } from "./line-ranges.js";
import { runGitBuffer } from "./run-git.js";

/** @param cwd a folder of the work tree (its top, where git starts hooks, or a subfolder) */
export async function stagedChanges(cwd: string): Promise<FileChange[]> {
  const heads = mergeHeads(cwd);
  const [files, ...others] = await Promise.all([diffCached(cwd), ...heads.map((h) => diffCached(cwd, h))]);
  return onlyResolution(files!, others);
}

/**
 * {@link stagedChanges} read while this thread waits for git (runGitBuffer: no pipes or streams);
 * null when a diff is longer than `maxBytes` (then stream it).
 */
export function stagedChangesNow(cwd: string, maxBytes: number): FileChange[] | null {
  const diffs: FileChange[][] = [];
  for (const against of [undefined, ...mergeHeads(cwd)]) {
    const out = runGitBuffer(cwd, diffArgs(against), maxBytes);
    if (out === null) return null;
    const files: FileChange[] = [];
    const { parser, skipAfter } = diffReader(files);
    const lines = new LineSplitter((line) => parser.line(line), skipAfter);
    lines.push(out);
    lines.end();
    parser.end();
    diffs.push(files);
  }
  const [files, ...others] = diffs;
  return onlyResolution(files!, others);
}

/** Lines of `files` that every other diff (against a merged commit) adds too. */
function onlyResolution(files: FileChange[], others: FileChange[][]): FileChange[] {
  for (const other of others) {
    const byPath = new Map(other.map((f) => [f.path, f.added]));
    for (const f of files) f.added = intersectRanges(f.added, byPath.get(f.path) ?? []);
  }
  return files;
}

function diffArgs(against?: string): string[] {
  return [...DIFF_CONFIG, "diff", "--cached", ...DIFF_ARGS, ...(against ? [against] : [])];
}

async function diffCached(cwd: string, against?: string): Promise<FileChange[]> {
  const files: FileChange[] = [];
  const { parser, skipAfter } = diffReader(files);
  await forEachGitLine(cwd, diffArgs(against), (line) => parser.line(line), skipAfter);
  parser.end();
  return files;
}

/** The `+` lines of a hunk that removes nothing are skipped unread (a new file's are all of them). */
function diffReader(files: FileChange[]): { parser: DiffParser; skipAfter: () => number } {
  const parser = new DiffParser((f) => files.push(f));
  const skipAfter = () => {
    const run = parser.addedRun();
    parser.skipAdded(run);
    return run;
  };
  return { parser, skipAfter };
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
  // Run from a subfolder (`scan --staged` or `hook run` by hand): the work tree's top holds `.git`.
  top = workTreeTop(resolve(top)) ?? top;
  const direct = read(join(top, ".git", name));
  if (direct !== null) return direct;
  // A linked worktree (or a submodule): `.git` is a file naming the real git folder.
  const link = read(join(top, ".git"))?.match(/^gitdir: (.+)$/m)?.[1];
  return link ? read(join(resolve(top, link.trim()), name)) : null;
}

/** The nearest folder from `dir` upwards that holds a `.git` (folder or file), or null. */
function workTreeTop(dir: string): string | null {
  for (let d = dir; ; d = dirname(d)) {
    if (existsSync(join(d, ".git"))) return d;
    if (dirname(d) === d) return null;
  }
}
