/**
 * `scan --staged` and the pre-commit hook: the lines the index adds to HEAD, each finding at its
 * line in the staged version of the file. `source: "staged"`, no commit (there is none yet).
 */

import { compileEngine, onlyUserRules } from "../detection/compile.js";
import type { Finding } from "../findings/finding.js";
import { LeakstopError } from "../lib/errors.js";
import { stopwatch } from "../lib/stopwatch.js";
import type { RuleSet } from "../rules/rule-set.js";
import { CatFileBatch } from "../sources/git/cat-file.js";
import type { CatFile } from "../sources/git/cat-file-blocking.js";
import { CatFileNow } from "../sources/git/cat-file-now.js";
import type { FileChange } from "../sources/git/diff-parse.js";
import { openRepo } from "../sources/git/run-git.js";
import { stagedChanges, stagedChangesNow } from "../sources/git/staged-changes.js";
import { ChangeScanner, type ChangeScanOptions, type ChangeStats } from "./scan-changes.js";

export interface StagedScanOptions extends ChangeScanOptions {
  /** Any folder of the work tree (default "."); paths are reported relative to its top. */
  repo?: string;
  /** The work tree's top, when the caller already checked it (the hook): saves a git call. */
  workTree?: string;
  /** The git side, already started by {@link startStagedRead} (the hook); the scan closes it. */
  reader?: StagedReader;
}

/** `git diff --cached` and `git cat-file --batch`, running. */
export interface StagedReader {
  changes: Promise<FileChange[]>;
  cat: CatFile;
  /** Ends both (when the scan will not happen: not a work tree, a config error). */
  close(): Promise<void>;
}

/** A diff, or the blobs asked at once, up to this size are read while the thread waits for git. */
const READ_NOW_MAX = 32 * 1024 * 1024;

/**
 * Starts the git side of a staged scan in `cwd` (any folder of the work tree): `git diff --cached`
 * and `git cat-file --batch` streamed, started at once so that git works while node loads the
 * rules. With `now` (the hook), git runs to the end while this thread waits instead, the diff
 * here and the blobs when asked: for a commit's few files node's pipes and streams cost more than
 * git's few milliseconds (BENCHMARKS.md, hook helper); a diff or set of blobs over `nowMax` bytes
 * (default 32 MiB) is streamed. `objects`: the repository's object folder, when the caller knows it
 * (the hook at the top of a plain work tree): blobs that are loose objects are read from it, no
 * `git cat-file` started (sources/git/loose-objects.ts).
 */
export function startStagedRead(
  cwd: string,
  opts: { now?: boolean; nowMax?: number; objects?: string } = {},
): StagedReader {
  let changes: Promise<FileChange[]> | null = null;
  let cat: CatFile;
  if (opts.now) {
    const max = opts.nowMax ?? READ_NOW_MAX;
    try {
      const files = stagedChangesNow(cwd, max);
      if (files !== null) changes = Promise.resolve(files);
    } catch (err) {
      changes = Promise.reject(err);
    }
    cat = new CatFileNow(cwd, max, opts.objects);
  } else cat = CatFileBatch.open(cwd);
  changes ??= stagedChanges(cwd);
  changes.catch(() => {}); // awaited by the scan; a failure before that is the caller's to report
  const read = changes;
  return {
    changes: read,
    cat,
    close: async () => {
      await cat.close();
      await read.catch(() => {});
    },
  };
}

export interface StagedScanResult {
  findings: Finding[];
  stats: ChangeStats & { ms: number };
  /** The work tree's top folder: what reported paths are relative to. */
  root: string;
}

/**
 * @throws LeakstopError LS_GIT_NOT_A_REPO outside a work tree (a bare repository has no index
 *   to speak of), LS_GIT_NOT_INSTALLED, LS_GIT_FAILED
 */
export async function scanStaged(ruleSet: RuleSet, opts: StagedScanOptions): Promise<StagedScanResult> {
  const elapsed = stopwatch();
  let reader = opts.reader;
  try {
    const repo = opts.workTree ? { workTree: opts.workTree, gitDir: "" } : await openRepo(opts.repo ?? ".");
    if (!repo.workTree)
      throw new LeakstopError("LS_GIT_NOT_A_REPO", `--staged needs a work tree; ${repo.gitDir} is a bare repository`);
    const root = repo.workTree;
    reader ??= startStagedRead(root);
    const files = await reader.changes;
    if (!files.some((f) => f.added.length > 0 || f.binary))
      return { findings: [], stats: { files: 0, bytes: 0, commits: 0, skipped: [], ms: elapsed() }, root };
    const engine = compileEngine(ruleSet, onlyUserRules);
    const scanner = new ChangeScanner(engine, reader.cat, opts);
    try {
      await scanner.scanFiles(files, { source: "staged" });
    } finally {
      scanner.close();
    }
    const findings = scanner.findings.sort(byPlace);
    return { findings, stats: { ...scanner.stats, ms: elapsed() }, root };
  } finally {
    await reader?.close();
  }
}

export function byPlace(a: Finding, b: Finding): number {
  if (a.path !== b.path) return a.path < b.path ? -1 : 1;
  return a.startLine - b.startLine || a.startColumn - b.startColumn;
}
