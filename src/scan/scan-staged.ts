/**
 * `scan --staged` and the pre-commit hook: the lines the index adds to HEAD, each finding at its
 * line in the staged version of the file. `source: "staged"`, no commit (there is none yet).
 */
import type { RuleSet } from "../config/ruleset.js";
import type { Finding } from "../findings/finding.js";
import { LeakstopError } from "../lib/errors.js";
import { compileEngine, onlyUserRules } from "../rules/compile.js";
import { CatFileBatch } from "../sources/git/cat-file.js";
import { openRepo } from "../sources/git/run-git.js";
import { stagedChanges } from "../sources/git/staged-changes.js";
import { ChangeScanner, type ChangeScanOptions, type ChangeStats } from "./scan-changes.js";

export interface StagedScanOptions extends ChangeScanOptions {
  /** Any folder of the work tree (default "."); paths are reported relative to its top. */
  repo?: string;
  /** The work tree's top, when the caller already checked it (the hook): saves a git call. */
  workTree?: string;
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
  const t0 = performance.now();
  const repo = opts.workTree ? { workTree: opts.workTree, gitDir: "" } : await openRepo(opts.repo ?? ".");
  if (!repo.workTree)
    throw new LeakstopError("LS_GIT_NOT_A_REPO", `--staged needs a work tree; ${repo.gitDir} is a bare repository`);
  const files = await stagedChanges(repo.workTree);
  const root = repo.workTree;
  if (!files.some((f) => f.added.length > 0 || f.binary))
    return { findings: [], stats: { files: 0, bytes: 0, commits: 0, skipped: [], ms: performance.now() - t0 }, root };
  const engine = compileEngine(ruleSet.rules, ruleSet.allowlists, ruleSet.settings, onlyUserRules);
  const cat = CatFileBatch.open(repo.workTree);
  const scanner = new ChangeScanner(engine, cat, opts);
  try {
    await scanner.scanFiles(files, { source: "staged" });
  } finally {
    scanner.close();
    await cat.close();
  }
  const findings = scanner.findings.sort(byPlace);
  return { findings, stats: { ...scanner.stats, ms: performance.now() - t0 }, root };
}

export function byPlace(a: Finding, b: Finding): number {
  if (a.path !== b.path) return a.path < b.path ? -1 : 1;
  return a.startLine - b.startLine || a.startColumn - b.startColumn;
}
