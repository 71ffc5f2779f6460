/**
 * The history scan use case (`leakstop scan --history`): list the history with one streamed
 * `git log --raw` (sources/git/history-log), scan every blob once and every commit message in
 * the worker pool as the listing goes (sources/git/blob-reader streams them with cat-file), then
 * the message of every annotated tag the refs hold (sources/git/tag-objects), then attribute the
 * few blobs with findings to the commits that introduced their secrets.
 */

import { compileEngine, onlyUserRules } from "../detection/compile.js";
import type { Finding } from "../findings/finding.js";
import { loadHashing } from "../lib/hash.js";
import { portableRuleSet } from "../rules/portable-rules.js";
import type { RuleSet } from "../rules/rule-set.js";
import type { HistoryItem } from "../sources/git/blob-reader.js";
import { historyReader } from "../sources/git/blob-reader.js";
import { CatFileBatch } from "../sources/git/cat-file.js";
import { HistoryIndex, listHistory } from "../sources/git/history-log.js";
import { packedObjects } from "../sources/git/pack-count.js";
import { openRepo, runGit } from "../sources/git/run-git.js";
import { checkSince } from "../sources/git/since-date.js";
import { historyTags, type TagObject, tagProvenance } from "../sources/git/tag-objects.js";
import type { SkipReason } from "../sources/source.js";
import { attributeFindings, type CommitInfo, findIntroductions } from "./attribute-history.js";
import { scanOrder } from "./history-order.js";
import type { BatchRequest, BatchResult, WorkerInit } from "./messages.js";
import { ScanPool } from "./pool.js";
import { scanBatch } from "./scan-batch.js";
import { compareFindings } from "./scan-tree.js";

export interface HistoryScanOptions {
  /** A work tree (any folder inside it) or a git dir, bare or not. */
  repo: string;
  threads: number;
  showSecrets: boolean;
  /** Rule ids whose findings carry `rawSecret` (see DetectOptions.revealRules). */
  revealRules?: readonly string[];
  /** Bytes; 0 = no cap. Larger blobs are skipped (listed with --verbose). */
  maxFileSize: number;
  /** Only commits more recent than this (git's --since syntax: a date or "2 weeks ago"). */
  since?: string;
  /** Walk only this branch (or any revision) instead of every ref; only the tags of its commits are scanned. */
  branch?: string;
  /**
   * Revisions whose history is left out: commits reachable from them are not walked, so only
   * blobs and messages that later commits introduced are scanned (an incremental scan passes the
   * heads it scanned last time). Revisions the repository does not have are ignored (after a
   * force push the old head may be gone) and listed in `stats.excludeMissing`.
   */
  exclude?: string[];
  /** Scan each blob only where it changes the version it replaced (default on; see delta-probe.ts). */
  delta?: boolean;
  /** Histories of fewer texts are scanned in this thread (default IN_PROCESS_ITEMS; tests pass 0 to use workers). */
  inProcessBelow?: number;
  /** Texts per batch (default BATCH_ITEMS; tests pass a few, so that a file's versions span batches and workers). */
  batchItems?: number;
  /** Called as texts are scanned: done so far, listed so far (the listing grows while it runs). */
  onProgress?: (done: number, listed: number) => void;
}

export interface HistoryStats {
  commits: number;
  /** Distinct blobs listed (each scanned once). */
  blobs: number;
  /** Texts scanned (blobs, commit and tag messages), and their bytes. */
  files: number;
  bytes: number;
  ms: number;
  skipped: { rel: string; reason: SkipReason }[];
  /** The repository is a shallow clone: history before its boundary is not there to scan. */
  shallow: boolean;
  excludeMissing: string[];
  /** Blobs scanned whole again after a delta scan (later versions of files with findings). */
  rescanned: number;
  /** Annotated tag objects whose messages were scanned. */
  tags: number;
}

