/**
 * `scan --range A..B` (what a push adds; the GitHub Action calls this directly): the lines each
 * commit of the range adds, each finding at its line in that commit's version of the file and
 * with that commit's id, author, e-mail and date; commit messages are scanned too, and when B is an
 * annotated tag (a tag's push), its message and those of the tags it nests.
 * How A..B is read for new branches, force pushes and unknown commits: sources/git/resolve-range.ts.
 */

import { compileEngine, onlyUserRules } from "../detection/compile.js";
import type { Finding } from "../findings/finding.js";
import { stopwatch } from "../lib/stopwatch.js";
import type { RuleSet } from "../rules/rule-set.js";
import { CatFileBatch } from "../sources/git/cat-file.js";
import { rangeChanges } from "../sources/git/range-changes.js";
import { parseRangeSpec, type RangeSpec, type ResolvedRange, resolveRange } from "../sources/git/resolve-range.js";
import { openRepo } from "../sources/git/run-git.js";
import { readTagChains, tagProvenance } from "../sources/git/tag-objects.js";
import { ChangeScanner, type ChangeScanOptions, type ChangeStats } from "./scan-changes.js";

export interface RangeScanOptions extends ChangeScanOptions {
  /** A work tree (any folder of it) or a git dir, bare or not. Default ".". */
  repo?: string;
  /**
   * "A..B" or { from, to }. A may be the zero id (a branch's first push) or a commit this
   * repository lacks (a force push seen from a fresh clone): then the commits of B that no other
   * ref has are scanned (see `baseRefs`), all of B's history when there is no other ref.
   * A that is not an ancestor of B (a force push) gives the commits of B that A lacks.
   */
  range: string | RangeSpec;
  /**
   * For a new branch (or unknown A): for-each-ref patterns of the refs whose commits count as
   * already pushed (e.g. ["refs/remotes/origin/"] in a pre-push hook). Default: every ref that
   * does not contain B.
   */
  baseRefs?: string[];
  /** Commit messages (and the messages of a pushed annotated tag) are scanned too (default true). */
  messages?: boolean;
  /** Called after each commit with the number of commits done. */
  onProgress?: (commitsDone: number) => void;
}

export interface RangeScanResult {
  findings: Finding[];
  stats: ChangeStats & { ms: number };
  /** How the range was read (notes on new branches, force pushes, unknown commits). */
  range: ResolvedRange;
  /** The work tree's top folder, or the git dir of a bare repository: what paths are relative to. */
  root: string;
}

/**
 * @throws LeakstopError LS_USAGE (not A..B), LS_GIT_BAD_REVISION (B unknown), LS_GIT_NOT_A_REPO,
 *   LS_PATH_NOT_FOUND, LS_GIT_NOT_INSTALLED, LS_GIT_FAILED
 */
export async function scanRange(ruleSet: RuleSet, opts: RangeScanOptions): Promise<RangeScanResult> {
  const elapsed = stopwatch();
  const repo = await openRepo(opts.repo ?? ".");
  const root = repo.workTree ?? repo.gitDir;
  const spec = typeof opts.range === "string" ? parseRangeSpec(opts.range) : opts.range;
  const range = resolveRange(root, spec, opts.baseRefs);
  const engine = compileEngine(ruleSet, onlyUserRules);
  const cat = CatFileBatch.open(root);
  const scanner = new ChangeScanner(engine, cat, opts);
  try {
    // No revisions (a tag of a tree or a blob): no commit; git log would read HEAD's history instead.
    const commits = range.revs.length > 0 ? rangeChanges(root, range.revs) : [];
    for await (const { commit, files } of commits) {
      const origin = {
        source: "range" as const,
        commit: commit.sha,
        author: commit.author,
        email: commit.email,
        date: commit.date,
      };
      await scanner.scanFiles(files, origin);
      if (opts.messages !== false) scanner.scanMessage(commit.message, origin);
      scanner.stats.commits++;
      opts.onProgress?.(scanner.stats.commits);
    }
    if (range.tag !== null && opts.messages !== false) await scanTagMessages(scanner, cat, range);
  } finally {
    scanner.close();
    await cat.close();
  }
  return { findings: scanner.findings, stats: { ...scanner.stats, ms: elapsed() }, range, root };
}

/**
 * The messages of B's tag and of the tags it nests, but those A's tag holds too (a moved tag that
 * kept its inner tags); each finding names the tag, with its object id and its tagger.
 */
async function scanTagMessages(scanner: ChangeScanner, cat: CatFileBatch, range: ResolvedRange): Promise<void> {
  const known = range.fromTag === null ? [] : await readTagChains(cat, [range.fromTag]);
  const skip = new Set(known.map((t) => t.oid));
  for (const t of await readTagChains(cat, [range.tag!], skip, { messages: true })) {
    const before = scanner.findings.length;
    scanner.scanMessage(t.message?.toString("utf8") ?? "", { source: "range", commit: t.oid });
    for (let i = before; i < scanner.findings.length; i++)
      scanner.findings[i] = { ...scanner.findings[i]!, ...tagProvenance(t) };
  }
}
