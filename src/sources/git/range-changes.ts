/**
 * The commits of a range with what each one adds: one streaming `git log -p` for every commit
 * (a merge prints no patch there), then, for each merge, one diff per parent; the lines a merge
 * adds are those it adds relative to every parent (its conflict resolutions and evil-merge edits).
 */
import { DIFF_ARGS, DIFF_CONFIG } from "./diff-args.js";
import { DiffParser, type FileChange } from "./diff-parse.js";
import { gitLines } from "./git-lines.js";
import { intersectRanges } from "./line-ranges.js";

export interface CommitInfo {
  sha: string;
  parents: string[];
  author: string;
  email: string;
  /** Author date, ISO-8601 (strict). */
  date: string;
  /** The full message (subject and body). */
  message: string;
}

export interface CommitChanges {
  commit: CommitInfo;
  files: FileChange[];
}

const START = "\u0001";
const END_OF_MESSAGE = "\u0002";
const FORMAT = `--format=${START}%H%x00%P%x00%an%x00%ae%x00%aI%n%B${END_OF_MESSAGE}`;

function parseHeader(line: string): CommitInfo {
  const [sha = "", parents = "", author = "", email = "", date = ""] = line.slice(1).split("\0");
  return { sha, parents: parents.split(" ").filter(Boolean), author, email, date, message: "" };
}

/**
 * What a merge adds relative to all its parents: a path counts only if every parent's diff adds
 * lines to it, and only the lines all of those diffs add.
 */
export async function mergeChanges(cwd: string, merge: CommitInfo): Promise<FileChange[]> {
  let common: Map<string, FileChange> | null = null;
  for (const parent of merge.parents) {
    const files = new Map<string, FileChange>();
    const parser = new DiffParser((f) => {
      if (!f.deleted && f.added.length > 0) files.set(f.path, f);
    });
    const args = [...DIFF_CONFIG, "diff", ...DIFF_ARGS, parent, merge.sha];
    for await (const line of gitLines(cwd, args)) parser.line(line);
    parser.end();
    common = common === null ? files : intersectFiles(common, files);
    if (common.size === 0) break;
  }
  return [...(common ?? new Map<string, FileChange>()).values()];
}

function intersectFiles(a: Map<string, FileChange>, b: Map<string, FileChange>): Map<string, FileChange> {
  const out = new Map<string, FileChange>();
  for (const [path, f] of a) {
    const other = b.get(path);
    if (!other) continue;
    const added = intersectRanges(f.added, other.added);
    if (added.length > 0) out.set(path, { ...f, added, oldBlobs: [...f.oldBlobs, ...other.oldBlobs] });
  }
  return out;
}

/**
 * Streams the commits that `revs` select (lines for `git log --stdin`: "B", "^A", "--not", …),
 * each with the files it adds lines to. Memory: one commit's file list at a time.
 */
export async function* rangeChanges(cwd: string, revs: string[]): AsyncGenerator<CommitChanges> {
  let current: CommitChanges | null = null;
  let inMessage = false;
  let message: string[] = [];
  const files: FileChange[] = [];
  const parser = new DiffParser((f) => files.push(f));
  const args = [...DIFF_CONFIG, "log", "--stdin", "-p", "--root", "--no-show-signature", ...DIFF_ARGS, FORMAT];
  const flush = async (): Promise<CommitChanges | null> => {
    parser.end();
    if (!current) return null;
    const done: CommitChanges = current;
    done.files = done.commit.parents.length > 1 ? await mergeChanges(cwd, done.commit) : files.splice(0);
    files.length = 0;
    return done;
  };
  for await (const line of gitLines(cwd, args, `${revs.join("\n")}\n`)) {
    if (inMessage) {
      if (line.endsWith(END_OF_MESSAGE)) {
        message.push(line.slice(0, -1));
        current!.commit.message = message.join("\n").replace(/\n+$/, "\n");
        message = [];
        inMessage = false;
      } else message.push(line);
      continue;
    }
    if (line.startsWith(START) && !parser.inHunk) {
      const done = await flush();
      if (done) yield done;
      current = { commit: parseHeader(line), files: [] };
      inMessage = true;
      continue;
    }
    parser.line(line);
  }
  const last = await flush();
  if (last) yield last;
}