/** Texts per batch: a cat-file round trip each; small enough to balance two workers. */
const BATCH_ITEMS = 256;
/** Below this many texts, worker start-up costs more than it saves. */
const IN_PROCESS_ITEMS = 2000;
/**
 * Packed objects per text listed, at most (commits, trees and blobs are objects; messages and
 * scanned blobs are texts): axios 10,637 objects for ~5,900 texts. A repository with fewer than
 * this many per IN_PROCESS_ITEMS is scanned in process, so its workers are not started early.
 */
const OBJECTS_PER_ITEM = 2;
/**
 * A worker's young generation (MB). Node's default lets it grow to ~48 MB per thread, which a
 * history scan (millions of short-lived views and strings) fills: smaller, it is collected more
 * often at about the same cost, and node's peak RSS stays under the 300 MB target (BENCHMARKS.md).
 */
const WORKER_YOUNG_MB = 12;

export interface HistoryScanResult {
  findings: Finding[];
  stats: HistoryStats;
}

export async function scanHistory(ruleSet: RuleSet, opts: HistoryScanOptions): Promise<HistoryScanResult> {
  const t0 = performance.now();
  const repo = await openRepo(opts.repo);
  const since = opts.since ? await checkSince(repo.gitDir, opts.since) : undefined;
  const inProcessBelow = opts.inProcessBelow ?? IN_PROCESS_ITEMS;
  const detect = { showSecrets: opts.showSecrets, maxFileSize: opts.maxFileSize, revealRules: opts.revealRules };
  const init = (): WorkerInit => ({
    ruleSet: portableRuleSet(ruleSet),
    detect,
    reader: { kind: "history", repo: repo.gitDir },
    optimiseOnlyHotCode: true,
  });
  // The worker threads of a history that looks big enough for them start now, so that their start-up
  // (isolate, bundle, engine: ~0.1 s each) runs on the other core while this thread lists the first batches.
  let pool =
    opts.threads > 1 &&
    !opts.since &&
    (opts.exclude ?? []).length === 0 &&
    packedObjects(repo.gitDir) >= OBJECTS_PER_ITEM * inProcessBelow
      ? startWorkers(opts.threads, init)
      : null;
  let closing: Promise<void> | undefined;
  const { kept, missing } = await existingRevisions(repo.gitDir, opts.exclude ?? []);
  // The tags are listed (and their headers read) while git lists the history; scanned after it.
  const tagCat = CatFileBatch.open(repo.gitDir);
  const tagsP = historyTags(repo.gitDir, tagCat, { branch: opts.branch, since, exclude: opts.exclude });
  tagsP.catch(() => {}); // awaited below (a failed listing is the error shown)
  const tagsRead = tagsP.finally(() => tagCat.close());
  tagsRead.catch(() => {});
  const index = new HistoryIndex();
  // Delta scans need every base scanned too: only walks that reach every parent (no --since, no exclusions).
  const delta = !opts.since && kept.length === 0 && opts.delta !== false;
  const listing = listHistory(
    repo.gitDir,
    { revs: opts.branch ? [opts.branch] : undefined, since: opts.since, exclude: kept, delta },
    index,
  );
  const stats: HistoryStats = {
    commits: 0,
    blobs: 0,
    files: 0,
    bytes: 0,
    ms: 0,
    skipped: [],
    shallow: repo.shallow,
    excludeMissing: missing,
    rescanned: 0,
    tags: 0,
  };
  const blobFindings = new Map<number, Finding[]>();
  const messageFindings: Finding[] = [];
  const inFlight = new Map<number, HistoryItem[]>();
  let listed = 0;
  let done = 0;
  const collect = (r: BatchResult) => {
    const items = inFlight.get(r.id) ?? [];
    inFlight.delete(r.id);
    r.findings.forEach((f, k) => {
      const item = items[r.itemOf[k]!]!;
      if (item.message) messageFindings.push(f);
      else {
        const b = index.blobIndex(item.oid);
        const list = blobFindings.get(b);
        if (list) list.push(f);
        else blobFindings.set(b, [f]);
      }
    });
    stats.skipped.push(...r.skipped);
    stats.files += r.files;
    stats.bytes += r.bytes;
    done += items.length;
    opts.onProgress?.(done, listed);
  };
  const batchItems = opts.batchItems ?? BATCH_ITEMS;
  const ordered = withTagMessages(scanOrder(listing, index), tagsP);
  const batches = batchesOf(ordered, inFlight, batchItems, (n) => {
    listed += n;
  });
  const head = await takeBatches(batches, Math.ceil(inProcessBelow / batchItems)).catch(async (err) => {
    await pool?.close();
    throw err;
  });
  const small = head.ended;
  if (small || opts.threads <= 1) {
    // Workers started early for a history that turned out small: ended meanwhile.
    closing = pool?.close();
    pool = null;
    const engine = compileEngine(ruleSet, onlyUserRules);
    const reader = historyReader(repo.gitDir, detect);
    try {
      for await (const b of chain(head.batches, batches)) collect(await scanBatch(engine, reader, b, detect, true));
    } finally {
      await reader.close();
    }
  } else {
    const workers = pool ?? startWorkers(opts.threads, init);
    let scanned = false;
    try {
      await workers.run(chain(head.batches, batches), collect);
      scanned = true;
    } finally {
      // A failed scan leaves the listing unfinished: end it (and its git) instead of letting it run on.
      await ordered.return(undefined);
      // The workers (and their git) end while this thread attributes the findings.
      closing = workers.close();
      if (!scanned) await closing;
    }
  }
  const rescan = blobsToRescan(index, blobFindings);
  if (rescan.length > 0) {
    // Few blobs (the later versions of files with findings): scanned whole, in this thread.
    const engine = compileEngine(ruleSet, onlyUserRules);
    const reader = historyReader(repo.gitDir, detect);
    const items = rescan.map((b) => ({ oid: index.blobId(b), path: index.paths[index.scanPath.get(b)]! }));
    try {
      for (let i = 0; i < items.length; i += BATCH_ITEMS) {
        const r = await scanBatch(engine, reader, { id: -1, items: items.slice(i, i + BATCH_ITEMS) }, detect, true);
        r.findings.forEach((f, k) => {
          const b = index.blobIndex(items[i + r.itemOf[k]!]!.oid);
          const list = blobFindings.get(b);
          if (list) list.push(f);
          else blobFindings.set(b, [f]);
        });
      }
    } finally {
      await reader.close();
    }
    stats.rescanned = rescan.length;
  }
  stats.commits = index.commits.length;
  stats.blobs = index.blobCount;
  await tagsRead.catch(() => {});
  const tags = new Map((await tagsP.catch(() => [])).map((t) => [t.oid, t]));
  stats.tags = tags.size;
  const intros = findIntroductions(index, blobFindings);
  const wanted = new Set([
    ...intros.map((i) => index.commits[i.commit]!),
    ...messageFindings.map((f) => f.commit!).filter((c) => !tags.has(c)),
  ]);
  const info = await commitInfo(repo.gitDir, [...wanted]);
  const findings = [
    ...attributeFindings(index, intros, info),
    ...messageFindings.map((f) => {
      const tag = tags.get(f.commit!);
      return tag ? { ...f, ...tagProvenance(tag) } : { ...f, ...info.get(f.commit!) };
    }),
  ];
  findings.sort(compareHistoryFindings);
  await closing;
  stats.ms = performance.now() - t0;
  return { findings, stats };
}

