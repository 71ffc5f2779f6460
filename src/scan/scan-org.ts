/**
 * The org-scan use case: for each repository, bring its bare mirror up to date, scan the history
 * not scanned before (or all of it), tag the findings with the repository, and record the tips
 * scanned. A repository that fails is reported and the run goes on. Mirrors are fetched
 * `concurrency` at a time while one history scan at a time uses every thread.
 * The repository list comes from the caller (the CLI asks GitHub), so this module never loads Octokit.
 */
import type { Finding } from "../findings/finding.js";
import { repoPaths } from "../sources/org/cache-layout.js";
import { existingObjects, refTips } from "../sources/org/git-refs.js";
import { type MirrorAuth, syncMirror } from "../sources/org/mirror.js";
import { fileScanStateStore, type ScanStateStore } from "../sources/org/scan-state.js";

export interface OrgRepoTarget {
  /** "owner/name". */
  fullName: string;
  cloneUrl: string;
}

/** What one history scan returns, whatever engine ran it. */
export interface HistoryScanResult {
  findings: Finding[];
  /** Commits walked (only the new ones in an incremental scan). */
  commits?: number;
  /** Blobs (or files) read, and their bytes. */
  files: number;
  bytes: number;
}

/** Scans the history of the bare repository at `gitDir`, skipping `exclude` and their ancestors. */
export type HistoryScanner = (gitDir: string, exclude: string[]) => Promise<HistoryScanResult>;

export type RepoStatus = "scanned" | "up-to-date" | "empty" | "failed";

export interface RepoOutcome {
  repository: string;
  status: RepoStatus;
  /** "incremental" when earlier tips were excluded, "full" otherwise. */
  mode?: "full" | "incremental";
  /** Why a --since-last run still scanned everything ("no earlier scan", "rules changed"). */
  fullBecause?: string;
  mirror?: "cloned" | "fetched";
  findings: number;
  commits: number;
  files: number;
  bytes: number;
  ms: number;
  /** One line, credentials removed, for a failed repository. */
  error?: string;
}

export interface OrgScanOptions {
  cacheDir: string;
  sinceLast: boolean;
  /** Mirrors cloned or fetched at the same time. */
  concurrency: number;
  auth: MirrorAuth;
  /** Digest of the rules (and engine) in use; recorded with the tips. */
  rulesDigest: string;
  scanHistory: HistoryScanner;
  /** Where the --since-last state lives (default: JSON files in the cache folder). */
  stateStore?: ScanStateStore;
  /** Called as each repository finishes, in completion order. */
  onRepoDone?: (outcome: RepoOutcome) => void;
  /**
   * Stops the git commands in flight (their helpers too; a temporary clone is removed) and starts
   * no history scan after it: the repositories left fail with the abort's message.
   */
  signal?: AbortSignal;
}

export interface OrgScanResult {
  findings: Finding[];
  /** In the order of `repos`. */
  outcomes: RepoOutcome[];
}

export async function scanOrgRepos(repos: OrgRepoTarget[], opts: OrgScanOptions): Promise<OrgScanResult> {
  const outcomes: RepoOutcome[] = new Array(repos.length);
  const findings: Finding[][] = repos.map(() => []);
  const scanSlot = makeMutex();
  let next = 0;
  const lane = async () => {
    while (next < repos.length) {
      const i = next++;
      const repo = repos[i]!;
      const t0 = performance.now();
      let outcome: RepoOutcome;
      try {
        outcome = await scanOneRepo(repo, opts, scanSlot, findings[i]!);
      } catch (err) {
        findings[i] = [];
        outcome = { ...emptyOutcome(repo.fullName, "failed"), error: errorLine(err) };
      }
      outcome.ms = performance.now() - t0;
      outcomes[i] = outcome;
      opts.onRepoDone?.(outcome);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(opts.concurrency, repos.length)) }, lane));
  return { findings: findings.flat(), outcomes };
}

async function scanOneRepo(
  repo: OrgRepoTarget,
  opts: OrgScanOptions,
  scanSlot: Mutex,
  out: Finding[],
): Promise<RepoOutcome> {
  const paths = repoPaths(opts.cacheDir, repo.fullName, repo.cloneUrl);
  const mirror = await syncMirror(repo.cloneUrl, paths.mirror, opts.auth, opts.signal);
  const tips = await refTips(paths.mirror);
  if (tips.length === 0) return { ...emptyOutcome(repo.fullName, "empty"), mirror };

  const plan = await planScan(paths.mirror, paths.state, tips, opts);
  if (plan.upToDate) return { ...emptyOutcome(repo.fullName, "up-to-date"), mirror, mode: "incremental" };

  opts.signal?.throwIfAborted();
  const result = await scanSlot(() => opts.scanHistory(paths.mirror, plan.exclude));
  for (const f of result.findings) out.push({ ...f, source: "org", repository: repo.fullName });
  await (opts.stateStore ?? fileScanStateStore).write(paths.state, {
    version: 1,
    repository: repo.fullName,
    tips,
    rules: opts.rulesDigest,
    scannedAt: new Date().toISOString(),
  });
  return {
    ...emptyOutcome(repo.fullName, "scanned"),
    mirror,
    mode: plan.exclude.length > 0 ? "incremental" : "full",
    ...(plan.fullBecause ? { fullBecause: plan.fullBecause } : {}),
    findings: result.findings.length,
    commits: result.commits ?? 0,
    files: result.files,
    bytes: result.bytes,
  };
}

/** What to exclude: last run's tips still present in the mirror, if --since-last and the rules are unchanged. */
async function planScan(
  mirrorDir: string,
  statePath: string,
  tips: string[],
  opts: OrgScanOptions,
): Promise<{ exclude: string[]; upToDate: boolean; fullBecause?: string }> {
  if (!opts.sinceLast) return { exclude: [], upToDate: false };
  const prev = await (opts.stateStore ?? fileScanStateStore).read(statePath);
  if (!prev) return { exclude: [], upToDate: false, fullBecause: "no earlier scan" };
  if (prev.rules !== opts.rulesDigest) return { exclude: [], upToDate: false, fullBecause: "rules changed" };
  const exclude = await existingObjects(mirrorDir, prev.tips);
  const seen = new Set(exclude);
  return { exclude, upToDate: tips.every((t) => seen.has(t)) };
}

function emptyOutcome(repository: string, status: RepoStatus): RepoOutcome {
  return { repository, status, findings: 0, commits: 0, files: 0, bytes: 0, ms: 0 };
}

function errorLine(err: unknown): string {
  const text = err instanceof Error ? err.message : String(err);
  return text.split("\n")[0] ?? "failed";
}

type Mutex = <T>(work: () => Promise<T>) => Promise<T>;

/** Runs one piece of work at a time, in call order. */
function makeMutex(): Mutex {
  let tail: Promise<unknown> = Promise.resolve();
  return (work) => {
    const run = tail.then(work, work);
    tail = run.catch(() => {});
    return run;
  };
}