/** The scanned texts, then the messages of the tags (once the history's listing has ended). */
async function* withTagMessages(
  items: AsyncGenerator<HistoryItem>,
  tags: Promise<TagObject[]>,
): AsyncGenerator<HistoryItem> {
  yield* items;
  for (const t of await tags) yield { oid: t.oid, path: "", message: "tag" };
}

/**
 * The history scan's worker threads. A history big enough for workers scans for seconds: TurboFan
 * for its hottest functions only, a flag the last of them to load sets (init's optimiseOnlyHotCode,
 * scan/tiering.ts).
 */
function startWorkers(threads: number, init: () => WorkerInit): ScanPool {
  // Loaded here before a worker sets the budget: the findings' hashes need it (as tiering.ts loads it).
  loadHashing();
  return new ScanPool(threads, init(), { maxYoungGenerationSizeMb: WORKER_YOUNG_MB });
}

/**
 * Blobs whose delta scan may have missed a finding: every blob whose chain of bases leads to a blob
 * with findings (it may still hold them where it did not change), or to a base that was never
 * scanned. A blob that is not on such a chain holds nothing: each of its secrets would have been
 * new, and so found, somewhere along its chain (whose last link is always scanned whole).
 */
export function blobsToRescan(index: HistoryIndex, blobFindings: Map<number, unknown>): number[] {
  const children = new Map<number, number[]>();
  const todo: number[] = [...blobFindings.keys()];
  for (let blob = 0; blob < index.blobCount; blob++) {
    const base = index.baseOf.get(blob);
    if (base === -1) continue;
    const list = children.get(base);
    if (list) list.push(blob);
    else children.set(base, [blob]);
    if (!index.isQueued(base)) todo.push(blob);
  }
  const seen = new Set<number>(todo);
  while (todo.length > 0) {
    for (const c of children.get(todo.pop()!) ?? []) {
      if (seen.has(c)) continue;
      seen.add(c);
      todo.push(c);
    }
  }
  return [...seen].filter((b) => !blobFindings.has(b));
}

/** Oldest first (by date), then path and position: the order a reader of history expects. */
function compareHistoryFindings(a: Finding, b: Finding): number {
  const da = a.date ?? "";
  const db = b.date ?? "";
  if (da !== db) return Date.parse(da) - Date.parse(db) || (da < db ? -1 : 1);
  if (a.commit !== b.commit) return (a.commit ?? "") < (b.commit ?? "") ? -1 : 1;
  return compareFindings(a, b);
}

async function* batchesOf(
  items: AsyncIterable<HistoryItem>,
  inFlight: Map<number, HistoryItem[]>,
  size: number,
  onListed: (n: number) => void,
): AsyncGenerator<BatchRequest<HistoryItem>> {
  let id = 0;
  let batch: HistoryItem[] = [];
  const emit = () => {
    const b = { id: id++, items: batch };
    inFlight.set(b.id, batch);
    onListed(batch.length);
    batch = [];
    return b;
  };
  for await (const item of items) {
    batch.push(item);
    if (batch.length >= size) yield emit();
  }
  if (batch.length > 0) yield emit();
}

async function takeBatches<T>(gen: AsyncGenerator<T>, n: number): Promise<{ batches: T[]; ended: boolean }> {
  const batches: T[] = [];
  while (batches.length < n) {
    const r = await gen.next();
    if (r.done) return { batches, ended: true };
    batches.push(r.value);
  }
  return { batches, ended: false };
}

async function* chain<T>(first: T[], rest: AsyncIterable<T>): AsyncGenerator<T> {
  yield* first;
  yield* rest;
}

/** Splits revisions into those the repository has and those it has not. */
async function existingRevisions(gitDir: string, revs: string[]): Promise<{ kept: string[]; missing: string[] }> {
  if (revs.length === 0) return { kept: [], missing: [] };
  const out = await runGit(gitDir, ["cat-file", "--batch-check=%(objecttype)"], {
    input: `${revs.map((r) => `${r}^{commit}`).join("\n")}\n`,
  });
  const answers = out.split("\n");
  const kept: string[] = [];
  const missing: string[] = [];
  revs.forEach((r, i) => {
    (answers[i] === "commit" ? kept : missing).push(r);
  });
  return { kept, missing };
}

/** Author, e-mail and author date of the given commits (only those with findings are asked for). */
async function commitInfo(gitDir: string, oids: string[]): Promise<Map<string, CommitInfo>> {
  const info = new Map<string, CommitInfo>();
  if (oids.length === 0) return info;
  const out = await runGit(gitDir, ["log", "--no-walk=unsorted", "--stdin", "--format=%H%x00%an%x00%ae%x00%aI"], {
    input: `${oids.join("\n")}\n`,
  });
  for (const line of out.split("\n")) {
    const [oid, author = "", email = "", date = ""] = line.split("\0");
    if (oid) info.set(oid, { author, email, date });
  }
  return info;
}
